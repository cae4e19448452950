//! A trained model and its settings <-> compact bytes <-> link text, and <-> a .safetensors
//! file. The link format is specified in docs/share-format.md.

mod error;
mod link;
mod origin;
mod params;
mod precision;
mod pytorch;
mod safetensors_file;

pub use error::{FILE_SETTINGS, LINK_SETTINGS, ShareError};
pub use link::{
    LINK_PREFIX, MAX_LINK_CHARS, ModelKind, Shared, SharedData, decode_link, encode_link,
    encode_link_fitted,
};
pub use origin::{
    DataOrigin, EMBED_LINK_CHARS, EMBED_MAX_BYTES, FileId, UseKind, fingerprint, fingerprint_bytes,
    read_given,
};
pub use params::{ParamValues, load_params, param_tensors, param_values_from};
pub use precision::Precision;
pub use pytorch::{ScriptData, TableScript, TokenScript, pytorch_script, torch_name};
pub use safetensors_file::{
    MAX_HEADER_BYTES, MAX_MODEL_FILE_BYTES, MAX_MODEL_VALUES, ModelFile, SUMMARY, check_model_file,
    check_model_file_size, read_safetensors, write_safetensors,
};

/// A shared model's settings (`json`, of a model of kind `kind`: "points" or "sequences") as
/// they are used: every field left out takes its default and all are checked; the JSON of the
/// completed settings, or why they are not accepted. The page works from these, never from the
/// raw object a link or file holds (one that left fields out once left panels without theirs).
pub fn completed_settings(kind: &str, json: &str) -> Result<String, String> {
    fn complete<S: serde::de::DeserializeOwned + serde::Serialize>(
        json: &str,
        validate: impl Fn(&S) -> Result<(), crate::SettingsError>,
    ) -> Result<String, String> {
        let settings: S = serde_json::from_str(json).map_err(|e| e.to_string())?;
        validate(&settings).map_err(|e| e.to_string())?;
        Ok(serde_json::to_string(&settings).expect("settings serialise to JSON"))
    }
    match kind {
        "sequences" => complete(json, crate::SequenceSettings::validate),
        _ => complete(json, crate::Settings::validate),
    }
}

/// The kind's name for a link's kind byte.
pub fn kind_name(kind: ModelKind) -> &'static str {
    if kind == 0 { "points" } else { "sequences" }
}

/// A file's tensors put in the architecture's order (`names`, `shapes` from `TrainingSession::params`).
pub fn params_by_name(
    names: &[String],
    shapes: &[Vec<usize>],
    mut file: std::collections::HashMap<String, (Vec<usize>, Vec<f32>)>,
) -> Result<ParamValues, String> {
    let mut values = Vec::with_capacity(names.len());
    for (name, shape) in names.iter().zip(shapes) {
        let (found, data) = file
            .remove(name)
            .ok_or_else(|| format!("the file has no tensor '{name}'"))?;
        if found != *shape {
            return Err(format!(
                "tensor '{name}' has shape {found:?}, the architecture needs {shape:?}"
            ));
        }
        values.push(data);
    }
    if let Some(extra) = file.keys().next() {
        return Err(format!(
            "the file has a tensor '{extra}' that this architecture does not"
        ));
    }
    Ok(ParamValues {
        names: names.to_vec(),
        shapes: shapes.to_vec(),
        values,
    })
}
