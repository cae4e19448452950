//! A trained model and its settings <-> compact bytes <-> link text, and <-> a .safetensors
//! file. The link format is specified in docs/share-format.md.

mod link;
mod params;
mod precision;
mod safetensors_file;

pub use link::{
    LINK_PREFIX, MAX_LINK_CHARS, ModelKind, ShareError, Shared, decode_link, encode_link,
};
pub use params::{ParamValues, load_params, param_tensors, param_values_from};
pub use precision::Precision;
pub use safetensors_file::{read_safetensors, write_safetensors};
