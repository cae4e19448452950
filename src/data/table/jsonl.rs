//! JSON Lines: one flat JSON object per line. Columns are the keys in order of first appearance;
//! a key missing from a line, or null, is a missing value; numbers and booleans keep their text.

use super::csv::group;
use super::{MAX_COLUMNS, MAX_ROWS, Table, TableError};
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;

/// An object's fields in the order written (serde_json's map would sort them).
struct Fields(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Fields;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    fields.push(entry);
                }
                Ok(Fields(fields))
            }
        }
        d.deserialize_map(V)
    }
}

pub fn parse_jsonl(name: &str, text: &str) -> Result<Table, TableError> {
    let mut keys: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // Each row as (column, text); cells go into the table once every key is known.
    let mut rows: Vec<(usize, Vec<(usize, String)>)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(TableError::file(
                name,
                format!(
                    "has more than {} rows; the limit is {}",
                    group(MAX_ROWS),
                    group(MAX_ROWS)
                ),
            ));
        }
        let at = |m: String| TableError::at(name, Some(line_no), None, m);
        let Fields(fields) = serde_json::from_str(line).map_err(|e| {
            at(format!(
                "is not a JSON object ({e}); JSON Lines holds one object per line"
            ))
        })?;
        let mut row = Vec::with_capacity(fields.len());
        for (key, value) in fields {
            let text = match value {
                Value::Null => String::new(),
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => n.to_string(),
                Value::String(s) => s,
                Value::Array(_) | Value::Object(_) => {
                    return Err(TableError::at(
                        name,
                        Some(line_no),
                        Some(&key),
                        "holds a list or an object; only flat objects (text, numbers, \
                         true/false, null) can be read",
                    ));
                }
            };
            let column = *index.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                keys.len() - 1
            });
            row.push((column, text));
        }
        if keys.len() > MAX_COLUMNS {
            return Err(TableError::file(
                name,
                format!("has more than {MAX_COLUMNS} keys; the limit is {MAX_COLUMNS} columns"),
            ));
        }
        rows.push((line_no, row));
    }
    if rows.is_empty() {
        return Err(TableError::file(name, "is empty"));
    }
    let mut t = Table::with_headers(name, keys, true);
    let width = t.columns();
    let mut cells = vec![String::new(); width];
    for (line, row) in rows {
        cells.iter_mut().for_each(String::clear);
        for (c, v) in row {
            cells[c] = v;
        }
        for cell in &cells {
            t.push_cell(cell);
        }
        t.lines.push(line as u32);
    }
    t.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_order_missing_keys_are_empty() {
        let t = parse_jsonl(
            "a.jsonl",
            "{\"b\": 1, \"a\": \"x\"}\n\n{\"a\": \"y\", \"c\": true}\n{\"b\": null}\n",
        )
        .unwrap();
        assert_eq!(t.headers, ["b", "a", "c"]);
        assert_eq!(t.row(0).collect::<Vec<_>>(), ["1", "x", ""]);
        assert_eq!(t.row(1).collect::<Vec<_>>(), ["", "y", "true"]);
        assert_eq!(t.line(2), 4);
    }
}
