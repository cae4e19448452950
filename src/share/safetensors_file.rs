//! A model as a `.safetensors` file: the weights (f32, named by their place in the model), and
//! in the metadata the playground kind, settings and step, so that the file alone rebuilds it,
//! and for a model trained on the user's file that file's name, size and fingerprint (never its
//! bytes: whoever loads the model file is asked for the data file).

use super::error::MODEL_FILE_TOO_LARGE;
use super::{DataOrigin, ParamValues, UseKind};
use crate::data::table::{MAX_COLUMNS, ONE_HOT_MAX};
use crate::data::text::VOCAB_MAX;
use crate::error::UserError;
use crate::model::ModelSummary;
use crate::model::transformer::{MAX_D_MODEL, MAX_LAYERS, MAX_LENGTH};
use safetensors::tensor::{Dtype, SafeTensors, TensorView};
use std::collections::HashMap;

/// The most parameters a model the settings allow can have, from the limits of each kind, over
/// a little: the largest transformer (a vocabulary of `VOCAB_MAX` and `<pad>`, `<unk>`; the
/// widest model and MLP ratio 8, so 4·d² of attention and 16·d² of MLP per layer; a learned
/// position table; a head as wide as the vocabulary) and the largest MLP (every column one-hot
/// at `ONE_HOT_MAX` inputs, the widest layers). Each weight's bias and norm are within the
/// `+ d` terms, counted generously.
pub const MAX_MODEL_VALUES: usize = {
    let (d, vocab) = (MAX_D_MODEL, VOCAB_MAX + 2);
    let transformer = 2 * vocab * (d + 1) + MAX_LENGTH * d + MAX_LAYERS * (20 * d * d + 20 * d);
    // src/model/mlp.rs's MAX_HIDDEN_LAYERS and MAX_UNITS (its module is private to src/model).
    let (layers, units) = (6, 256);
    let inputs = MAX_COLUMNS * ONE_HOT_MAX;
    let mlp = (inputs + 1) * units + layers * (units + 1) * units;
    if transformer > mlp { transformer } else { mlp }
};
/// The JSON header (tensor names, shapes, offsets, and the metadata: settings, step, the data
/// file's name and choices) at most. Kindling writes a few KB; the settings are at most 64 KB
/// in a link, and the rest is small.
pub const MAX_HEADER_BYTES: usize = 1 << 20;
/// A model file larger than this is refused before it is read: f32 weights of the largest
/// model (`MAX_MODEL_VALUES`), the header, and its 8-byte length.
pub const MAX_MODEL_FILE_BYTES: usize = 4 * MAX_MODEL_VALUES + MAX_HEADER_BYTES + 8;

/// A model file of `length` bytes is no larger than the largest model the settings allow.
pub fn check_model_file_size(length: usize) -> Result<(), UserError> {
    let mb = |n: usize| format!("{:.1} MB", n as f64 / (1024.0 * 1024.0));
    if length > MAX_MODEL_FILE_BYTES {
        return Err(UserError::new(
            &MODEL_FILE_TOO_LARGE,
            [
                ("size", mb(length).into()),
                ("limit", mb(MAX_MODEL_FILE_BYTES).into()),
            ],
        ));
    }
    Ok(())
}

/// The size and the header's length checked before anything is read or allocated from them
/// (the safetensors crate would also refuse a header longer than the file, but allows 100 MB).
pub fn check_model_file(bytes: &[u8]) -> Result<(), String> {
    check_model_file_size(bytes.len()).map_err(|e| e.to_string())?;
    let Some(length) = bytes.first_chunk::<8>().map(|b| u64::from_le_bytes(*b)) else {
        return Err("not a safetensors file: it is shorter than its 8-byte header length".into());
    };
    if length > MAX_HEADER_BYTES as u64 || length > (bytes.len() - 8) as u64 {
        return Err(format!(
            "not a safetensors file: its header claims {length} bytes; the file has {} after \
             the length, and the limit is {MAX_HEADER_BYTES}",
            bytes.len() - 8
        ));
    }
    Ok(())
}

/// Metadata keys.
pub const KIND: &str = "kindling.kind";
pub const SETTINGS: &str = "kindling.settings";
pub const STEP: &str = "kindling.step";
/// The model summary as JSON (`ModelSummary`: layers, shapes, parameter counts), for a reader;
/// Kindling never reads it back (the settings rebuild the model), and older files have none.
pub const SUMMARY: &str = "kindling.summary";
/// The user's file, when the model trained on one: `kindling.data.name`, `.bytes`, `.sha256`,
/// `.sample`, `.use` and `.choices` (docs/share-format.md).
pub const DATA: &str = "kindling.data";

/// What `read_safetensors` finds in a file.
#[derive(Debug)]
pub struct ModelFile {
    pub kind: String,
    /// The settings JSON.
    pub settings: String,
    pub step: u32,
    /// The user's file the model was trained on; `None`: a built-in dataset.
    pub data: Option<DataOrigin>,
    /// The parameters by name: (shape, values).
    pub tensors: HashMap<String, (Vec<usize>, Vec<f32>)>,
}

pub fn write_safetensors(
    params: &ParamValues,
    kind: &str,
    settings: &str,
    step: u32,
    data: Option<&DataOrigin>,
    summary: &ModelSummary,
) -> Result<Vec<u8>, String> {
    let bytes: Vec<Vec<u8>> = params
        .values
        .iter()
        .map(|v| v.iter().flat_map(|x| x.to_le_bytes()).collect())
        .collect();
    let views = params
        .names
        .iter()
        .zip(&params.shapes)
        .zip(&bytes)
        .map(|((name, shape), data)| {
            TensorView::new(Dtype::F32, shape.clone(), data)
                .map(|view| (name.clone(), view))
                .map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut metadata = HashMap::from([
        (KIND.to_string(), kind.to_string()),
        (SETTINGS.to_string(), settings.to_string()),
        (STEP.to_string(), step.to_string()),
        (SUMMARY.to_string(), summary.json()),
    ]);
    if let Some(origin) = data {
        let fields = [
            ("name", origin.name.clone()),
            ("bytes", origin.bytes.to_string()),
            ("sha256", origin.sha256.clone()),
            ("sample", origin.sample.to_string()),
            ("use", origin.kind.name().to_string()),
            ("choices", origin.choices.clone()),
        ];
        for (key, value) in fields {
            metadata.insert(format!("{DATA}.{key}"), value);
        }
    }
    safetensors::serialize(views, Some(metadata)).map_err(|e| e.to_string())
}

/// What a file made by `write_safetensors` holds.
pub fn read_safetensors(bytes: &[u8]) -> Result<ModelFile, String> {
    check_model_file(bytes)?;
    let (_, header) =
        SafeTensors::read_metadata(bytes).map_err(|e| format!("not a safetensors file: {e}"))?;
    let metadata = header.metadata().clone().unwrap_or_default();
    let field = |key: &str| {
        metadata.get(key).cloned().ok_or_else(|| {
            format!("the file has no '{key}' metadata: was it exported by Kindling?")
        })
    };
    let (kind, settings) = (field(KIND)?, field(SETTINGS)?);
    let step = field(STEP)?
        .parse::<u32>()
        .map_err(|_| "the file's step is not a number".to_string())?;
    let data = metadata
        .contains_key(&format!("{DATA}.name"))
        .then(|| read_origin(&metadata))
        .transpose()
        .map_err(|e| format!("the file's data description is invalid ({e})"))?;
    let tensors =
        SafeTensors::deserialize(bytes).map_err(|e| format!("not a safetensors file: {e}"))?;
    let mut params = HashMap::new();
    for (name, view) in tensors.tensors() {
        if view.dtype() != Dtype::F32 {
            return Err(format!(
                "tensor '{name}' is {:?}; Kindling reads F32",
                view.dtype()
            ));
        }
        let values = view
            .data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        params.insert(name, (view.shape().to_vec(), values));
    }
    Ok(ModelFile {
        kind,
        settings,
        step,
        data,
        tensors: params,
    })
}

/// The `kindling.data.*` metadata of a model trained on the user's file.
fn read_origin(metadata: &HashMap<String, String>) -> Result<DataOrigin, String> {
    let field = |key: &str| {
        metadata
            .get(&format!("{DATA}.{key}"))
            .ok_or(format!("no {DATA}.{key}"))
    };
    let sha256 = field("sha256")?.to_ascii_lowercase();
    if super::origin::fingerprint_bytes(&sha256).is_none() {
        return Err("its SHA-256 is not 64 hex digits".into());
    }
    Ok(DataOrigin {
        name: field("name")?.clone(),
        bytes: field("bytes")?
            .parse()
            .map_err(|_| "its size is not a count")?,
        sha256,
        sample: field("sample")?
            .parse()
            .map_err(|_| "its sample flag is not true or false")?,
        kind: UseKind::from_name(field("use")?).ok_or("its use is unknown")?,
        choices: field("choices")?.clone(),
    })
}
