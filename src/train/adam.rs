//! Adam (Kingma & Ba, 2015) exactly as Burn's `Adam` computes it, for training on the CPU backend:
//! each parameter's update is one loop, and the walk over the model's parameters is a plain
//! `ModuleMapper` that reads each gradient straight from the backward pass.
//!
//! Why: Burn's Adam is about a dozen tensor operations per parameter and step (scale, add, square,
//! sqrt, divide, subtract, each allocating), and a transformer has two dozen parameters, many of
//! them a few dozen numbers long: 6% of the reversal transformer's step in the wasm build went
//! there. With that fused, Burn's `ModuleOptimizer` around it (gradients gathered into a map by
//! parameter, a path string, a type-erased state and device checks per parameter) was another 5%.
//! Off the CPU (WebGPU) the trainers use Burn's `Adam` (`super::Optimizer`).

use crate::kernels::{flex_of, values};
use burn::backend::autodiff::checkpoint::strategy::NoCheckpointing;
use burn::backend::flex::FlexTensor;
use burn::backend::{Autodiff, AutodiffBackend, Flex};
use burn::module::{Module, ModuleMapper, Param, ParamId};
use burn::prelude::*;
use burn::tensor::Gradients;
use std::collections::HashMap;

/// Burn's defaults for Adam.
pub const BETA_1: f32 = 0.9;
pub const BETA_2: f32 = 0.999;
pub const EPSILON: f32 = 1e-5;

/// Adam over a model on flex under autodiff (`Device::flex().autodiff()`).
#[derive(Clone, Debug)]
pub struct FusedAdam {
    /// L2 penalty added to the gradient, as Burn's `WeightDecay`.
    weight_decay: Option<f32>,
    /// Each parameter's moments and step count, as Burn's `AdamState`.
    moments: HashMap<ParamId, Moments>,
}

#[derive(Clone, Debug)]
struct Moments {
    first: Vec<f32>,
    second: Vec<f32>,
    /// Updates so far, this one included.
    time: i32,
}

impl FusedAdam {
    pub fn new(weight_decay: Option<f32>) -> Self {
        Self {
            weight_decay,
            moments: HashMap::new(),
        }
    }

    /// Later steps decay by `weight_decay`; the moments stay.
    pub fn set_weight_decay(&mut self, weight_decay: Option<f32>) {
        self.weight_decay = weight_decay;
    }

    /// One step of every parameter of `model` that has a gradient in `grads` (the backward pass
    /// of a loss computed by `model`).
    pub fn step<M: Module>(&mut self, lr: f64, model: M, grads: &mut Gradients) -> M {
        model.map(&mut Step {
            adam: self,
            grads,
            lr: lr as f32,
        })
    }

    /// `param` after one step with `grad`; the moments move with it.
    fn update(&mut self, id: ParamId, param: &[f32], grad: &[f32], lr: f32) -> Vec<f32> {
        let n = param.len();
        let moments = self.moments.entry(id).or_insert_with(|| Moments {
            first: vec![0.0; n],
            second: vec![0.0; n],
            time: 0,
        });
        moments.time += 1;
        // Burn's arithmetic: the bias corrections folded into one factor and into ε.
        let (beta_1, beta_2) = (BETA_1 as f64, BETA_2 as f64);
        let bias_2_sqrt = (1.0 - beta_2.powi(moments.time)).sqrt();
        let factor = (bias_2_sqrt / (1.0 - beta_1.powi(moments.time))) as f32;
        let epsilon = (EPSILON as f64 * bias_2_sqrt) as f32;
        let (take_1, take_2) = ((1.0 - beta_1) as f32, (1.0 - beta_2) as f32);
        let decay = self.weight_decay.unwrap_or(0.0);
        let mut updated = vec![0.0; n];
        // Iterators rather than indices, so that no bounds check stops the loop vectorising.
        let state = moments.first.iter_mut().zip(moments.second.iter_mut());
        let rows = param.iter().zip(grad).zip(updated.iter_mut()).zip(state);
        for (((p, g), u), (m, v)) in rows {
            let g = g + decay * p;
            *m = *m * BETA_1 + g * take_1;
            *v = *v * BETA_2 + g * g * take_2;
            *u = p - *m * factor / (v.sqrt() + epsilon) * lr;
        }
        updated
    }
}

/// The walk over a model's parameters for one step.
struct Step<'a> {
    adam: &'a mut FusedAdam,
    grads: &'a mut Gradients,
    lr: f32,
}

impl ModuleMapper for Step<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (id, tensor, mapper) = param.consume();
        let Some(grad) = tensor.grad_remove(self.grads) else {
            return Param::from_mapped_value(id, tensor, mapper);
        };
        let shape = tensor.shape();
        let (Some(param), Some(grad)) = (flex_of(tensor), flex_of(grad)) else {
            panic!("FusedAdam trains models on the CPU backend only");
        };
        let updated = self
            .adam
            .update(id, &values(&param), &values(&grad), self.lr);
        // Back under autodiff as the trainer's device makes parameters (no checkpointing), and
        // tracked, as Burn's optimisers leave them.
        let updated = FlexTensor::from_data(TensorData::new(updated, shape));
        let tracked = Autodiff::<Flex, NoCheckpointing>::from_inner(updated);
        let tensor = Tensor::from_primitive::<Autodiff<Flex, NoCheckpointing>>(tracked);
        Param::from_mapped_value(id, tensor.require_grad(), mapper)
    }
}
