//! JSON Lines: one flat JSON object per line. Columns are the keys in order of first appearance;
//! a key missing from a line, or null, is a missing value; numbers and booleans keep their text.

use super::{MAX_CELLS, MAX_COLUMNS, MAX_ROWS, Table, TableError, error, too_many_cells};
use crate::error::Field;
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

/// Parses JSON Lines in two passes, so that nothing is allocated for the table before its size
/// is known and checked: the first finds the keys and counts the rows (one line's fields in
/// memory at a time), the second writes the cells into a table of exactly that size.
pub fn parse_jsonl(name: &str, text: &str) -> Result<Table, TableError> {
    let mut keys: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut rows = 0usize;
    for (line_no, line) in lines(text) {
        if rows == MAX_ROWS {
            return Err(TableError::new(
                &error::OVER_JSONL_ROW_LIMIT,
                [("file", name.into()), ("limit", MAX_ROWS.into())],
            ));
        }
        for (key, _) in fields(name, line_no, line)? {
            if !index.contains_key(&key) {
                if keys.len() == MAX_COLUMNS {
                    return Err(TableError::new(
                        &error::TOO_MANY_KEYS,
                        [
                            ("file", name.into()),
                            ("line", Field::plain(line_no)),
                            ("column", key.into()),
                            ("number", Field::plain(MAX_COLUMNS + 1)),
                            ("limit", Field::plain(MAX_COLUMNS)),
                        ],
                    ));
                }
                index.insert(key.clone(), keys.len());
                keys.push(key);
            }
        }
        rows += 1;
    }
    if rows == 0 {
        return Err(TableError::new(&error::EMPTY, [("file", name.into())]));
    }
    let width = keys.len();
    let cells = rows.saturating_mul(width);
    if cells > MAX_CELLS {
        return Err(too_many_cells(name, Some(rows), width));
    }
    // A CSV has a delimiter or line end per cell; a key missing from a line costs nothing, so a
    // sparse file could ask for far more cells than it has bytes.
    if cells > text.len() {
        return Err(TableError::new(
            &error::SPARSE_KEYS,
            [
                ("file", name.into()),
                ("rows", rows.into()),
                ("keys", Field::plain(width)),
                ("cells", cells.into()),
                ("bytes", text.len().into()),
            ],
        ));
    }
    let mut t = Table::with_headers(name, keys, true);
    t.text.reserve(text.len());
    t.cells.reserve_exact(cells);
    t.lines.reserve_exact(rows);
    let mut row: Vec<(u32, u32)> = vec![(0, 0); width];
    for (line_no, line) in lines(text) {
        row.fill((0, 0));
        for (key, value) in fields(name, line_no, line)? {
            let start = t.text.len() as u32;
            if !write_value(&mut t.text, value) {
                return Err(TableError::new(
                    &error::NESTED_VALUE,
                    [
                        ("file", name.into()),
                        ("line", Field::plain(line_no)),
                        ("column", key.into()),
                    ],
                ));
            }
            row[index[&key]] = (start, t.text.len() as u32);
        }
        t.cells.extend_from_slice(&row);
        t.lines.push(line_no as u32);
    }
    t.finish()
}

/// The lines that are not blank, with their 1-based numbers; LF, CR LF or a lone CR ends one.
fn lines(text: &str) -> Lines<'_> {
    Lines {
        text,
        at: 0,
        line: 1,
    }
}

struct Lines<'a> {
    text: &'a str,
    at: usize,
    line: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        while self.at < bytes.len() {
            let rest = &bytes[self.at..];
            let len = rest
                .iter()
                .position(|b| *b == b'\n' || *b == b'\r')
                .unwrap_or(rest.len());
            let (line, number) = (&self.text[self.at..self.at + len], self.line);
            let crlf = rest.get(len) == Some(&b'\r') && rest.get(len + 1) == Some(&b'\n');
            self.at += len + if crlf { 2 } else { 1 };
            self.line += 1;
            if !line.trim().is_empty() {
                return Some((number, line));
            }
        }
        None
    }
}

fn fields(name: &str, line_no: usize, line: &str) -> Result<Vec<(String, Value)>, TableError> {
    let Fields(fields) = serde_json::from_str(line).map_err(|e| {
        // serde_json's own words (English) say what is wrong with the line.
        TableError::new(
            &error::NOT_JSON_OBJECT,
            [
                ("file", name.into()),
                ("line", Field::plain(line_no)),
                ("detail", e.to_string().into()),
            ],
        )
    })?;
    Ok(fields)
}

/// A value's text appended to `out`: null is missing, numbers and booleans as written; false
/// for a list or an object, which a flat table cannot hold.
fn write_value(out: &mut String, value: Value) -> bool {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        Value::Number(n) => {
            use std::fmt::Write;
            write!(out, "{n}").expect("writing to a String cannot fail");
        }
        Value::String(s) => out.push_str(&s),
        Value::Array(_) | Value::Object(_) => return false,
    }
    true
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
