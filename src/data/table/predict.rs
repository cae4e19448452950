//! New rows to predict on, encoded exactly as the training rows were: the columns matched to the
//! training features by name (extra columns ignored and listed, the target optional), numbers
//! standardised with the train split's statistics, categories one-hot with its categories.
//! A missing column, an unseen category or a stray non-number is a typed error naming it.

use super::features::Encoder;
use super::schema::{is_missing, parse_number};
use super::{MAX_INPUT_VALUES, Table, TableError, error};
use crate::error::Field;

/// The fitted encoding of a table's feature columns (kept from `encode`).
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureEncoding {
    /// The feature columns, in input order.
    pub features: Vec<String>,
    encoders: Vec<Encoder>,
}

/// One feature column's fitted encoding, spelled out for another program to apply (the PyTorch
/// script's `encode_rows`): what `Encoder::write` does, as data.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ColumnEncoding {
    /// One input, (value - mean) / std; a missing value is the mean (0 once standardised).
    #[serde(rename_all = "camelCase")]
    Numeric { column: String, mean: f64, std: f64 },
    /// One input per category, in `categories`' order, then one shared by the rare categories
    /// (and unseen ones) when `other`; a missing value is `mode`, the most frequent.
    #[serde(rename_all = "camelCase")]
    OneHot {
        column: String,
        categories: Vec<String>,
        other: bool,
        mode: String,
    },
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

    /// Each feature column's encoding, in input order.
    pub fn columns(&self) -> Vec<ColumnEncoding> {
        self.features
            .iter()
            .zip(&self.encoders)
            .map(|(column, e)| match e {
                Encoder::Numeric { mean, std } => ColumnEncoding::Numeric {
                    column: column.clone(),
                    mean: *mean,
                    std: *std,
                },
                Encoder::OneHot {
                    index, other, mode, ..
                } => {
                    let mut categories: Vec<(&String, &usize)> = index.iter().collect();
                    categories.sort_by_key(|(_, i)| **i);
                    ColumnEncoding::OneHot {
                        column: column.clone(),
                        categories: categories.into_iter().map(|(c, _)| c.clone()).collect(),
                        other: other.is_some(),
                        mode: mode.clone(),
                    }
                }
            })
            .collect()
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
        // Checked before any input is allocated, with the training encoding's own limit.
        let values = t.rows().saturating_mul(self.width());
        if values > MAX_INPUT_VALUES {
            return Err(TableError::new(
                &error::PREDICT_TOO_MANY_VALUES,
                [
                    file(),
                    ("rows", t.rows().into()),
                    ("inputs", Field::plain(self.width())),
                    ("values", values.into()),
                    ("limit", MAX_INPUT_VALUES.into()),
                    ("most", (MAX_INPUT_VALUES / self.width().max(1)).into()),
                ],
            ));
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
