//! Tables a user brings: CSV/TSV and JSON Lines read into one cell grid, each column's type and
//! statistics inferred, and the columns the user picks encoded into a train/test `Dataset`.
//! Everything here is pure: bytes in, values or an error naming file, line and column out.

mod csv;
mod decimal;
mod encode;
pub mod error;
mod features;
mod jsonl;
mod predict;
mod schema;
mod sniff;
mod split;
mod target;

pub use csv::group;
pub use csv::{parse_csv, parse_csv_with, write_csv};
pub use decimal::Decimal;
pub use encode::{
    EncodedTable, EncodingSummary, MAX_INPUT_VALUES, Missing, TableChoices, TaskChoice, encode,
};
pub use error::TableError;
pub use jsonl::parse_jsonl;
pub use predict::{ColumnEncoding, FeatureEncoding, NewRows};
pub(crate) use schema::is_missing as is_missing_cell;
pub use schema::{
    ColumnKind, ColumnSummary, MAX_CLASSES, ONE_HOT_MAX, Schema, infer_schema, parse_number,
};
pub use sniff::{Format, detect_format, sniff_delimiter, text_of};
pub(crate) use split::split;
pub use target::{TargetSummary, infer_task};

use crate::error::Field;

/// A file larger than this is refused before it is read (stated in the message).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// Data rows (after the header) at most.
pub const MAX_ROWS: usize = 1_000_000;
/// Columns at most.
pub const MAX_COLUMNS: usize = 200;
/// Cells (rows × columns) at most: 8 bytes each in the table, so 128 MB; checked before the
/// cells are reserved. A million rows of 16 columns, or 80,000 rows of all 200.
pub const MAX_CELLS: usize = 1 << 24;

/// A parsed table: a header and rows of text cells, all stored in one buffer (a 50 MB file
/// becomes one 50 MB string and 8 bytes per cell, not a `String` per cell).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The file's name, for messages.
    pub name: String,
    pub headers: Vec<String>,
    /// Whether the first line was a header (else the names are "column 1", ...).
    pub has_header: bool,
    /// The delimiter that separated the fields (`None`: JSON Lines).
    pub delimiter: Option<u8>,
    /// How the numbers were written; a decimal comma's cells are stored with a point.
    pub decimal: Decimal,
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
            delimiter: None,
            decimal: Decimal::Point,
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

    /// A cell while the rows are `width` wide and the headers not yet set (the parsers).
    fn raw_cell(&self, width: usize, row: usize, column: usize) -> &str {
        let (a, b) = self.cells[row * width + column];
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
        if self.headers.len() > MAX_COLUMNS {
            return Err(csv::too_many_columns(&self.name, self.headers.len()));
        }
        if self.rows().saturating_mul(self.columns()) > MAX_CELLS {
            return Err(too_many_cells(
                &self.name,
                Some(self.rows()),
                self.columns(),
            ));
        }
        for (i, h) in self.headers.iter().enumerate() {
            if h.trim().is_empty() {
                return Err(TableError::new(
                    &error::HEADER_EMPTY_NAME,
                    [
                        ("file", self.name.as_str().into()),
                        ("line", Field::plain(1)),
                        ("index", Field::plain(i + 1)),
                    ],
                ));
            }
            if let Some(j) = self.headers[..i].iter().position(|g| g == h) {
                return Err(TableError::new(
                    &error::HEADER_TWICE,
                    [
                        ("file", self.name.as_str().into()),
                        ("line", Field::plain(1)),
                        ("column", h.as_str().into()),
                        ("first", Field::plain(j + 1)),
                        ("second", Field::plain(i + 1)),
                    ],
                ));
            }
        }
        if self.rows() == 0 {
            let wording = match self.has_header {
                true => &error::HEADER_ONLY,
                false => &error::NO_DATA_ROWS,
            };
            return Err(TableError::new(
                wording,
                [("file", self.name.as_str().into())],
            ));
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
/// from the name and the content, and parses it (the decimal mark sniffed).
pub fn read_file(name: &str, bytes: &[u8]) -> Result<FileData, TableError> {
    read_file_with(name, bytes, None)
}

/// `read_file`, with the decimal mark of a delimited file as the user chose it (`None`: sniffed).
pub fn read_file_with(
    name: &str,
    bytes: &[u8],
    decimal: Option<Decimal>,
) -> Result<FileData, TableError> {
    let text = text_of(name, bytes)?;
    match detect_format(name, text) {
        Format::Text => Ok(FileData::Text(crate::data::text::with_newlines(text))),
        Format::JsonLines => parse_jsonl(name, text).map(FileData::Table),
        Format::Delimited => parse_csv_with(name, text, None, decimal).map(FileData::Table),
    }
}

/// The error for a table of more than `MAX_CELLS` cells, before they are reserved: `rows` when
/// known, else (while parsing) more rows than fit.
pub(crate) fn too_many_cells(name: &str, rows: Option<usize>, columns: usize) -> TableError {
    let (file, columns_field, limit) = (
        ("file", name.into()),
        ("columns", Field::plain(columns)),
        ("limit", MAX_CELLS.into()),
    );
    match rows {
        Some(rows) => TableError::new(
            &error::TOO_MANY_CELLS,
            [
                file,
                ("rows", rows.into()),
                columns_field,
                ("cells", rows.saturating_mul(columns).into()),
                limit,
            ],
        ),
        None => TableError::new(
            &error::OVER_CELL_LIMIT,
            [
                file,
                ("rows", (MAX_CELLS / columns.max(1)).into()),
                columns_field,
                limit,
            ],
        ),
    }
}
