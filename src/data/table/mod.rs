//! Tables a user brings: CSV/TSV and JSON Lines read into one cell grid, each column's type and
//! statistics inferred, and the columns the user picks encoded into a train/test `Dataset`.
//! Everything here is pure: bytes in, values or an error naming file, line and column out.

mod csv;
mod encode;
mod error;
mod features;
mod jsonl;
mod schema;
mod sniff;
mod split;
mod target;

pub use csv::{parse_csv, write_csv};
pub use encode::{EncodedTable, EncodingSummary, Missing, TableChoices, TaskChoice, encode};
pub use error::TableError;
pub use jsonl::parse_jsonl;
pub(crate) use schema::is_missing as is_missing_cell;
pub use schema::{
    ColumnKind, ColumnSummary, MAX_CLASSES, ONE_HOT_MAX, Schema, infer_schema, parse_number,
};
pub use sniff::{Format, detect_format, sniff_delimiter, text_of};
pub(crate) use split::split;
pub use target::{TargetSummary, infer_task};

/// A file larger than this is refused before it is read (stated in the message).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// Data rows (after the header) at most.
pub const MAX_ROWS: usize = 1_000_000;
/// Columns at most.
pub const MAX_COLUMNS: usize = 200;

/// A parsed table: a header and rows of text cells, all stored in one buffer (a 50 MB file
/// becomes one 50 MB string and 8 bytes per cell, not a `String` per cell).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The file's name, for messages.
    pub name: String,
    pub headers: Vec<String>,
    /// Whether the first line was a header (else the names are "column 1", ...).
    pub has_header: bool,
    /// Unescaped cell contents, concatenated.
    text: String,
    /// Row-major (start, end) of each cell in `text`.
    cells: Vec<(u32, u32)>,
    /// The line of the file each row starts on (1-based), for messages.
    lines: Vec<u32>,
}

impl Table {
    /// An empty table with these column names (checked by `finish`).
    fn with_headers(name: &str, headers: Vec<String>, has_header: bool) -> Self {
        Self {
            name: name.to_string(),
            headers,
            has_header,
            text: String::new(),
            cells: Vec::new(),
            lines: Vec::new(),
        }
    }

    /// `from_rows` for literal rows (`&[&["1", "a"], ...]`), as the tests write them.
    pub fn from_str_rows(name: &str, headers: &[&str], rows: &[&[&str]]) -> Self {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|v| v.to_string()).collect())
            .collect();
        Self::from_rows(name, headers, &rows)
    }

    /// Builds a table from rows of strings (tests, generated data).
    pub fn from_rows(name: &str, headers: &[&str], rows: &[Vec<String>]) -> Self {
        let mut t = Self::with_headers(name, headers.iter().map(|h| h.to_string()).collect(), true);
        for (i, row) in rows.iter().enumerate() {
            for cell in row {
                t.push_cell(cell);
            }
            t.lines.push(i as u32 + 2);
        }
        t
    }

    fn push_cell(&mut self, value: &str) {
        let start = self.text.len() as u32;
        self.text.push_str(value);
        self.cells.push((start, self.text.len() as u32));
    }

    pub fn rows(&self) -> usize {
        self.lines.len()
    }

    pub fn columns(&self) -> usize {
        self.headers.len()
    }

    pub fn cell(&self, row: usize, column: usize) -> &str {
        let (a, b) = self.cells[row * self.headers.len() + column];
        &self.text[a as usize..b as usize]
    }

    pub fn row(&self, row: usize) -> impl Iterator<Item = &str> {
        (0..self.columns()).map(move |c| self.cell(row, c))
    }

    /// The line of the file row `row` starts on.
    pub fn line(&self, row: usize) -> usize {
        self.lines[row] as usize
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Checks the header names and the limits once every row is in.
    fn finish(self) -> Result<Self, TableError> {
        let err = |m: String| TableError::file(&self.name, m);
        if self.headers.len() > MAX_COLUMNS {
            return Err(err(format!(
                "has {} columns; the limit is {MAX_COLUMNS}",
                self.headers.len()
            )));
        }
        for (i, h) in self.headers.iter().enumerate() {
            if h.trim().is_empty() {
                return Err(TableError::at(
                    &self.name,
                    Some(1),
                    None,
                    format!("column {} has an empty name in the header", i + 1),
                ));
            }
            if let Some(j) = self.headers[..i].iter().position(|g| g == h) {
                return Err(TableError::at(
                    &self.name,
                    Some(1),
                    None,
                    format!(
                        "the header names column '{h}' twice (columns {} and {})",
                        j + 1,
                        i + 1
                    ),
                ));
            }
        }
        if self.rows() == 0 {
            return Err(err(if self.has_header {
                "has a header but no data rows".into()
            } else {
                "has no data rows".into()
            }));
        }
        Ok(self)
    }
}

/// What a file holds once read.
#[derive(Debug, Clone, PartialEq)]
pub enum FileData {
    Table(Table),
    /// Plain text, for character-level language modelling.
    Text(String),
}

/// Reads a file a user dropped: checks size, encoding and binary content, detects the format
/// from the name and the content, and parses it.
pub fn read_file(name: &str, bytes: &[u8]) -> Result<FileData, TableError> {
    let text = text_of(name, bytes)?;
    match detect_format(name, text) {
        Format::Text => Ok(FileData::Text(text.to_string())),
        Format::JsonLines => parse_jsonl(name, text).map(FileData::Table),
        Format::Delimited => parse_csv(name, text, None).map(FileData::Table),
    }
}
