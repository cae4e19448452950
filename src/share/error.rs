//! What a link or a model file can be refused for, each a `Wording` of the page's catalogue
//! (crate::error). A damaged link's detail (which byte, which section) stays in English: it is
//! for whoever debugs the link, and the sentence around it says what the user can do.

use crate::error::{UserError, Wording};

/// Why a link could not be read.
pub type ShareError = UserError;

type W = Wording;

pub static NOT_A_LINK: W = W::new(
    "link-not-kindling",
    "This is not a Kindling model link (it should start with k1.)",
);
pub static NEWER_FORMAT: W = W::new(
    "link-newer",
    "This model link was made by a newer version of Kindling (format {format}); this version reads {reads}",
);
pub static TOO_LONG: W = W::new(
    "link-too-long",
    "This model link is {length} characters long; the limit is {limit}",
);
pub static UNPACKS_TOO_BIG: W = W::new(
    "link-too-big",
    "This model link unpacks to more than {mb} MB; refused",
);
pub static VERSION_TOO_NEW: W = W::new(
    "link-version",
    "This model link has format version {version}; this version of Kindling reads versions 1 to {latest}",
);
pub static DAMAGED: W = W::new(
    "link-damaged",
    "This model link is damaged: {detail}. Was it copied whole?",
);
pub static MODEL_FILE_TOO_LARGE: W = W::new(
    "model-file-too-large",
    "the model file is {size}; the limit is {limit} (the largest model the settings allow, in f32): is it a model exported by Kindling?",
);
pub static NOT_THE_FILE: W = W::new(
    "data-not-the-file",
    "{given} is not the file this model was trained on: it has {bytes} bytes and SHA-256 {sha256}, the model needs {needed} ({needed_bytes} bytes, SHA-256 {needed_sha256})",
);

/// The link is damaged: `detail` says where.
pub fn damaged(detail: impl std::fmt::Display) -> ShareError {
    UserError::new(&DAMAGED, [("detail", detail.to_string().into())])
}

/// The settings a link or a model file holds, refused: `{reason}` says why.
pub static LINK_SETTINGS: W = W::new(
    "link-settings",
    "This model link's settings are not accepted: {reason}",
);
pub static FILE_SETTINGS: W = W::new(
    "file-settings",
    "This model file's settings are not accepted: {reason}",
);
