//! An error a user meets, in a form the page can word in the user's language: a stable code,
//! its English text with `{placeholders}`, and the fields that fill them. `Display` is the
//! English, filled in. The page's catalogues (www/messages/en.js, zh-CN.js) hold
//! `error.<code>` with the same placeholders, the English word for word (tests/error_codes.rs
//! reads every `Wording::new` in src/ and checks both).

use serde::ser::{Serialize, SerializeMap, Serializer};
use std::fmt;

/// One message of the catalogue: its code and its English text with `{placeholders}`.
#[derive(Debug, PartialEq, Eq)]
pub struct Wording {
    pub code: &'static str,
    pub english: &'static str,
}

impl Wording {
    pub const fn new(code: &'static str, english: &'static str) -> Self {
        Self { code, english }
    }
}

/// A field's value: text as it is; a count, which English writes "12,345" and the page
/// writes as the user's language does; or a term of the catalogue (a section's or a setting's
/// name), which the page words in the user's language too.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Text(String),
    Count(usize),
    Term(&'static Wording),
    /// A phrase of the catalogue with fields of its own ("attention scores: batch {batch} × …").
    Error(Box<UserError>),
}

impl Field {
    /// A number written as it is, never grouped: a line, a byte offset, a limit in a range.
    pub fn plain(n: impl fmt::Display) -> Self {
        Self::Text(n.to_string())
    }
}

impl From<&'static Wording> for Field {
    fn from(w: &'static Wording) -> Self {
        Self::Term(w)
    }
}

impl From<&str> for Field {
    fn from(s: &str) -> Self {
        Self::Text(s.to_string())
    }
}

impl From<String> for Field {
    fn from(s: String) -> Self {
        Self::Text(s)
    }
}

impl From<usize> for Field {
    fn from(n: usize) -> Self {
        Self::Count(n)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(s) => f.write_str(s),
            Self::Count(n) => f.write_str(&crate::data::table::group(*n)),
            Self::Term(w) => f.write_str(w.english),
            Self::Error(e) => write!(f, "{e}"),
        }
    }
}

/// A message of the catalogue with its fields, and the error it wraps, which fills its
/// `{reason}` ("Network: {reason}" around "layer 2: units must be 1-256, got 300").
#[derive(Debug, Clone, PartialEq)]
pub struct UserError {
    pub wording: &'static Wording,
    pub fields: Vec<(&'static str, Field)>,
    pub cause: Option<Box<UserError>>,
}

impl UserError {
    pub fn new<const N: usize>(
        wording: &'static Wording,
        fields: [(&'static str, Field); N],
    ) -> Self {
        Self {
            wording,
            fields: fields.into(),
            cause: None,
        }
    }

    /// `wording` around `cause`, which its `{reason}` shows.
    pub fn wrapping(wording: &'static Wording, cause: UserError) -> Self {
        Self {
            cause: Some(Box::new(cause)),
            ..Self::new(wording, [])
        }
    }

    pub fn code(&self) -> &'static str {
        self.wording.code
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.wording.english;
        while let Some(open) = rest.find('{') {
            f.write_str(&rest[..open])?;
            let after = &rest[open + 1..];
            let name = after.find('}').map(|close| &after[..close]);
            let cause = self.cause.as_deref().filter(|_| name == Some("reason"));
            match name.and_then(|n| self.field(n).map(|v| (n, v))) {
                Some((n, value)) => {
                    write!(f, "{value}")?;
                    rest = &after[n.len() + 1..];
                }
                None if cause.is_some() => {
                    write!(f, "{}", cause.expect("checked just above"))?;
                    rest = &after["reason}".len()..];
                }
                // A brace that opens no field of this error is text (the JS `t` does the same).
                None => {
                    f.write_str("{")?;
                    rest = after;
                }
            }
        }
        f.write_str(rest)
    }
}

impl std::error::Error for UserError {}

/// As the page reads a notice inside a larger message (a column's warnings in a table's
/// preview): `{message, code, fields, cause?}`, the shape of a thrown error (src/web `user_error`).
impl Serialize for UserError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Fields<'a>(&'a [(&'static str, Field)]);
        impl Serialize for Fields<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.0.len()))?;
                for (name, value) in self.0 {
                    match value {
                        Field::Text(text) => map.serialize_entry(name, text)?,
                        Field::Count(n) => map.serialize_entry(name, n)?,
                        Field::Term(w) => map.serialize_entry(name, &UserError::new(w, []))?,
                        Field::Error(e) => map.serialize_entry(name, e)?,
                    }
                }
                map.end()
            }
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("message", &self.to_string())?;
        map.serialize_entry("code", self.code())?;
        map.serialize_entry("fields", &Fields(&self.fields))?;
        if let Some(cause) = &self.cause {
            map.serialize_entry("cause", cause)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static SAMPLE: Wording = Wording::new("sample", "{file} has {rows} rows; {missing} stays");

    #[test]
    fn fields_fill_the_english_and_counts_are_grouped() {
        let e = UserError::new(
            &SAMPLE,
            [("file", "a.csv".into()), ("rows", 1_000_000.into())],
        );
        assert_eq!(e.to_string(), "a.csv has 1,000,000 rows; {missing} stays");
        assert_eq!(e.code(), "sample");
    }

    #[test]
    fn a_notice_serialises_as_the_page_reads_an_error() {
        static TERM: Wording = Wording::new("term", "Training");
        let mut e = UserError::new(&SAMPLE, [("file", "a.csv".into()), ("rows", 3.into())]);
        e.fields.push(("section", Field::Term(&TERM)));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["message"], "a.csv has 3 rows; {missing} stays");
        assert_eq!(json["code"], "sample");
        assert_eq!(json["fields"]["file"], "a.csv");
        assert_eq!(json["fields"]["rows"], 3);
        assert_eq!(json["fields"]["section"]["code"], "term");
        assert_eq!(json["fields"]["section"]["message"], "Training");
    }

    #[test]
    fn the_cause_fills_the_reason() {
        static AROUND: Wording = Wording::new("around", "Network: {reason}");
        let inner = UserError::new(&SAMPLE, [("file", "a.csv".into()), ("rows", 2.into())]);
        let e = UserError::wrapping(&AROUND, inner);
        assert_eq!(e.to_string(), "Network: a.csv has 2 rows; {missing} stays");
    }
}
