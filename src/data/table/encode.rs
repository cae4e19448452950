//! From a table and the user's choices to a `Dataset` the MLP trains on: rows with a missing
//! target dropped, missing features imputed or their rows dropped, a seeded (stratified) split,
//! numeric features standardised and categorical ones one-hot encoded with statistics of the
//! train split only, so nothing of the test set leaks into training.

use super::features::{Encoder, fit};
use super::schema::{ColumnKind, Schema, is_missing, parse_number};
use super::split::split;
use super::target::no_such_column;
use super::{Table, TableError, error};
use crate::data::{Dataset, Points, Task};
use crate::error::Field;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Network inputs in all (rows × inputs per row) the encoded table may hold, checked before they
/// are allocated: 4 bytes each, so 64 MB, which the trainer's tensors then hold once more. One
/// categorical column is up to `ONE_HOT_MAX` inputs, so 200 of them over 2,600 rows reach it.
pub const MAX_INPUT_VALUES: usize = 1 << 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TaskChoice {
    Classification,
    Regression,
}

/// What to do with a row that misses a feature value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Missing {
    /// The train split's mean (numeric) or most frequent category.
    #[default]
    Impute,
    Drop,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct TableChoices {
    /// The target column; empty: the schema's proposal.
    pub target: String,
    /// `None`: inferred from the target.
    pub task: Option<TaskChoice>,
    /// The feature columns; `None`: the usable columns other than the target.
    pub features: Option<Vec<String>>,
    pub missing: Missing,
    pub test_fraction: f32,
    pub seed: u64,
}

impl Default for TableChoices {
    fn default() -> Self {
        Self {
            target: String::new(),
            task: None,
            features: None,
            missing: Missing::Impute,
            test_fraction: 0.2,
            seed: 1,
        }
    }
}

/// A table ready to train on, with what the views and messages need to name things.
#[derive(Debug, Clone, PartialEq)]
pub struct EncodedTable {
    /// x: [rows, inputs]; y: class index, or the standardised target for regression.
    pub dataset: Dataset,
    pub target: String,
    /// The model's inputs: a numeric column's name, or "column=category" for one-hot inputs.
    pub inputs: Vec<String>,
    pub classes: Vec<String>,
    /// Regression: y = (value - mean) / std, with the train split's mean and std.
    pub target_mean: f64,
    pub target_std: f64,
    /// Rows left out: a missing target, or (with `Missing::Drop`) a missing feature.
    pub dropped_rows: usize,
    /// Feature cells filled in (with `Missing::Impute`).
    pub imputed_cells: usize,
    /// The fitted encoding, to encode new rows the same way (predict.rs).
    pub encoding: super::predict::FeatureEncoding,
}

/// Report of the encoding, for the page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EncodingSummary {
    pub target: String,
    pub task: TaskChoice,
    pub inputs: Vec<String>,
    pub classes: Vec<String>,
    pub train_rows: usize,
    pub test_rows: usize,
    pub dropped_rows: usize,
    pub imputed_cells: usize,
}

impl EncodedTable {
    pub fn summary(&self) -> EncodingSummary {
        EncodingSummary {
            target: self.target.clone(),
            task: match self.dataset.task {
                Task::Classification { .. } => TaskChoice::Classification,
                Task::Regression => TaskChoice::Regression,
            },
            inputs: self.inputs.clone(),
            classes: self.classes.clone(),
            train_rows: self.dataset.train.len(),
            test_rows: self.dataset.test.len(),
            dropped_rows: self.dropped_rows,
            imputed_cells: self.imputed_cells,
        }
    }
}

impl TableChoices {
    /// The choices are in range for `file`.
    pub fn validate(&self, file: &str) -> Result<(), TableError> {
        if !(0.05..=0.5).contains(&self.test_fraction) {
            return Err(TableError::new(
                &error::TEST_FRACTION,
                [
                    ("file", file.into()),
                    ("value", Field::plain(self.test_fraction)),
                ],
            ));
        }
        Ok(())
    }
}

/// Encodes `t` as the user chose. Errors name the file and the column.
pub fn encode(
    t: &Table,
    schema: &Schema,
    choices: &TableChoices,
) -> Result<EncodedTable, TableError> {
    choices.validate(&t.name)?;
    let file = || ("file", Field::from(t.name.as_str()));
    let target_name = if choices.target.is_empty() {
        schema
            .default_target
            .clone()
            .ok_or_else(|| TableError::new(&error::NO_TARGET, [file()]))?
    } else {
        choices.target.clone()
    };
    let target = schema.target(t, &target_name, choices.task)?;
    let y_col = t
        .column_index(&target_name)
        .expect("the target is a column");
    let features = choices.features.clone().unwrap_or(target.features.clone());
    if features.is_empty() {
        return Err(TableError::new(&error::NO_FEATURES, [file()]));
    }
    let mut cols = Vec::with_capacity(features.len());
    for f in &features {
        let c = t.column_index(f).ok_or_else(|| no_such_column(t, f))?;
        let err = |wording| TableError::new(wording, [file(), ("column", f.as_str().into())]);
        if c == y_col {
            return Err(err(&error::FEATURE_IS_TARGET));
        }
        match schema.columns[c].kind {
            ColumnKind::Empty => return Err(err(&error::FEATURE_EMPTY)),
            ColumnKind::Text => return Err(err(&error::FEATURE_TEXT)),
            _ => cols.push(c),
        }
    }

    // Rows kept, and their labels.
    let classification = target.task == TaskChoice::Classification;
    let class_index: HashMap<&str, usize> = target
        .classes
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (n.as_str(), i))
        .collect();
    let mut rows = Vec::with_capacity(t.rows());
    let mut labels = Vec::with_capacity(t.rows());
    for r in 0..t.rows() {
        let y = t.cell(r, y_col).trim();
        if is_missing(y) {
            continue;
        }
        if choices.missing == Missing::Drop && cols.iter().any(|&c| is_missing(t.cell(r, c))) {
            continue;
        }
        rows.push(r);
        labels.push(if classification {
            class_index[y] as f64
        } else {
            parse_number(y)
                .ok()
                .flatten()
                .expect("a numeric target parses")
        });
    }
    let dropped_rows = t.rows() - rows.len();
    let (train, test) = split(
        &labels,
        classification.then_some(target.classes.len()),
        choices.test_fraction,
        choices.seed,
    )
    .map_err(|usable| {
        TableError::new(
            &error::TOO_FEW_ROWS_DROPPED,
            [
                file(),
                ("rows", Field::plain(usable)),
                ("dropped", dropped_rows.into()),
            ],
        )
    })?;

    let encoders: Vec<Encoder> = cols
        .iter()
        .map(|&c| fit(t, c, schema.columns[c].kind, train.iter().map(|&i| rows[i])))
        .collect();
    let mut inputs = Vec::new();
    for (e, &c) in encoders.iter().zip(&cols) {
        let name = &t.headers[c];
        match e {
            Encoder::Numeric { .. } => inputs.push(name.clone()),
            Encoder::OneHot {
                index,
                other,
                width,
                ..
            } => {
                let mut names = vec![String::new(); *width];
                for (k, i) in index {
                    names[*i] = format!("{name}={k}");
                }
                if let Some(o) = other {
                    names[*o] = format!("{name}=(other)");
                }
                inputs.extend(names);
            }
        }
    }
    let values = rows.len().saturating_mul(inputs.len());
    if values > MAX_INPUT_VALUES {
        let one_hot = encoders
            .iter()
            .filter(|e| matches!(e, Encoder::OneHot { .. }))
            .count();
        return Err(TableError::new(
            &error::TOO_MANY_INPUTS,
            [
                file(),
                ("rows", rows.len().into()),
                ("inputs", inputs.len().into()),
                ("features", Field::plain(cols.len())),
                ("categorical", Field::plain(one_hot)),
                ("values", values.into()),
                ("limit", MAX_INPUT_VALUES.into()),
            ],
        ));
    }
    let (target_mean, target_std) = if classification {
        (0.0, 1.0)
    } else {
        mean_std(train.iter().map(|&i| labels[i]))
    };
    let mut imputed_cells = 0;
    let mut points = |which: &[usize]| {
        let mut p = Points {
            x: Vec::with_capacity(which.len() * inputs.len()),
            y: Vec::with_capacity(which.len()),
        };
        for &i in which {
            let r = rows[i];
            for (e, &c) in encoders.iter().zip(&cols) {
                imputed_cells += usize::from(e.write(t.cell(r, c), &mut p.x));
            }
            p.y.push(((labels[i] - target_mean) / target_std) as f32);
        }
        p
    };
    let (train, test) = (points(&train), points(&test));
    let encoding = super::predict::FeatureEncoding::new(
        cols.iter().map(|&c| t.headers[c].clone()).collect(),
        encoders,
    );
    Ok(EncodedTable {
        dataset: Dataset {
            task: if classification {
                Task::Classification {
                    classes: target.classes.len(),
                }
            } else {
                Task::Regression
            },
            train,
            test,
        },
        target: target_name,
        inputs,
        classes: target.classes.into_iter().map(|(n, _)| n).collect(),
        target_mean,
        target_std,
        dropped_rows,
        imputed_cells,
        encoding,
    })
}

/// Mean and standard deviation (1 where there is no spread, so a constant stays 0).
fn mean_std(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let n = values.clone().count().max(1) as f64;
    let mean = values.clone().sum::<f64>() / n;
    let var = values.map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    let std = var.sqrt();
    (mean, if std > 1e-12 { std } else { 1.0 })
}
