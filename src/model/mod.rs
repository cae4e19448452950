//! Models: the multilayer perceptron and its parts.

mod activation;
mod init;
mod mlp;

pub use activation::ActivationKind;
pub use init::InitKind;
pub use mlp::{Hidden, LayerConfig, Mlp, MlpConfig};
