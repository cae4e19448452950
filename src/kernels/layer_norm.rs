//! LayerNorm over the last dimension (Ba et al., 2016): y = (x − mean)/√(var + ε)·γ + β, with the
//! biased variance, as `burn::tensor::module::layer_norm`. The backward pass is the closed form
//!   x̂ = (x − mean)/σ,  g = dy·γ,
//!   dx = (g − mean(g) − x̂·mean(g·x̂))/σ,  dγ = Σ_rows dy·x̂,  dβ = Σ_rows dy,
//! one pass over the rows instead of backpropagating through eleven recorded operations.

use super::{Route, Tracked, flex, record, route, values};
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
        (x, gamma, beta) => burn::tensor::module::layer_norm(
            x.into_tensor(),
            gamma.into_tensor(),
            Some(beta.into_tensor()),
            epsilon,
        ),
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
            let mean = row.iter().sum::<f32>() / d as f32;
            let variance = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / d as f32;
            let inverse = 1.0 / (variance + epsilon as f32).sqrt();
            for (i, (o, n)) in out.iter_mut().zip(norm.iter_mut()).enumerate() {
                *n = (row[i] - mean) * inverse;
                *o = *n * gamma[i] + beta[i];
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
        for (((dy, x_hat), dx), inverse) in dy
            .chunks_exact(d)
            .zip(normalized_values.chunks_exact(d))
            .zip(dx.chunks_exact_mut(d))
            .zip(&inverse_std)
        {
            let mut mean_g = 0.0;
            let mut mean_g_x_hat = 0.0;
            for i in 0..d {
                let g = dy[i] * gamma[i];
                mean_g += g;
                mean_g_x_hat += g * x_hat[i];
                d_gamma[i] += dy[i] * x_hat[i];
                d_beta[i] += dy[i];
            }
            mean_g /= d as f32;
            mean_g_x_hat /= d as f32;
            for i in 0..d {
                dx[i] = (dy[i] * gamma[i] - mean_g - x_hat[i] * mean_g_x_hat) * inverse;
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
