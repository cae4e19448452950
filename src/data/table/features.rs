//! How one feature column of a table becomes network inputs: a numeric column standardised, a
//! categorical one one-hot encoded (the rarest categories sharing one input past `ONE_HOT_MAX`),
//! each fitted on the train split only.

use super::Table;
use super::schema::{ColumnKind, ONE_HOT_MAX, is_missing, parse_number};
use std::collections::HashMap;

/// How one feature column becomes inputs, fitted on the train split.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Encoder {
    Numeric {
        mean: f64,
        std: f64,
    },
    /// Category -> input index; `other`: the shared input of the rare ones, if any.
    OneHot {
        index: HashMap<String, usize>,
        other: Option<usize>,
        mode: String,
        width: usize,
    },
}

/// Fits a column's encoder on the train rows only.
pub(super) fn fit(
    t: &Table,
    c: usize,
    kind: ColumnKind,
    train_rows: impl Iterator<Item = usize> + Clone,
) -> Encoder {
    if kind == ColumnKind::Numeric {
        // One pass: sum and sum of squares (in f64, shifted by the first value for accuracy).
        let (mut n, mut sum, mut sum_sq, mut shift) = (0usize, 0.0f64, 0.0f64, None);
        for r in train_rows {
            if let Ok(Some(v)) = parse_number(t.cell(r, c)) {
                let d = v - *shift.get_or_insert(v);
                n += 1;
                sum += d;
                sum_sq += d * d;
            }
        }
        let n = n.max(1) as f64;
        let mean_d = sum / n;
        let std = (sum_sq / n - mean_d * mean_d).max(0.0).sqrt();
        return Encoder::Numeric {
            mean: mean_d + shift.unwrap_or(0.0),
            std: if std > 1e-12 { std } else { 1.0 },
        };
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for r in train_rows {
        let v = t.cell(r, c).trim();
        if !is_missing(v) {
            *counts.entry(v).or_default() += 1;
        }
    }
    let mut by_count: Vec<(&str, usize)> = counts.into_iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mode = by_count
        .first()
        .map(|(v, _)| v.to_string())
        .unwrap_or_default();
    let truncated = by_count.len() > ONE_HOT_MAX;
    if truncated {
        by_count.truncate(ONE_HOT_MAX - 1);
    }
    // Inputs in alphabetical order, so the network view reads well.
    let mut kept: Vec<&str> = by_count.iter().map(|(v, _)| *v).collect();
    kept.sort();
    let index: HashMap<String, usize> = kept
        .iter()
        .enumerate()
        .map(|(i, v)| (v.to_string(), i))
        .collect();
    let other = truncated.then_some(kept.len());
    Encoder::OneHot {
        width: kept.len() + usize::from(truncated),
        index,
        other,
        mode,
    }
}

impl Encoder {
    /// Appends the inputs of one cell; true when it was missing and imputed.
    pub(super) fn write(&self, cell: &str, x: &mut Vec<f32>) -> bool {
        let missing = is_missing(cell);
        match self {
            Encoder::Numeric { mean, std } => {
                // Imputing the train mean puts a missing value at 0 after standardising.
                let v = parse_number(cell).ok().flatten().unwrap_or(*mean);
                x.push(((v - mean) / std) as f32);
            }
            Encoder::OneHot {
                index,
                other,
                mode,
                width,
            } => {
                let start = x.len();
                x.resize(start + width, 0.0);
                let v = if missing { mode.as_str() } else { cell.trim() };
                // A category unseen in training: the shared input, or none.
                if let Some(i) = index.get(v).copied().or(*other) {
                    x[start + i] = 1.0;
                }
            }
        }
        missing
    }
}
