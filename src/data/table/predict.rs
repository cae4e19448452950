//! New rows to predict on, encoded exactly as the training rows were: the columns matched to the
//! training features by name (extra columns ignored and listed, the target optional), numbers
//! standardised with the train split's statistics, categories one-hot with its categories.
//! A missing column, an unseen category or a stray non-number is a typed error naming it.

use super::features::Encoder;
use super::schema::{is_missing, parse_number};
use super::{Table, TableError, error};
use crate::error::Field;

/// The fitted encoding of a table's feature columns (kept from `encode`).
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureEncoding {
    /// The feature columns, in input order.
    pub features: Vec<String>,
    encoders: Vec<Encoder>,
}

/// New rows encoded for the model.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRows {
    /// Row-major [rows, inputs].
    pub x: Vec<f32>,
    pub rows: usize,
    /// Columns of the file that are not features (the target among them, if present).
    pub ignored: Vec<String>,
    /// Missing feature cells filled in as training filled them.
    pub imputed_cells: usize,
}

impl FeatureEncoding {
    pub(super) fn new(features: Vec<String>, encoders: Vec<Encoder>) -> Self {
        Self { features, encoders }
    }

    /// Network inputs per row.
    pub fn width(&self) -> usize {
        self.encoders
            .iter()
            .map(|e| match e {
                Encoder::Numeric { .. } => 1,
                Encoder::OneHot { width, .. } => *width,
            })
            .sum()
    }

    /// Encodes every row of `t` with the training encoding; the first problem is the error.
    pub fn encode_rows(&self, t: &Table) -> Result<NewRows, TableError> {
        let file = || ("file", Field::from(t.name.as_str()));
        let mut cols = Vec::with_capacity(self.features.len());
        for f in &self.features {
            let c = t.column_index(f).ok_or_else(|| {
                TableError::new(
                    &error::PREDICT_MISSING_COLUMN,
                    [file(), ("column", f.as_str().into())],
                )
            })?;
            cols.push(c);
        }
        let ignored = (0..t.columns())
            .filter(|c| !cols.contains(c))
            .map(|c| t.headers[c].clone())
            .collect();
        let mut x = Vec::with_capacity(t.rows().saturating_mul(self.width()));
        let mut imputed_cells = 0;
        for r in 0..t.rows() {
            for ((e, &c), name) in self.encoders.iter().zip(&cols).zip(&self.features) {
                let cell = t.cell(r, c);
                if let Some(wording) = refusal(e, cell) {
                    return Err(TableError::new(
                        wording,
                        [
                            file(),
                            ("line", Field::plain(t.line(r))),
                            ("column", name.as_str().into()),
                            ("value", cell.trim().into()),
                        ],
                    ));
                }
                imputed_cells += usize::from(e.write(cell, &mut x));
            }
        }
        Ok(NewRows {
            x,
            rows: t.rows(),
            ignored,
            imputed_cells,
        })
    }
}

/// Why a cell cannot be encoded as training encoded its column, if it cannot. A missing cell is
/// imputed as in training; a category never seen goes to the shared input of the rare ones
/// where training had one (it is one of them then), else it is refused.
fn refusal(e: &Encoder, cell: &str) -> Option<&'static crate::error::Wording> {
    if is_missing(cell) {
        return None;
    }
    match e {
        Encoder::Numeric { .. } => parse_number(cell)
            .is_err()
            .then_some(&error::PREDICT_NOT_A_NUMBER),
        Encoder::OneHot { index, other, .. } => (other.is_none()
            && !index.contains_key(cell.trim()))
        .then_some(&error::PREDICT_UNSEEN_CATEGORY),
    }
}
