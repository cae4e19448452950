//! Where a shared model's data came from when it is not a built-in generator: a file the user
//! brought (or a bundled sample), named, measured and fingerprinted, with what the model made of
//! it. A link carries this, and the file's bytes too when they are small enough; whoever opens a
//! link without them is asked for the file, which must have the same fingerprint.

use super::error::NOT_THE_FILE;
use crate::data::table::{Decimal, FileData, read_file_with};
use crate::error::{Field, UserError};
use sha2::{Digest, Sha256};

/// Files up to this size are kept beside their parsed form so that a link can carry them
/// (the link then still has to fit `EMBED_LINK_CHARS`).
pub const EMBED_MAX_BYTES: usize = 256 << 10;
/// A link that would be longer than this with the file in it carries the fingerprint only: the
/// issue's "above ~64 KB the page says so and offers the file instead".
pub const EMBED_LINK_CHARS: usize = 64 << 10;

/// What a model made of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UseKind {
    /// An MLP on the table as the choices (`TableChoices`) say.
    Table,
    /// A character-level language model of the text.
    Text,
    /// Sequence classification of a table's text column (`TableChoices` and `TokenChoices`).
    TextColumn,
}

impl UseKind {
    pub const ALL: [UseKind; 3] = [UseKind::Table, UseKind::Text, UseKind::TextColumn];

    /// Its name in JSON and in model files' metadata.
    pub fn name(self) -> &'static str {
        match self {
            UseKind::Table => "table",
            UseKind::Text => "text",
            UseKind::TextColumn => "textColumn",
        }
    }

    pub fn from_name(name: &str) -> Option<UseKind> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The kind of model it trains: 0 = points (MLP), 1 = sequences (transformer).
    pub fn model_kind(self) -> u8 {
        u8::from(self != UseKind::Table)
    }
}

/// A user's file, as a link or model file names it.
#[derive(Debug, Clone, PartialEq)]
pub struct DataOrigin {
    /// The file's name, as the user's system gave it (shown, never used as a path).
    pub name: String,
    /// Its length in bytes.
    pub bytes: u64,
    /// SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
    /// A dataset bundled in the wasm (`samples.rs`), opened by name.
    pub sample: bool,
    pub kind: UseKind,
    /// The page's choices as it gave them, JSON text: `{"choices": TableChoices}` for a table,
    /// with `"tokens": TokenChoices` for a text column, `{}` for a text. Kept as text: the page
    /// reads it back with the browser's `JSON.parse`, and the choices are checked where a session
    /// is built from them, so the wasm carries no JSON reader of its own for them (a typed one
    /// cost 30 KB of the download).
    pub choices: String,
}

impl DataOrigin {
    /// Whether `bytes` are this file's: same length and fingerprint.
    pub fn matches(&self, bytes: &[u8]) -> bool {
        self.bytes == bytes.len() as u64 && self.sha256 == fingerprint(bytes)
    }

    /// The file this origin names.
    pub fn file(&self) -> FileId<'_> {
        FileId {
            name: &self.name,
            bytes: self.bytes,
            sha256: &self.sha256,
        }
    }
}

/// A file by name, length and fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId<'a> {
    pub name: &'a str,
    pub bytes: u64,
    pub sha256: &'a str,
}

impl FileId<'_> {
    /// None when `given` is this file (same length and fingerprint), else the message saying
    /// why not.
    pub fn mismatch(&self, given: FileId) -> Option<UserError> {
        if given.bytes == self.bytes && given.sha256 == self.sha256 {
            return None;
        }
        Some(UserError::new(
            &NOT_THE_FILE,
            [
                ("given", given.name.into()),
                ("bytes", Field::plain(given.bytes)),
                ("sha256", short(given.sha256).into()),
                ("needed", self.name.into()),
                ("needed_bytes", Field::plain(self.bytes)),
                ("needed_sha256", short(self.sha256).into()),
            ],
        ))
    }
}

/// The file a user gave for the one a shared model names, read only once its length and
/// fingerprint are the ones `needed` names: another file is refused before any of it is parsed
/// (a hostile file then costs its hash, not its parse). `decimal`: as `read_file_with`.
pub fn read_given(
    needed: FileId,
    name: &str,
    bytes: &[u8],
    decimal: Option<Decimal>,
) -> Result<FileData, UserError> {
    let sha256 = fingerprint(bytes);
    let given = FileId {
        name,
        bytes: bytes.len() as u64,
        sha256: &sha256,
    };
    if let Some(m) = needed.mismatch(given) {
        return Err(m);
    }
    read_file_with(name, bytes, decimal)
}

/// SHA-256 of `bytes` in lowercase hex: the file's fingerprint.
pub fn fingerprint(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The 32 bytes of a fingerprint's 64 hex digits (None for anything else).
pub fn fingerprint_bytes(hex: &str) -> Option<[u8; 32]> {
    let digits = hex.as_bytes();
    // from_str_radix alone would take a sign ("+1")
    if digits.len() != 64 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in digits.chunks(2).enumerate() {
        let text = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(text, 16).ok()?;
    }
    Some(out)
}

/// The first 12 hex digits: enough for a person to compare.
fn short(hex: &str) -> &str {
    hex.get(..12).unwrap_or(hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_sha256() {
        // FIPS 180-2's "abc" example.
        assert_eq!(
            fingerprint(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_file_matches_its_origin_only() {
        let origin = DataOrigin {
            name: "a.csv".into(),
            bytes: 3,
            sha256: fingerprint(b"abc"),
            sample: false,
            kind: UseKind::Text,
            choices: "{}".into(),
        };
        assert!(origin.matches(b"abc"));
        assert!(!origin.matches(b"abd"));
        let abd = fingerprint(b"abd");
        let given = |name, bytes, sha256| FileId {
            name,
            bytes,
            sha256,
        };
        assert_eq!(
            origin.file().mismatch(given("c.csv", 3, &origin.sha256)),
            None
        );
        assert!(
            origin
                .file()
                .mismatch(given("a.csv", 4, &origin.sha256))
                .is_some()
        );
        let message = origin.file().mismatch(given("b.csv", 3, &abd)).unwrap();
        assert_eq!(message.code(), "data-not-the-file");
        let message = message.to_string();
        assert!(message.starts_with("b.csv is not the file this model was trained on"));
        assert!(message.contains("the model needs a.csv (3 bytes, SHA-256 ba7816bf8f01)"));
    }

    #[test]
    fn kinds_and_fingerprint_bytes() {
        for kind in UseKind::ALL {
            assert_eq!(UseKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(UseKind::from_name("script"), None);
        assert_eq!(UseKind::Table.model_kind(), 0);
        assert_eq!(UseKind::TextColumn.model_kind(), 1);
        let hex = fingerprint(b"abc");
        let bytes = fingerprint_bytes(&hex).unwrap();
        assert_eq!(bytes[0], 0xba);
        assert_eq!(
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>(),
            hex
        );
        assert_eq!(fingerprint_bytes("00"), None);
        assert_eq!(fingerprint_bytes(&"zz".repeat(32)), None);
        assert_eq!(fingerprint_bytes(&"+1".repeat(32)), None);
    }
}
