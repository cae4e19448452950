//! The activations a learner can pick per layer, mapped onto Burn's activation layers.

use burn::nn::activation::{ActivationConfig, LeakyReluConfig, PReluConfig};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ActivationKind {
    Relu,
    /// max(x, 0.01 x)
    LeakyRelu,
    /// max(x, a x) with a learned slope a (one per layer, starting at 0.25).
    Prelu,
    Gelu,
    Tanh,
    Sigmoid,
    /// The identity: a linear layer.
    Linear,
}

impl ActivationKind {
    pub fn config(self) -> ActivationConfig {
        match self {
            ActivationKind::Relu => ActivationConfig::Relu,
            ActivationKind::LeakyRelu => ActivationConfig::LeakyRelu(LeakyReluConfig::new()),
            ActivationKind::Prelu => ActivationConfig::PRelu(PReluConfig::new()),
            ActivationKind::Gelu => ActivationConfig::Gelu,
            ActivationKind::Tanh => ActivationConfig::Tanh,
            ActivationKind::Sigmoid => ActivationConfig::Sigmoid,
            ActivationKind::Linear => ActivationConfig::Identity,
        }
    }
}
