//! Weight initialisation schemes, drawn on the host from the train seed: a seed names the same
//! initial weights on every backend, and drawing them never touches Burn's device generator
//! (which only dropout uses).
//!
//! Biases start at zero, except with `Uniform`, so that `Zeros` is all zeros and a learner sees
//! every unit of a layer stay identical (the symmetry problem).

use crate::data::Rng;
use burn::module::{ModuleVisitor, Param};
use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
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
    /// Half-width of the uniform distribution the weights of a `fan_in` x `fan_out` layer are
    /// drawn from.
    pub fn bound(self, fan_in: usize, fan_out: usize) -> f32 {
        match self {
            InitKind::Zeros => 0.0,
            InitKind::Uniform => 0.5,
            InitKind::Xavier => (6.0 / (fan_in + fan_out) as f32).sqrt(),
            InitKind::Kaiming => (6.0 / fan_in as f32).sqrt(),
        }
    }

    /// Weights [fan_in, fan_out] row-major, and biases [fan_out].
    pub fn draw(self, fan_in: usize, fan_out: usize, rng: &mut Rng) -> (Vec<f32>, Vec<f32>) {
        let bound = self.bound(fan_in, fan_out);
        let mut uniform = |n: usize| (0..n).map(|_| rng.range(-bound, bound)).collect::<Vec<_>>();
        let weights = uniform(fan_in * fan_out);
        let biases = match self {
            InitKind::Uniform => uniform(fan_out),
            _ => vec![0.0; fan_out],
        };
        (weights, biases)
    }
}

/// A linear layer whose weights [d_input, d_output] (Burn's row layout) and biases are drawn by
/// `init` from `rng`.
pub fn linear(
    d_input: usize,
    d_output: usize,
    init: InitKind,
    rng: &mut Rng,
    device: &Device,
) -> Linear {
    let (weights, biases) = init.draw(d_input, d_output, rng);
    let mut linear = LinearConfig::new(d_input, d_output).init(device);
    linear.weight = param(weights, [d_input, d_output], device);
    linear.bias = Some(param(biases, [d_output], device));
    linear
}

/// A trainable parameter holding `values`.
pub fn param<const D: usize>(
    values: Vec<f32>,
    shape: [usize; D],
    device: &Device,
) -> Param<Tensor<D>> {
    Param::from_tensor(Tensor::from_data(TensorData::new(values, shape), device))
}

/// `n` draws from N(0, std^2).
pub fn normal(n: usize, std: f32, rng: &mut Rng) -> Vec<f32> {
    (0..n).map(|_| std * rng.normal()).collect()
}

/// Burn creates parameters lazily, and a parameter moved before its first use is created on the
/// device it was moved to. Creating every parameter at init keeps the model where it was built.
pub struct DrawNow;

impl ModuleVisitor for DrawNow {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let _ = param.val();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_stay_within_the_bound_and_fill_it() {
        let mut rng = Rng::new(1);
        let (w, b) = InitKind::Kaiming.draw(6, 100, &mut rng);
        let bound = 1.0; // sqrt(6 / 6)
        assert_eq!((w.len(), b.len()), (600, 100));
        assert!(w.iter().all(|v| v.abs() <= bound));
        assert!(w.iter().any(|v| v.abs() > 0.9 * bound));
        assert!(b.iter().all(|v| *v == 0.0));
        let (w, b) = InitKind::Zeros.draw(3, 4, &mut rng);
        assert!(w.iter().chain(&b).all(|v| *v == 0.0));
        assert!((InitKind::Xavier.bound(2, 4) - 1.0).abs() < 1e-6);
    }
}
