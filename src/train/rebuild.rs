//! A model trained on the user's own file, rebuilt natively as the page builds it
//! (src/web/table.rs), for the `kindling` command: the file read with the page's readers and
//! limits, then the choices the page made (kept in the model file and the link as
//! `DataOrigin::choices`) applied: a table encoded, a text cut into windows, a text column
//! tokenised. The same file and choices give the same split, encoding and vocabulary.

use crate::data::table::{FileData, TableChoices, encode, infer_schema, read_file};
use crate::data::text::{TokenChoices, text_classification, uploaded_language_model};
use crate::share::{DataOrigin, UseKind};
use crate::train::{DataSource, Learning, SequenceTrainer, Trainer};
use crate::{SequenceSettings, Settings};
use burn::prelude::*;
use serde::Deserialize;

/// The page's choices as it kept them: `{"choices": TableChoices, "tokens": TokenChoices}`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Used {
    choices: Option<TableChoices>,
    tokens: Option<TokenChoices>,
}

/// The trainer of a `kind` model with `settings` (JSON) on the file `origin` names, whose bytes
/// are `bytes` (already checked against its fingerprint).
pub fn on_file(
    kind: &str,
    settings: &str,
    origin: &DataOrigin,
    bytes: &[u8],
    device: &Device,
) -> Result<Box<dyn Learning>, String> {
    let used: Used = serde_json::from_str(&origin.choices)
        .map_err(|e| format!("the choices kept for {} are not readable: {e}", origin.name))?;
    let name = origin.name.as_str();
    let file = read_file(name, bytes).map_err(|e| e.to_string())?;
    let wrong = |what: &str| format!("{name} is not {what}, as this model's data was");
    match (origin.kind, kind, file) {
        (UseKind::Table, "points", FileData::Table(t)) => {
            let settings: Settings = serde_json::from_str(settings).map_err(str)?;
            let schema = infer_schema(&t).map_err(str)?;
            let encoded = encode(&t, &schema, &used.choices.unwrap_or_default()).map_err(str)?;
            let trainer = Trainer::with_source(&settings, DataSource::Table(encoded), device);
            Ok(Box::new(trainer.map_err(str)?))
        }
        (UseKind::Text, "sequences", FileData::Text(text)) => {
            let settings: SequenceSettings = serde_json::from_str(settings).map_err(str)?;
            let d = &settings.data;
            let data = uploaded_language_model(
                name,
                &text,
                d.length,
                d.sequences,
                d.test_fraction,
                d.seed,
            )
            .map_err(str)?;
            let trainer = SequenceTrainer::with_data(&settings, data, device);
            Ok(Box::new(trainer.map_err(str)?))
        }
        (UseKind::TextColumn, "sequences", FileData::Table(t)) => {
            let settings: SequenceSettings = serde_json::from_str(settings).map_err(str)?;
            let schema = infer_schema(&t).map_err(str)?;
            let tokens = used
                .tokens
                .ok_or_else(|| format!("the token choices for {name} were not kept"))?;
            let data = text_classification(&t, &schema, &used.choices.unwrap_or_default(), &tokens)
                .map_err(str)?;
            let trainer = SequenceTrainer::with_data(&settings, data, device);
            Ok(Box::new(trainer.map_err(str)?))
        }
        (UseKind::Text, _, _) => Err(wrong("a text")),
        (_, _, FileData::Text(_)) => Err(wrong("a table")),
        _ => Err(format!(
            "a {kind} model does not train on {name} as it is used ({:?})",
            origin.kind
        )),
    }
}

fn str(e: impl std::fmt::Display) -> String {
    e.to_string()
}
