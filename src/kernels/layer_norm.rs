//! LayerNorm over the last dimension (Ba et al., 2016): y = (x − mean)/√(var + ε)·γ + β, with the
//! biased variance, as `burn::tensor::module::layer_norm`. The backward pass is the closed form
//!   x̂ = (x − mean)/σ,  g = dy·γ,
//!   dx = (g − mean(g) − x̂·mean(g·x̂))/σ,  dγ = Σ_rows dy·x̂,  dβ = Σ_rows dy,
//! one pass over the rows instead of backpropagating through eleven recorded operations.

use super::{Route, Tracked, flex, lane_dot, lane_sum, record, route, values};
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops};
use burn::backend::flex::FlexTensor;
use burn::backend::{AutodiffBackend, Flex};
use burn::prelude::*;

/// LayerNorm of `x` [..., d] with scale `gamma` [d] and shift `beta` [d].
pub fn layer_norm<const D: usize>(
    x: Tensor<D>,
    gamma: Tensor<1>,
    beta: Tensor<1>,
    epsilon: f64,
) -> Tensor<D> {
    match (route(x), route(gamma), route(beta)) {
        (Route::Tracked(x), Route::Tracked(gamma), Route::Tracked(beta)) => {
            let input = Tracked::inner(x.clone());
            let gamma_values = values(&Tracked::inner(gamma.clone())).into_owned();
            let shape = input.layout().shape().clone();
            let forward = Forward::new(
                &values(&input),
                &gamma_values,
                &values(&Tracked::inner(beta.clone())),
                epsilon,
            );
            let state = State {
                normalized: flex(forward.normalized, shape.clone()),
                inverse_std: forward.inverse_std,
                gamma: gamma_values,
            };
            record(
                LayerNormBackward,
                [&x, &gamma, &beta],
                state,
                flex(forward.output, shape),
            )
        }
        (Route::Plain(x), Route::Plain(gamma), Route::Plain(beta)) => {
            let forward = Forward::new(&values(&x), &values(&gamma), &values(&beta), epsilon);
            Tensor::from_primitive::<Flex>(flex(forward.output, x.layout().shape().clone()))
        }
        (x, gamma, beta) => {
            let (x, gamma, beta) = (x.into_tensor(), gamma.into_tensor(), beta.into_tensor());
            #[cfg(any(feature = "gpu", all(target_arch = "wasm32", not(kindling_threads))))]
            if let Some(y) = super::gpu::layer_norm(&x, &gamma, &beta, epsilon) {
                return y;
            }
            burn::tensor::module::layer_norm(x, gamma, Some(beta), epsilon)
        }
    }
}

/// The forward pass over rows of length d = γ's length.
struct Forward {
    output: Vec<f32>,
    /// x̂, kept for the backward pass.
    normalized: Vec<f32>,
    /// 1/σ per row.
    inverse_std: Vec<f32>,
}

impl Forward {
    fn new(x: &[f32], gamma: &[f32], beta: &[f32], epsilon: f64) -> Self {
        let d = gamma.len();
        let mut output = vec![0.0; x.len()];
        let mut normalized = vec![0.0; x.len()];
        let mut inverse_std = Vec::with_capacity(x.len() / d);
        for ((row, out), norm) in x
            .chunks_exact(d)
            .zip(output.chunks_exact_mut(d))
            .zip(normalized.chunks_exact_mut(d))
        {
            let mean = lane_sum(row) / d as f32;
            for (n, v) in norm.iter_mut().zip(row) {
                *n = v - mean;
            }
            let variance = lane_dot(norm, norm) / d as f32;
            let inverse = 1.0 / (variance + epsilon as f32).sqrt();
            for (((o, n), g), b) in out.iter_mut().zip(norm.iter_mut()).zip(gamma).zip(beta) {
                *n *= inverse;
                *o = *n * g + b;
            }
            inverse_std.push(inverse);
        }
        Self {
            output,
            normalized,
            inverse_std,
        }
    }
}

#[derive(Clone, Debug)]
struct State {
    normalized: FlexTensor,
    inverse_std: Vec<f32>,
    gamma: Vec<f32>,
}

#[derive(Debug)]
struct LayerNormBackward;

impl Backward<Flex, 3> for LayerNormBackward {
    type State = State;

    fn backward(self, ops: Ops<State, 3>, grads: &mut Gradients, _: &mut Checkpointer) {
        let grad = grads.consume::<Flex>(&ops.node);
        let State {
            normalized,
            inverse_std,
            gamma,
        } = ops.state;
        let d = gamma.len();
        let dy = values(&grad);
        let normalized_values = values(&normalized);
        let mut dx = vec![0.0; dy.len()];
        let mut d_gamma = vec![0.0; d];
        let mut d_beta = vec![0.0; d];
        let mut g = vec![0.0; d];
        for (((dy, x_hat), dx), inverse) in dy
            .chunks_exact(d)
            .zip(normalized_values.chunks_exact(d))
            .zip(dx.chunks_exact_mut(d))
            .zip(&inverse_std)
        {
            for ((g, dy), gamma) in g.iter_mut().zip(dy).zip(&gamma) {
                *g = dy * gamma;
            }
            let mean_g = lane_sum(&g) / d as f32;
            let mean_g_x_hat = lane_dot(&g, x_hat) / d as f32;
            for ((dx, g), x_hat) in dx.iter_mut().zip(&g).zip(x_hat) {
                *dx = (g - mean_g - x_hat * mean_g_x_hat) * inverse;
            }
            for ((d_gamma, dy), x_hat) in d_gamma.iter_mut().zip(dy).zip(x_hat) {
                *d_gamma += dy * x_hat;
            }
            for (d_beta, dy) in d_beta.iter_mut().zip(dy) {
                *d_beta += dy;
            }
        }
        let [x_node, gamma_node, beta_node] = ops.parents;
        if let Some(node) = x_node {
            grads.register::<Flex>(node.id, flex(dx, normalized.layout().shape().clone()));
        }
        if let Some(node) = gamma_node {
            grads.register::<Flex>(node.id, flex(d_gamma, [d]));
        }
        if let Some(node) = beta_node {
            grads.register::<Flex>(node.id, flex(d_beta, [d]));
        }
    }
}
