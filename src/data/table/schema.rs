//! What a table holds, before anything trains: each column's type (numeric, categorical, text),
//! missing values, statistics, and warnings; duplicate rows. The target's analysis: target.rs.

use super::{Decimal, Table, TableError, error};
use crate::error::{Field, UserError};
use error::{
    WARN_CONSTANT, WARN_DUPLICATE_ROWS, WARN_EMPTY_COLUMN, WARN_IDENTIFIER, WARN_MANY_CATEGORIES,
};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// A classification target may have this many classes at most.
pub const MAX_CLASSES: usize = 50;
/// A categorical column gets at most this many one-hot inputs (the most frequent categories;
/// the rest share the last one).
pub const ONE_HOT_MAX: usize = 32;
/// Rows shown in the preview.
pub const PREVIEW_ROWS: usize = 8;
/// Distinct values counted per column; past this a column is only "many".
const DISTINCT_CAP: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ColumnKind {
    Numeric,
    Categorical,
    /// Free text (long values, mostly different): a sequence model's input.
    Text,
    /// No value in any row.
    Empty,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnSummary {
    pub name: String,
    pub kind: ColumnKind,
    pub missing: usize,
    /// Distinct non-missing values, at most `DISTINCT_CAP` (then `many_distinct`).
    pub distinct: usize,
    pub many_distinct: bool,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub mean: Option<f64>,
    pub std: Option<f64>,
    /// Whole numbers only (numeric columns).
    pub integer: bool,
    /// The most frequent values with their counts (categorical and text columns).
    pub top: Vec<(String, usize)>,
    pub warnings: Vec<UserError>,
}

impl ColumnSummary {
    /// A good feature for the MLP by default: numeric or categorical, varying, not an id.
    pub fn usable(&self) -> bool {
        matches!(self.kind, ColumnKind::Numeric | ColumnKind::Categorical)
            && self.distinct > 1
            && !self.identifier()
    }

    fn identifier(&self) -> bool {
        self.kind == ColumnKind::Categorical && self.many_distinct
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    pub file: String,
    pub rows: usize,
    pub has_header: bool,
    /// The delimiter sniffed (",", ";", "\t", "|"); `None` for JSON Lines.
    pub delimiter: Option<String>,
    /// The decimal mark the numbers were read with (sniffed, or as the user chose).
    pub decimal: Decimal,
    pub columns: Vec<ColumnSummary>,
    /// The first rows, cells cut to 60 characters.
    pub preview: Vec<Vec<String>>,
    /// Rows equal to an earlier row.
    pub duplicate_rows: usize,
    pub warnings: Vec<UserError>,
    /// The column proposed as target: the last one that is not empty or text.
    pub default_target: Option<String>,
}

impl Schema {
    pub fn column(&self, name: &str) -> Option<&ColumnSummary> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A cell that holds text where a number was wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotANumber;

/// A cell as a number: `Ok(None)` when missing (empty, NA, NaN), `Err` when it is text.
pub fn parse_number(cell: &str) -> Result<Option<f64>, NotANumber> {
    let v = cell.trim();
    if is_missing(v) {
        return Ok(None);
    }
    match v.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(Some(x)),
        _ => Err(NotANumber),
    }
}

/// Empty, R's NA, and NaN (pandas' missing value). "n/a", "-" and "?" are not: in a numeric
/// column they are reported, since they may mean something else.
pub(crate) fn is_missing(v: &str) -> bool {
    let v = v.trim();
    v.is_empty() || v == "NA" || v.eq_ignore_ascii_case("nan")
}

/// Summarises every column; a column that is numeric apart from a few stray values is an error
/// naming the first of them.
pub fn infer_schema(t: &Table) -> Result<Schema, TableError> {
    let columns = (0..t.columns())
        .map(|c| summarise(t, c))
        .collect::<Result<Vec<_>, _>>()?;
    let preview = (0..t.rows().min(PREVIEW_ROWS))
        .map(|r| t.row(r).map(|v| cut(v, 60)).collect())
        .collect();
    let duplicate_rows = duplicates(t);
    let mut warnings = Vec::new();
    if duplicate_rows > 0 {
        warnings.push(UserError::new(
            &WARN_DUPLICATE_ROWS,
            [("rows", duplicate_rows.into())],
        ));
    }
    let default_target = columns
        .iter()
        .rev()
        .find(|c| matches!(c.kind, ColumnKind::Numeric | ColumnKind::Categorical))
        .map(|c| c.name.clone());
    Ok(Schema {
        file: t.name.clone(),
        rows: t.rows(),
        has_header: t.has_header,
        delimiter: t.delimiter.map(|d| char::from(d).to_string()),
        decimal: t.decimal,
        columns,
        preview,
        duplicate_rows,
        warnings,
        default_target,
    })
}

fn cut(v: &str, n: usize) -> String {
    if v.chars().count() <= n {
        v.to_string()
    } else {
        v.chars().take(n - 1).chain(['…']).collect()
    }
}

/// FNV-1a: for the short keys of column statistics several times faster than the default
/// (DoS-resistant) hasher, which a file the user chose does not need.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

fn duplicates(t: &Table) -> usize {
    // Row hashes, not rows: a 64-bit collision between two different rows is negligible here.
    let mut seen: HashSet<u64, BuildHasherDefault<Fnv>> =
        HashSet::with_capacity_and_hasher(t.rows(), Default::default());
    (0..t.rows())
        .filter(|&r| {
            let mut h = Fnv::default();
            for v in t.row(r) {
                v.hash(&mut h);
            }
            !seen.insert(h.finish())
        })
        .count()
}

fn summarise(t: &Table, c: usize) -> Result<ColumnSummary, TableError> {
    let name = &t.headers[c];
    let (mut missing, mut numbers, mut chars, mut spaced) = (0usize, 0usize, 0usize, 0usize);
    let (mut sum, mut sum_sq) = (0.0f64, 0.0f64);
    let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut integer = true;
    let mut not_numbers: Vec<usize> = Vec::new();
    let mut counts: FastMap<&str, usize> = FastMap::default();
    let mut many = false;
    for r in 0..t.rows() {
        let v = t.cell(r, c).trim();
        match parse_number(v) {
            Ok(None) => {
                missing += 1;
                continue;
            }
            Ok(Some(x)) => {
                numbers += 1;
                sum += x;
                sum_sq += x * x;
                min = min.min(x);
                max = max.max(x);
                integer &= x.fract() == 0.0;
            }
            Err(NotANumber) => {
                if not_numbers.len() < 3 {
                    not_numbers.push(r);
                }
                chars += v.chars().count();
                spaced += usize::from(v.contains(' '));
            }
        }
        if let Some(n) = counts.get_mut(v) {
            *n += 1;
        } else if counts.len() < DISTINCT_CAP {
            counts.insert(v, 1);
        } else {
            many = true;
        }
    }
    let present = t.rows() - missing;
    let texts = present - numbers;
    let mut warnings = Vec::new();
    let kind = if present == 0 {
        warnings.push(UserError::new(&WARN_EMPTY_COLUMN, []));
        ColumnKind::Empty
    } else if texts == 0 {
        ColumnKind::Numeric
    } else if numbers >= texts {
        return Err(stray_values(t, c, &not_numbers, texts));
    } else if texts > 0 && (chars / texts >= 20 || (spaced * 2 > texts && counts.len() * 2 > texts))
    {
        ColumnKind::Text
    } else {
        ColumnKind::Categorical
    };
    let distinct = counts.len();
    if distinct == 1 {
        let only = counts.keys().next().expect("one value");
        warnings.push(UserError::new(
            &WARN_CONSTANT,
            [("value", cut(only, 30).into())],
        ));
    }
    if kind == ColumnKind::Categorical && many {
        warnings.push(UserError::new(
            &WARN_IDENTIFIER,
            [("limit", DISTINCT_CAP.into())],
        ));
    } else if kind == ColumnKind::Categorical && distinct > ONE_HOT_MAX {
        warnings.push(UserError::new(
            &WARN_MANY_CATEGORIES,
            [
                ("categories", Field::plain(distinct)),
                ("inputs", Field::plain(ONE_HOT_MAX - 1)),
            ],
        ));
    }
    let numeric = kind == ColumnKind::Numeric;
    let mean = sum / numbers.max(1) as f64;
    let mut top: Vec<(String, usize)> = if numeric {
        Vec::new()
    } else {
        counts.iter().map(|(k, n)| (cut(k, 40), *n)).collect()
    };
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(6);
    Ok(ColumnSummary {
        name: name.clone(),
        kind,
        missing,
        distinct,
        many_distinct: many,
        min: numeric.then_some(min),
        max: numeric.then_some(max),
        mean: numeric.then_some(mean),
        std: numeric.then(|| (sum_sq / numbers as f64 - mean * mean).max(0.0).sqrt()),
        integer: numeric && integer,
        top,
        warnings,
    })
}

fn stray_values(t: &Table, c: usize, rows: &[usize], count: usize) -> TableError {
    let r = rows[0];
    let value = t.cell(r, c).trim();
    let comma = value.contains(',') && value.replace(',', ".").parse::<f64>().is_ok();
    let wording = match (count > 1, comma) {
        (false, false) => &error::NOT_A_NUMBER,
        (false, true) => &error::NOT_A_NUMBER_COMMA,
        (true, false) => &error::NOT_NUMBERS,
        (true, true) => &error::NOT_NUMBERS_COMMA,
    };
    TableError::new(
        wording,
        [
            ("file", t.name.as_str().into()),
            ("line", Field::plain(t.line(r))),
            ("column", t.headers[c].as_str().into()),
            ("value", cut(value, 30).into()),
            ("count", count.into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(headers: &[&str], rows: &[&[&str]]) -> Table {
        Table::from_str_rows("t.csv", headers, rows)
    }

    #[test]
    fn kinds_missing_and_statistics() {
        let t = table(
            &["x", "colour", "note"],
            &[
                &["1", "red", "a rather long sentence about nothing"],
                &["NA", "blue", "another rather long sentence here"],
                &["3", "red", ""],
            ],
        );
        let s = infer_schema(&t).unwrap();
        let x = &s.columns[0];
        assert_eq!(
            (x.kind, x.missing, x.min, x.max, x.mean),
            (ColumnKind::Numeric, 1, Some(1.0), Some(3.0), Some(2.0))
        );
        assert_eq!(s.columns[1].kind, ColumnKind::Categorical);
        assert_eq!(s.columns[1].top[0], ("red".to_string(), 2));
        assert_eq!(s.columns[2].kind, ColumnKind::Text);
        assert_eq!(s.default_target.as_deref(), Some("colour"));
    }
}
