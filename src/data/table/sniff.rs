//! Before parsing: is the file within the size limit, text and UTF-8; which format is it (by
//! name, then by content); and which delimiter separates its fields.

use super::{MAX_FILE_BYTES, TableError, error};
use crate::error::Field;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV, TSV or another delimiter, sniffed.
    Delimited,
    JsonLines,
    /// Plain text: a character-level language model.
    Text,
}

/// The file's text, with a UTF-8 byte-order mark removed; or why it is not usable text.
pub fn text_of<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str, TableError> {
    let file = || ("file", name.into());
    if bytes.len() > MAX_FILE_BYTES {
        return Err(TableError::new(
            &error::FILE_TOO_LARGE,
            [
                file(),
                ("size", megabytes(bytes.len()).into()),
                ("limit", megabytes(MAX_FILE_BYTES).into()),
            ],
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(TableError::new(&error::EMPTY, [file()]));
    }
    // Text never holds NUL bytes; images, archives, spreadsheets and UTF-16 files do early on.
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(TableError::new(&error::BINARY, [file()]));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = 1 + super::csv::line_ends(&bytes[..at]);
        TableError::new(
            &error::NOT_UTF8,
            [
                file(),
                ("line", Field::plain(line)),
                ("byte", format!("{:02X}", bytes[at]).into()),
                ("offset", Field::plain(at)),
            ],
        )
    })
}

/// "64 MB"-style sizes (MiB, as the limit is set).
pub(crate) fn megabytes(bytes: usize) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 10.0 || mb.fract() == 0.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// The format by extension: .txt is text, .jsonl/.ndjson/.json JSON Lines, .csv/.tsv tables;
/// any other name by content (a first character '{' means JSON Lines).
pub fn detect_format(name: &str, text: &str) -> Format {
    match extension(name).as_str() {
        "txt" | "text" | "md" => Format::Text,
        "jsonl" | "ndjson" | "json" => Format::JsonLines,
        "csv" | "tsv" | "tab" => Format::Delimited,
        _ if text.trim_start().starts_with('{') => Format::JsonLines,
        _ => Format::Delimited,
    }
}

const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];

/// The delimiter: the candidate (comma, tab, semicolon, pipe) found the same nonzero number of
/// times, outside quotes, on most of the first lines; more lines agreeing wins, then more
/// fields; a semicolon beats a comma that is only ever a decimal mark. A .tsv name prefers the
/// tab. A single column falls back to the comma.
pub fn sniff_delimiter(name: &str, text: &str) -> u8 {
    let counts = first_record_counts(text, 20);
    // (delimiter, lines agreeing, decimal, count): `5,3;1,9;2,0` has more commas than
    // semicolons, but when every comma sits between digits they are decimal marks.
    let decimal = commas_between_digits(text);
    let mut best = (b',', 0usize, false, 0usize);
    for d in CANDIDATES {
        let per_line: Vec<usize> = counts.iter().map(|c| c[index(d)]).collect();
        let Some(mode) = mode_nonzero(&per_line) else {
            continue;
        };
        let agreeing = per_line.iter().filter(|c| **c == mode).count();
        let prefer = extension(name) == "tsv" && d == b'\t';
        if prefer && agreeing * 2 >= per_line.len() {
            return d;
        }
        let key = (agreeing, d == b';' && decimal, mode);
        if key > (best.1, best.2, best.3) {
            best = (d, key.0, key.1, key.2);
        }
    }
    best.0
}

/// Whether the first lines hold a comma, outside quotes, and every such comma has a digit on
/// both sides (`5,3`): a decimal comma's file.
fn commas_between_digits(text: &str) -> bool {
    let bytes = text.as_bytes();
    let head = &bytes[..bytes.len().min(4096)];
    let (mut quoted, mut commas) = (false, 0);
    for (i, &b) in head.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                let digit =
                    |j: Option<usize>| j.and_then(|j| head.get(j)).is_some_and(u8::is_ascii_digit);
                if !(digit(i.checked_sub(1)) && digit(Some(i + 1))) {
                    return false;
                }
                commas += 1;
            }
            _ => {}
        }
    }
    commas > 0
}

fn index(d: u8) -> usize {
    CANDIDATES
        .iter()
        .position(|c| *c == d)
        .expect("a candidate")
}

fn mode_nonzero(values: &[usize]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for v in values.iter().filter(|v| **v > 0) {
        let n = values.iter().filter(|w| *w == v).count();
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((*v, n));
        }
    }
    best.map(|(v, _)| v)
}

/// Candidate counts per record of the first `records` records, outside double quotes.
fn first_record_counts(text: &str, records: usize) -> Vec<[usize; 4]> {
    let mut out = Vec::new();
    let mut current = [0usize; 4];
    let mut quoted = false;
    let mut blank = true;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            // A CR ends a line too (old Mac files); in CR LF the LF finds the line blank.
            b'\n' | b'\r' if !quoted => {
                if !blank {
                    out.push(current);
                    if out.len() == records {
                        return out;
                    }
                }
                current = [0; 4];
                blank = true;
                continue;
            }
            _ if !quoted => {
                if let Some(i) = CANDIDATES.iter().position(|c| *c == b) {
                    current[i] += 1;
                }
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            blank = false;
        }
    }
    if !blank {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff_delimiter("a.csv", "a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("a.csv", "a;b;c\n1,5;2;3\n4;5,5;6\n"), b';');
        assert_eq!(sniff_delimiter("a.txt", "a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("a.csv", "a|b\n\"x|y\"|2\n"), b'|');
        assert_eq!(sniff_delimiter("a.csv", "5,3;1,9\n4,9;1,8\n"), b';');
        assert_eq!(sniff_delimiter("a.csv", "5,3;1,9;2,0\n4,9;1,8;2,1\n"), b';');
        assert_eq!(sniff_delimiter("a.csv", "x,y\n1;2,3\n"), b',');
        assert_eq!(sniff_delimiter("a.csv", "\"a,b\"\n\"c,d\"\n"), b',');
        assert_eq!(sniff_delimiter("a.tsv", "a, b\tc\n1, 2\t3\n"), b'\t');
    }

    #[test]
    fn a_lone_cr_ends_a_line() {
        assert_eq!(sniff_delimiter("a.csv", "a;b\r1;2\r3;4\r"), b';');
    }

    #[test]
    fn formats_by_name_then_content() {
        assert_eq!(detect_format("a.txt", "x,y"), Format::Text);
        assert_eq!(detect_format("a.jsonl", "{}"), Format::JsonLines);
        assert_eq!(detect_format("data", " {\"a\":1}"), Format::JsonLines);
        assert_eq!(detect_format("data", "a,b"), Format::Delimited);
    }

    #[test]
    fn sizes_read_as_megabytes() {
        assert_eq!(megabytes(64 * 1024 * 1024), "64 MB");
        assert_eq!(megabytes(1024 * 1024 * 3 / 2), "1.5 MB");
    }
}
