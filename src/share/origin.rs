//! Where a shared model's data came from when it is not a built-in generator: a file the user
//! brought (or a bundled sample), named, measured and fingerprinted, with what the model made of
//! it. A link carries this, and the file's bytes too when they are small enough; whoever opens a
//! link without them is asked for the file, which must have the same fingerprint.

use crate::data::table::TableChoices;
use crate::data::text::TokenChoices;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Files up to this size are kept beside their parsed form so that a link can carry them
/// (the link then still has to fit `EMBED_LINK_CHARS`).
pub const EMBED_MAX_BYTES: usize = 256 << 10;
/// A link that would be longer than this with the file in it carries the fingerprint only: the
/// issue's "above ~64 KB the page says so and offers the file instead".
pub const EMBED_LINK_CHARS: usize = 64 << 10;

/// What the model was trained on, from the file (`DataFile`'s reading of it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", deny_unknown_fields)]
pub enum DataUse {
    /// An MLP on the table as the choices say.
    Table { choices: TableChoices },
    /// A character-level language model of the text.
    Text,
    /// Sequence classification of a table's text column.
    TextColumn {
        choices: TableChoices,
        tokens: TokenChoices,
    },
}

/// A user's file, as a link or model file names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DataOrigin {
    /// The file's name, as the user's system gave it (shown, never used as a path).
    pub name: String,
    /// Its length in bytes.
    pub bytes: u64,
    /// SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
    /// A dataset bundled in the wasm (`samples.rs`), opened by name.
    pub sample: bool,
    #[serde(rename = "use")]
    pub usage: DataUse,
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
    pub fn mismatch(&self, given: FileId) -> Option<String> {
        if given.bytes == self.bytes && given.sha256 == self.sha256 {
            return None;
        }
        Some(format!(
            "{} is not the file this model was trained on: it has {} bytes and SHA-256 {}, \
             the model needs {} ({} bytes, SHA-256 {})",
            given.name,
            given.bytes,
            short(given.sha256),
            self.name,
            self.bytes,
            short(self.sha256)
        ))
    }
}

/// SHA-256 of `bytes` in lowercase hex: the file's fingerprint.
pub fn fingerprint(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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
            usage: DataUse::Text,
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
        assert!(message.starts_with("b.csv is not the file this model was trained on"));
        assert!(message.contains("the model needs a.csv (3 bytes, SHA-256 ba7816bf8f01)"));
    }

    #[test]
    fn origin_json_round_trips_and_refuses_unknown_fields() {
        let origin = DataOrigin {
            name: "t.csv".into(),
            bytes: 10,
            sha256: "00".into(),
            sample: false,
            usage: DataUse::TextColumn {
                choices: TableChoices::default(),
                tokens: TokenChoices::default(),
            },
        };
        let json = serde_json::to_string(&origin).unwrap();
        assert!(json.contains(r#""use":{"kind":"textColumn""#), "{json}");
        assert_eq!(serde_json::from_str::<DataOrigin>(&json).unwrap(), origin);
        let extra = json.replacen('{', r#"{"evil":1,"#, 1);
        assert!(serde_json::from_str::<DataOrigin>(&extra).is_err());
    }
}
