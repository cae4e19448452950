//! Weight initialisation schemes. Biases start at zero, except with `Uniform`, so that `Zeros`
//! is all zeros and a learner sees every unit of a layer stay identical (the symmetry problem).

use burn::nn::Initializer;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum InitKind {
    Zeros,
    /// U(-0.5, 0.5), as TensorFlow Playground does.
    Uniform,
    /// Glorot & Bengio (2010): U(±sqrt(6 / (fan_in + fan_out))).
    Xavier,
    /// He et al. (2015): U(±sqrt(6 / fan_in)), for ReLU layers.
    Kaiming,
}

impl InitKind {
    pub fn weights(self) -> Initializer {
        match self {
            InitKind::Zeros => Initializer::Zeros,
            InitKind::Uniform => Initializer::Uniform {
                min: -0.5,
                max: 0.5,
            },
            InitKind::Xavier => Initializer::XavierUniform { gain: 1.0 },
            InitKind::Kaiming => Initializer::KaimingUniform {
                gain: 2f64.sqrt(),
                fan_out_only: false,
            },
        }
    }

    pub fn biases(self) -> Initializer {
        match self {
            InitKind::Uniform => self.weights(),
            _ => Initializer::Zeros,
        }
    }
}
