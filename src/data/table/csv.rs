//! Delimited text (RFC 4180): fields split by a sniffed delimiter, double-quoted fields that may
//! hold the delimiter, newlines and doubled quotes (""), CRLF or LF line ends, and a header row
//! detected rather than assumed. Our own parser (no dependency): it keeps each row's line number
//! for messages and writes every cell into the table's one buffer.

use super::decimal::{Decimal, sniff_decimal, to_decimal_points};
use super::schema::{NotANumber, parse_number};
use super::{
    MAX_CELLS, MAX_COLUMNS, MAX_ROWS, Table, TableError, error, sniff_delimiter, too_many_cells,
};
use crate::error::Field;

/// Parses `text` (the file `name`) with `delimiter`, or a sniffed one when `None`, and the
/// decimal mark sniffed.
pub fn parse_csv(name: &str, text: &str, delimiter: Option<u8>) -> Result<Table, TableError> {
    parse_csv_with(name, text, delimiter, None)
}

/// `parse_csv` with the decimal mark given (`None`: sniffed). Every limit is checked before the
/// memory it guards is reserved: the columns at the first record, the cells at each record.
pub fn parse_csv_with(
    name: &str,
    text: &str,
    delimiter: Option<u8>,
    decimal: Option<Decimal>,
) -> Result<Table, TableError> {
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(name, text));
    let most = Most::of(text.as_bytes(), delimiter);
    let mut t = Table::with_headers(name, Vec::new(), false);
    t.delimiter = Some(delimiter);
    t.lines.reserve(most.records.min(MAX_ROWS + 1));
    let mut width = 0;
    Parser {
        name,
        bytes: text.as_bytes(),
        text,
        delimiter,
        at: 0,
        line: 1,
    }
    .records(|record_line, cells: &[(u32, u32)], buffer: &str| {
        if t.lines.is_empty() {
            width = cells.len();
            if width > MAX_COLUMNS {
                return Err(too_many_columns(name, width));
            }
            // Room for every cell up front: growing by doubling would hold two copies at the peak.
            t.text.reserve(text.len());
            let rows = most.records.min(MAX_ROWS + 1);
            t.cells.reserve(
                rows.saturating_mul(width)
                    .min(most.cells)
                    .min(MAX_CELLS + width),
            );
        } else if cells.len() != width {
            return Err(TableError::new(
                &error::RAGGED_ROW,
                [
                    ("file", name.into()),
                    ("line", Field::plain(record_line)),
                    ("fields", Field::plain(cells.len())),
                    ("width", Field::plain(width)),
                ],
            ));
        }
        if t.lines.len() > MAX_ROWS {
            return Err(TableError::new(
                &error::OVER_ROW_LIMIT,
                [("file", name.into()), ("limit", MAX_ROWS.into())],
            ));
        }
        // The first record may be the header: this one is data row `t.lines.len()` at most.
        if t.lines.len() * width > MAX_CELLS {
            return Err(too_many_cells(name, None, width));
        }
        for &(a, b) in cells {
            t.push_cell(&buffer[a as usize..b as usize]);
        }
        t.lines.push(record_line as u32);
        Ok(())
    })?;
    if t.lines.is_empty() {
        return Err(TableError::new(&error::EMPTY, [("file", name.into())]));
    }
    t.decimal = decimal.unwrap_or_else(|| sniff_decimal(&t, width));
    if t.decimal == Decimal::Comma {
        to_decimal_points(&mut t);
    }
    t.has_header = t.lines.len() == 1 || has_header(&t, width);
    if t.has_header {
        t.headers = (0..width)
            .map(|c| t.raw_cell(width, 0, c).to_string())
            .collect();
        t.cells.drain(..width);
        t.lines.remove(0);
    } else {
        t.headers = (1..=width).map(|c| format!("column {c}")).collect();
    }
    if t.lines.len() > MAX_ROWS {
        return Err(TableError::new(
            &error::TOO_MANY_ROWS,
            [
                ("file", name.into()),
                ("rows", t.lines.len().into()),
                ("limit", MAX_ROWS.into()),
            ],
        ));
    }
    t.finish()
}

pub(super) fn too_many_columns(name: &str, columns: usize) -> TableError {
    TableError::new(
        &error::TOO_MANY_COLUMNS,
        [
            ("file", name.into()),
            ("columns", Field::plain(columns)),
            ("limit", Field::plain(MAX_COLUMNS)),
        ],
    )
}

/// What a file can hold at most, counted in one pass before anything is reserved: a record
/// starts on a line that is not empty (empty lines cost nothing), and every cell but a
/// record's last ends at a delimiter, so there are no more cells than delimiters and records.
struct Most {
    records: usize,
    cells: usize,
}

impl Most {
    fn of(bytes: &[u8], delimiter: u8) -> Self {
        let (mut records, mut delimiters, mut blank) = (0usize, 0usize, true);
        let mut previous = 0u8;
        for &b in bytes {
            if b == b'\n' || b == b'\r' {
                // A CR-LF pair ends one line, a lone CR (old Mac) ends one too.
                let second_of_crlf = b == b'\n' && previous == b'\r';
                if !blank && !second_of_crlf {
                    records += 1;
                }
                blank = true;
            } else {
                delimiters += usize::from(b == delimiter);
                blank = false;
            }
            previous = b;
        }
        records += usize::from(!blank);
        Self {
            records,
            cells: delimiters + records,
        }
    }
}

/// 1000000 -> "1,000,000".
pub fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The first row is a header when some column is numeric below it but not in it; a table of
/// text columns only is taken to have one (most do). Called before the header is taken out, so
/// the rows are read with the record's `width`.
fn has_header(t: &Table, width: usize) -> bool {
    let sample = 1..t.rows().min(101);
    let mut votes_against = 0;
    for c in 0..width {
        let mut seen = 0;
        let numeric = sample.clone().all(|r| {
            let v = t.raw_cell(width, r, c);
            match parse_number(v) {
                Ok(Some(_)) => {
                    seen += 1;
                    true
                }
                Ok(None) => true,
                Err(NotANumber) => false,
            }
        }) && seen > 0;
        if numeric {
            match parse_number(t.raw_cell(width, 0, c)) {
                Err(NotANumber) => return true,
                Ok(Some(_)) => votes_against += 1,
                Ok(None) => {}
            }
        }
    }
    votes_against == 0
}

/// Line ends in `bytes`: LF, CR LF and lone CR each count once.
pub(super) fn line_ends(bytes: &[u8]) -> usize {
    let lf = bytes.iter().filter(|b| **b == b'\n').count();
    let lone_cr = bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .count();
    lf + lone_cr
}

struct Parser<'a> {
    name: &'a str,
    text: &'a str,
    bytes: &'a [u8],
    delimiter: u8,
    at: usize,
    line: usize,
}

impl Parser<'_> {
    /// Calls `each(line, cells, buffer)` per record; cells are spans into `buffer`.
    fn records(
        mut self,
        mut each: impl FnMut(usize, &[(u32, u32)], &str) -> Result<(), TableError>,
    ) -> Result<(), TableError> {
        let mut buffer = String::new();
        let mut cells: Vec<(u32, u32)> = Vec::new();
        let n = self.bytes.len();
        while self.at < n {
            // Blank lines between records are skipped.
            if let Some(end) = self.line_end() {
                self.at += end;
                self.line += 1;
                continue;
            }
            let record_line = self.line;
            buffer.clear();
            cells.clear();
            loop {
                let start = buffer.len() as u32;
                if self.bytes.get(self.at) == Some(&b'"') {
                    self.quoted(&mut buffer)?;
                } else {
                    self.unquoted(&mut buffer);
                }
                cells.push((start, buffer.len() as u32));
                if let Some(end) = self.line_end() {
                    self.at += end;
                    self.line += 1;
                    break;
                }
                match self.bytes.get(self.at) {
                    Some(&d) if d == self.delimiter => self.at += 1,
                    None => break,
                    Some(_) => unreachable!("a field ends at a delimiter, a newline or the end"),
                }
            }
            each(record_line, &cells, &buffer)?;
        }
        Ok(())
    }

    /// The length of the line end at `at`: LF, CR LF, or a lone CR (old Mac files).
    fn line_end(&self) -> Option<usize> {
        match self.bytes.get(self.at) {
            Some(b'\n') => Some(1),
            Some(b'\r') if self.bytes.get(self.at + 1) == Some(&b'\n') => Some(2),
            Some(b'\r') => Some(1),
            _ => None,
        }
    }

    /// Up to the next delimiter or line end, spaces trimmed.
    fn unquoted(&mut self, buffer: &mut String) {
        let rest = &self.bytes[self.at..];
        let len = rest
            .iter()
            .position(|b| *b == self.delimiter || *b == b'\n' || *b == b'\r')
            .unwrap_or(rest.len());
        let end = self.at + len;
        buffer.push_str(self.text[self.at..end].trim());
        self.at = end;
    }

    /// A quoted field: "" is a quote; delimiters and newlines are content.
    fn quoted(&mut self, buffer: &mut String) -> Result<(), TableError> {
        let opened = self.line;
        self.at += 1;
        loop {
            let rest = &self.bytes[self.at..];
            let Some(q) = rest.iter().position(|b| *b == b'"') else {
                return Err(TableError::new(
                    &error::QUOTE_NOT_CLOSED,
                    [("file", self.name.into()), ("line", Field::plain(opened))],
                ));
            };
            let segment = &self.text[self.at..self.at + q];
            self.line += line_ends(segment.as_bytes());
            buffer.push_str(segment);
            self.at += q + 1;
            if self.bytes.get(self.at) == Some(&b'"') {
                buffer.push('"');
                self.at += 1;
            } else {
                break;
            }
        }
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\t')) && self.delimiter != b'\t' {
            self.at += 1;
        }
        match self.bytes.get(self.at) {
            None | Some(b'\n' | b'\r') => Ok(()),
            Some(&d) if d == self.delimiter => Ok(()),
            Some(_) => Err(TableError::new(
                &error::TEXT_AFTER_QUOTE,
                [
                    ("file", self.name.into()),
                    ("line", Field::plain(self.line)),
                ],
            )),
        }
    }
}

/// The table as delimited text with a header, quoting only where needed. Reading it back
/// gives the same table (for headers that are not all numbers).
pub fn write_csv(table: &Table, delimiter: u8) -> String {
    let d = delimiter as char;
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>, width: usize| {
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                out.push(d);
            }
            let needs_quotes = cell.contains([d, '"', '\n', '\r'])
                || cell.trim() != cell
                || (width == 1 && cell.is_empty());
            if needs_quotes {
                out.push('"');
                out.push_str(&cell.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(cell);
            }
        }
        out.push('\n');
    };
    let width = table.columns();
    line(&mut table.headers.iter().map(String::as_str), width);
    for r in 0..table.rows() {
        line(&mut table.row(r), width);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Table {
        parse_csv("t.csv", text, None).unwrap()
    }

    #[test]
    fn quotes_hold_delimiters_newlines_and_quotes() {
        let t = parse("name,note\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\"\nLee,ok\r\n");
        assert_eq!(t.headers, ["name", "note"]);
        assert_eq!(t.rows(), 2);
        assert_eq!(t.cell(0, 0), "Smith, J");
        assert_eq!(t.cell(0, 1), "said \"hi\"\nthen left");
        assert_eq!(t.cell(1, 1), "ok");
        assert_eq!((t.line(0), t.line(1)), (2, 4));
    }

    #[test]
    fn header_is_detected() {
        let t = parse("1,2,a\n3,4,b\n");
        assert!(!t.has_header);
        assert_eq!(t.headers, ["column 1", "column 2", "column 3"]);
        assert_eq!(t.rows(), 2);
        assert!(parse("x,y\n1,2\n").has_header);
        assert!(parse("word,label\nhello,a\n").has_header);
    }

    #[test]
    fn trailing_empty_fields_and_blank_lines() {
        let t = parse("a,b\n1,\n\n2,3\n\n");
        assert_eq!(t.rows(), 2);
        assert_eq!(t.cell(0, 1), "");
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(group(1_000_000), "1,000,000");
        assert_eq!(group(999), "999");
    }
}
