//! A multilayer perceptron: hidden layers of Linear -> activation -> dropout, then a linear
//! output layer producing logits (classification) or values (regression).

use super::{ActivationKind, DrawNow, InitKind, InputFeatures, OutputBias, linear, linear_forward};
use crate::data::Rng;
use burn::nn::activation::Activation;
use burn::nn::{Dropout, DropoutConfig, Linear};
use burn::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Field, UserError, Wording};
use crate::settings::out_of_range;

static LAYERS: Wording = Wording::new("mlp-layers", "at most {max} hidden layers, got {value}");
static UNITS: Wording = Wording::new(
    "mlp-units",
    "layer {layer}: units must be 1-{max}, got {value}",
);
static DROPOUT: Wording = Wording::new(
    "mlp-dropout",
    "layer {layer}: dropout must be in [0, 1), got {value}",
);

pub const MAX_HIDDEN_LAYERS: usize = 6;
pub const MAX_UNITS: usize = 256;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct LayerConfig {
    pub units: usize,
    pub activation: ActivationKind,
    /// Probability of zeroing a unit while training; off in eval mode.
    pub dropout: f64,
}

impl Default for LayerConfig {
    fn default() -> Self {
        Self {
            units: 64,
            activation: ActivationKind::Relu,
            dropout: 0.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct MlpConfig {
    pub hidden: Vec<LayerConfig>,
    pub init: InitKind,
    /// What the network takes of a built-in point (a table's inputs are its columns).
    pub features: InputFeatures,
    /// What the output layer's bias starts at (`Learner::with_source` sets it from the data).
    #[serde(skip_serializing_if = "OutputBias::is_zero")]
    pub output_bias: OutputBias,
}

impl Default for MlpConfig {
    fn default() -> Self {
        Self {
            hidden: vec![LayerConfig::default(), LayerConfig::default()],
            init: InitKind::Kaiming,
            features: InputFeatures::default(),
            output_bias: OutputBias::Zero,
        }
    }
}

#[derive(Module, Debug)]
pub struct Hidden {
    pub linear: Linear,
    pub activation: Activation,
    pub dropout: Dropout,
}

#[derive(Module, Debug)]
pub struct Mlp {
    pub hidden: Vec<Hidden>,
    pub output: Linear,
}

impl MlpConfig {
    pub fn validate(&self) -> Result<(), UserError> {
        if self.hidden.len() > MAX_HIDDEN_LAYERS {
            return Err(out_of_range(&LAYERS, MAX_HIDDEN_LAYERS, self.hidden.len()));
        }
        self.features.validate()?;
        for (i, layer) in self.hidden.iter().enumerate() {
            let of_layer = |w, value: &dyn std::fmt::Display| {
                let mut e = out_of_range(w, MAX_UNITS, value);
                e.fields.push(("layer", Field::plain(i + 1)));
                e
            };
            if !(1..=MAX_UNITS).contains(&layer.units) {
                return Err(of_layer(&UNITS, &layer.units));
            }
            if !(0.0..1.0).contains(&layer.dropout) {
                return Err(of_layer(&DROPOUT, &layer.dropout));
            }
        }
        Ok(())
    }

    /// Builds the model on `device`, its weights drawn from `seed` (see `InitKind`).
    pub fn init(&self, inputs: usize, outputs: usize, seed: u64, device: &Device) -> Mlp {
        let mut rng = Rng::new(seed);
        let mut width = inputs;
        let hidden = self
            .hidden
            .iter()
            .map(|layer| {
                let linear = linear(width, layer.units, self.init, &mut rng, device);
                width = layer.units;
                Hidden {
                    linear,
                    activation: layer.activation.config().init(device),
                    dropout: DropoutConfig::new(layer.dropout).init(),
                }
            })
            .collect();
        let mlp = Mlp {
            hidden,
            output: linear(width, outputs, self.init, &mut rng, device),
        };
        mlp.visit(&mut DrawNow);
        mlp
    }
}

impl Mlp {
    /// [batch, inputs] -> [batch, outputs]
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let x = self.hidden.iter().fold(x, |x, layer| layer.forward(x));
        linear_forward(&self.output, x)
    }

    /// The last hidden layer's activations (after dropout, so call it in eval mode), the
    /// representation the output layer reads: [batch, inputs] -> [batch, units of the last
    /// hidden layer]. With no hidden layer, the input itself.
    pub fn last_hidden(&self, x: Tensor<2>) -> Tensor<2> {
        self.hidden.iter().fold(x, |x, layer| layer.forward(x))
    }

    /// Number of trainable scalars.
    pub fn parameters(&self) -> usize {
        self.num_params()
    }
}

impl Hidden {
    /// [batch, d_in] -> [batch, units]
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.dropout
            .forward(self.activation.forward(linear_forward(&self.linear, x)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(units: usize, activation: ActivationKind) -> LayerConfig {
        LayerConfig {
            units,
            activation,
            dropout: 0.0,
        }
    }

    #[test]
    fn shapes_of_every_layer() {
        let device = Device::flex();
        let config = MlpConfig {
            hidden: vec![
                layer(5, ActivationKind::Tanh),
                layer(7, ActivationKind::Prelu),
            ],
            init: InitKind::Xavier,
            ..Default::default()
        };
        let mlp = config.init(2, 3, 1, &device);
        let x = Tensor::<2>::ones([4, 2], &device);
        let h1 = mlp.hidden[0].forward(x.clone());
        assert_eq!(h1.dims(), [4, 5]);
        assert_eq!(mlp.hidden[1].forward(h1).dims(), [4, 7]);
        assert_eq!(mlp.forward(x.clone()).dims(), [4, 3]);
        assert_eq!(mlp.last_hidden(x).dims(), [4, 7]);
        // 2*5+5 + 5*7+7 + 1 (PReLU slope) + 7*3+3
        assert_eq!(mlp.parameters(), 15 + 42 + 1 + 24);
    }

    #[test]
    fn no_hidden_layer_is_a_linear_model() {
        let device = Device::flex();
        let mlp = MlpConfig {
            hidden: vec![],
            init: InitKind::Uniform,
            ..Default::default()
        }
        .init(2, 1, 1, &device);
        assert_eq!(mlp.forward(Tensor::zeros([3, 2], &device)).dims(), [3, 1]);
        assert_eq!(mlp.parameters(), 3);
    }

    #[test]
    fn weights_are_drawn_at_init_not_on_first_use() {
        let mlp = MlpConfig::default().init(2, 2, 1, &Device::flex());
        for linear in mlp.hidden.iter().map(|h| &h.linear).chain([&mlp.output]) {
            assert!(linear.weight.is_initialized());
            assert!(linear.bias.as_ref().unwrap().is_initialized());
        }
    }

    #[test]
    fn zeros_are_really_zeros() {
        let device = Device::flex();
        let mlp = MlpConfig {
            hidden: vec![layer(4, ActivationKind::Relu)],
            init: InitKind::Zeros,
            ..Default::default()
        }
        .init(2, 2, 1, &device);
        for linear in [&mlp.hidden[0].linear, &mlp.output] {
            let w = linear.weight.val().into_data().try_to_vec::<f32>().unwrap();
            let b = linear
                .bias
                .as_ref()
                .unwrap()
                .val()
                .into_data()
                .try_to_vec::<f32>()
                .unwrap();
            assert!(w.iter().chain(&b).all(|v| *v == 0.0));
        }
    }

    #[test]
    fn bad_shapes_are_refused() {
        let config = MlpConfig {
            hidden: vec![layer(0, ActivationKind::Relu)],
            ..Default::default()
        };
        assert_eq!(
            config.validate().unwrap_err().to_string(),
            "layer 1: units must be 1-256, got 0"
        );
        let config = MlpConfig {
            hidden: vec![LayerConfig::default(); 7],
            ..Default::default()
        };
        assert!(
            config
                .validate()
                .unwrap_err()
                .to_string()
                .contains("at most 6")
        );
    }
}
