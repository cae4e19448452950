//! Models: the multilayer perceptron, the transformer, and their parts.

mod activation;
pub mod attention;
mod features;
mod init;
mod mlp;
mod output_bias;
mod rows;
mod summary;
pub mod transformer;

pub use activation::ActivationKind;
pub use attention::{SelfAttention, causal_mask, scaled_dot_product};
pub use features::{Feature, InputFeatures};
pub use init::{DrawNow, InitKind, linear, normal, param};
pub use mlp::{Hidden, LayerConfig, MAX_HIDDEN_LAYERS, MAX_UNITS, Mlp, MlpConfig};
pub use output_bias::{OutputBias, class_frequencies, mean, prior_bias};
pub use rows::{linear_forward, linear_rows};
pub use summary::{LayerSummary, ModelSummary, mlp_summary, shape_text, transformer_summary};
pub use transformer::{
    Block, Embedding, Head, Positional, PositionalEncoding, Transformer, TransformerConfig,
    TransformerOutput,
};
