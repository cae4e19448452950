//! Numbers written with a decimal comma (`5,3`, and `1.234,5` with thousands), as much of Europe
//! writes them, in files that separate fields with `;`: sniffed from a column that holds only
//! such numbers, or chosen by the user, and rewritten with a point as the file is read.

use super::{Table, is_missing_cell};
use serde::{Deserialize, Serialize};

/// How a delimited file writes its numbers: `5.3` or, in much of Europe, `5,3` (with `;`
/// between fields, and perhaps `1.234,5` for thousands).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Decimal {
    Point,
    Comma,
}

/// Rows looked at to sniff the decimal mark (after the first, which may be the header).
const DECIMAL_SAMPLE: usize = 100;

/// A decimal comma when the delimiter is ';' and some column's sampled values are all numbers
/// written with one (`-?\d+,\d+`, or `1.234,5`), a comma in at least one; else a point.
/// `t` is parsed but its header not yet taken out: its rows are `width` cells wide.
pub(super) fn sniff_decimal(t: &Table, width: usize) -> Decimal {
    if t.delimiter != Some(b';') {
        return Decimal::Point;
    }
    let rows = 1..t.rows().min(DECIMAL_SAMPLE + 1);
    let comma_column = (0..width).any(|c| {
        let mut commas = 0;
        rows.clone().all(|r| {
            let v = t.raw_cell(width, r, c);
            if is_missing_cell(v) {
                return true;
            }
            match decimal_comma_number(v.as_bytes()) {
                Some(comma) => {
                    commas += usize::from(comma);
                    true
                }
                None => false,
            }
        }) && commas > 0
    });
    if comma_column {
        Decimal::Comma
    } else {
        Decimal::Point
    }
}

/// Whether `cell` is a number as a decimal comma writes it: `Some(true)` with a comma
/// (`-5,3`, `1.234,5`), `Some(false)` a whole number (`12`, `1.234`), `None` anything else.
pub(crate) fn decimal_comma_number(cell: &[u8]) -> Option<bool> {
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    let cell = cell
        .strip_prefix(b"-")
        .or(cell.strip_prefix(b"+"))
        .unwrap_or(cell);
    let (whole, fraction) = match cell.iter().position(|b| *b == b',') {
        Some(i) => (&cell[..i], Some(&cell[i + 1..])),
        None => (cell, None),
    };
    if fraction.is_some_and(|f| !digits(f)) {
        return None;
    }
    // Thousands: groups of three digits after the first one to three.
    let mut groups = whole.split(|b| *b == b'.');
    let first = groups.next()?;
    let grouped = groups.all(|g| g.len() == 3 && digits(g));
    (digits(first) && grouped && (first.len() <= 3 || !whole.contains(&b'.')))
        .then_some(fraction.is_some())
}

/// Rewrites a decimal comma's numbers ("1.234,5") with a point ("1234.5"), in place: the new
/// text is never longer than the old, so the table's buffer is reused.
pub(super) fn to_decimal_points(t: &mut Table) {
    let mut bytes = std::mem::take(&mut t.text).into_bytes();
    for (a, b) in t.cells.iter_mut() {
        let cell = &bytes[*a as usize..*b as usize];
        if decimal_comma_number(cell).is_none() {
            continue;
        }
        let mut to = *a as usize;
        for from in *a as usize..*b as usize {
            match bytes[from] {
                b'.' => {}
                b',' => {
                    bytes[to] = b'.';
                    to += 1;
                }
                c => {
                    bytes[to] = c;
                    to += 1;
                }
            }
        }
        *b = to as u32;
    }
    // Only ASCII digits, signs and marks moved, so the text is still UTF-8.
    t.text = String::from_utf8(bytes).expect("rewriting ASCII keeps the text UTF-8");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_a_decimal_comma() {
        let n = |s: &str| decimal_comma_number(s.as_bytes());
        assert_eq!(n("5,3"), Some(true));
        assert_eq!(n("-12,25"), Some(true));
        assert_eq!(n("1.234,5"), Some(true));
        assert_eq!(n("1.234.567"), Some(false));
        assert_eq!(n("12"), Some(false));
        for not in [
            "1.5", "5,", ",5", "1,2,3", "12.34,5", "1234.567", "a,b", "", "-",
        ] {
            assert_eq!(n(not), None, "{not}");
        }
    }
}
