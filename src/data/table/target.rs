//! The target a user picks: its task (inferred from the column, editable), its classes and
//! their balance, the features proposed with it, and warnings: heavy imbalance, and columns that
//! would leak it.

use super::schema::{ColumnKind, ColumnSummary, FastMap, MAX_CLASSES, Schema, is_missing};
use super::{Table, TableError, TaskChoice, error};
use crate::error::{Field, UserError};
use error::{WARN_IMBALANCE, WARN_LEAK};
use serde::Serialize;
use std::collections::HashSet;

/// A numeric target with at most this many distinct whole numbers is taken as classes.
const CLASS_LIKE_MAX: usize = 10;

/// The target's task and classes, and warnings about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetSummary {
    pub target: String,
    /// "classification" or "regression".
    pub task: TaskChoice,
    /// Classification: each class and its rows (rows with a missing target are not counted).
    pub classes: Vec<(String, usize)>,
    /// Rows whose target is missing (dropped before training).
    pub missing: usize,
    /// The features proposed: usable columns other than the target.
    pub features: Vec<String>,
    pub warnings: Vec<UserError>,
}

/// The task a target suggests: classes for categories and a few whole numbers, else regression.
pub fn infer_task(column: &ColumnSummary) -> TaskChoice {
    match column.kind {
        ColumnKind::Numeric if !(column.integer && column.distinct <= CLASS_LIKE_MAX) => {
            TaskChoice::Regression
        }
        _ => TaskChoice::Classification,
    }
}

/// The classes of a target, ordered numerically when they are numbers.
pub(crate) fn class_names(t: &Table, target: usize) -> Vec<String> {
    let mut names: Vec<&str> = (0..t.rows())
        .map(|r| t.cell(r, target).trim())
        .filter(|v| !is_missing(v))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let numeric = names.iter().all(|v| v.parse::<f64>().is_ok());
    if numeric {
        names.sort_by(|a, b| {
            a.parse::<f64>()
                .unwrap()
                .total_cmp(&b.parse::<f64>().unwrap())
        });
    } else {
        names.sort();
    }
    names.into_iter().map(str::to_string).collect()
}

impl Schema {
    /// The task (inferred when `task` is `None`), classes and warnings for `target`.
    pub fn target(
        &self,
        t: &Table,
        target: &str,
        task: Option<TaskChoice>,
    ) -> Result<TargetSummary, TableError> {
        use TaskChoice;
        let col = t
            .column_index(target)
            .ok_or_else(|| no_such_column(t, target))?;
        let summary = &self.columns[col];
        let (file, column) = (("file", t.name.as_str().into()), ("column", target.into()));
        if summary.kind == ColumnKind::Empty {
            return Err(TableError::new(&error::TARGET_EMPTY, [file, column]));
        }
        let task = task.unwrap_or_else(|| infer_task(summary));
        let mut warnings = Vec::new();
        let mut classes = Vec::new();
        match task {
            TaskChoice::Regression if summary.kind != ColumnKind::Numeric => {
                return Err(TableError::new(&error::TARGET_NOT_NUMERIC, [file, column]));
            }
            TaskChoice::Regression => {}
            TaskChoice::Classification => {
                if summary.many_distinct || summary.distinct > MAX_CLASSES {
                    let numeric = summary.kind == ColumnKind::Numeric;
                    let (wording, classes) = match (summary.many_distinct, numeric) {
                        (true, false) => (&error::OVER_CLASS_LIMIT, summary.distinct.into()),
                        (true, true) => (&error::OVER_CLASS_LIMIT_NUMERIC, summary.distinct.into()),
                        (false, false) => {
                            (&error::TOO_MANY_CLASSES, Field::plain(summary.distinct))
                        }
                        (false, true) => (
                            &error::TOO_MANY_CLASSES_NUMERIC,
                            Field::plain(summary.distinct),
                        ),
                    };
                    return Err(TableError::new(
                        wording,
                        [
                            file,
                            column,
                            ("classes", classes),
                            ("limit", Field::plain(MAX_CLASSES)),
                        ],
                    ));
                }
                let names = class_names(t, col);
                if names.len() < 2 {
                    let class = names.first().map(String::as_str).unwrap_or("");
                    return Err(TableError::new(
                        &error::ONE_CLASS,
                        [file, column, ("class", class.into())],
                    ));
                }
                let index: FastMap<&str, usize> = names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n.as_str(), i))
                    .collect();
                let mut counts = vec![0usize; names.len()];
                for r in 0..t.rows() {
                    if let Some(i) = index.get(t.cell(r, col).trim()) {
                        counts[*i] += 1;
                    }
                }
                let (lo, hi) = (
                    counts.iter().enumerate().min_by_key(|(_, n)| **n).unwrap(),
                    counts.iter().enumerate().max_by_key(|(_, n)| **n).unwrap(),
                );
                if *lo.1 * 10 < *hi.1 {
                    warnings.push(UserError::new(
                        &WARN_IMBALANCE,
                        [
                            ("rare", names[lo.0].as_str().into()),
                            ("rare_rows", (*lo.1).into()),
                            ("common", names[hi.0].as_str().into()),
                            ("common_rows", (*hi.1).into()),
                        ],
                    ));
                }
                classes = names.into_iter().zip(counts).collect();
            }
        }
        let features: Vec<String> = self
            .columns
            .iter()
            .filter(|c| c.name != target && c.usable())
            .map(|c| c.name.clone())
            .collect();
        for f in &features {
            let fc = t.column_index(f).expect("a feature is a column");
            if leaks(t, fc, col, task) {
                warnings.push(UserError::new(&WARN_LEAK, [("column", f.as_str().into())]));
            }
        }
        Ok(TargetSummary {
            target: target.to_string(),
            task,
            classes,
            missing: summary.missing,
            features,
            warnings,
        })
    }
}

/// Classification: every value of the feature goes with one class (and the feature is no id);
/// regression: |correlation| above 0.99.
fn leaks(t: &Table, feature: usize, target: usize, task: TaskChoice) -> bool {
    let rows = || {
        (0..t.rows())
            .map(|r| (t.cell(r, feature).trim(), t.cell(r, target).trim()))
            .filter(|(f, y)| !is_missing(f) && !is_missing(y))
    };
    match task {
        TaskChoice::Classification => {
            let mut class_of: FastMap<&str, &str> = FastMap::default();
            let mut n = 0;
            for (f, y) in rows() {
                n += 1;
                if *class_of.entry(f).or_insert(y) != y {
                    return false;
                }
            }
            class_of.len() >= 2 && class_of.len() * 2 <= n
        }
        TaskChoice::Regression => {
            let pairs: Vec<(f64, f64)> = rows()
                .filter_map(|(f, y)| Some((f.parse().ok()?, y.parse().ok()?)))
                .collect();
            correlation(&pairs).is_some_and(|r| r.abs() > 0.99)
        }
    }
}

fn correlation(pairs: &[(f64, f64)]) -> Option<f64> {
    let n = pairs.len() as f64;
    if pairs.len() < 3 {
        return None;
    }
    let (mx, my) = pairs
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx).powi(2);
        syy += (y - my).powi(2);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// The error for a column `t` does not have.
pub(crate) fn no_such_column(t: &Table, column: &str) -> TableError {
    TableError::new(
        &error::NO_SUCH_COLUMN,
        [("file", t.name.as_str().into()), ("column", column.into())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::table::infer_schema;

    fn table(headers: &[&str], rows: &[&[&str]]) -> Table {
        Table::from_str_rows("t.csv", headers, rows)
    }

    #[test]
    fn whole_numbers_with_few_values_are_classes() {
        let t = table(&["x", "y"], &[&["0.5", "1"], &["1.5", "0"], &["2.5", "1"]]);
        let s = infer_schema(&t).unwrap();
        let target = s.target(&t, "y", None).unwrap();
        assert_eq!(target.task, TaskChoice::Classification);
        assert_eq!(target.classes, [("0".to_string(), 1), ("1".to_string(), 2)]);
        assert_eq!(
            s.target(&t, "x", None).unwrap().task,
            TaskChoice::Regression
        );
    }
}
