//! Cross-entropy of softmax(logits) against target distributions, averaged over the rows:
//!   L = −(1/N)·Σₙ Σ_c y_nc·log softmax(z_n)_c = (1/N)·Σₙ (Σ_c y_nc·lse(z_n) − Σ_c y_nc·z_nc),
//! with the log-sum-exp taken after subtracting the row's maximum. Its gradient with respect to
//! the logits, (softmax(z_n)·Σ_c y_nc − y_n)/N, is computed in the same pass and kept, so the
//! backward pass is one scaling. No gradient flows to the targets: they are data.

use super::{Route, Tracked, exp, flex, flex_of, lane_dot, lane_sum, record, route, values};
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, unary};
use burn::backend::flex::FlexTensor;
use burn::backend::{AutodiffBackend, Flex};
use burn::prelude::*;
use burn::tensor::activation::log_softmax;

/// Mean cross-entropy, shape [1]. `logits`, `targets`: [rows, classes].
pub fn cross_entropy(logits: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
    let [_, classes] = logits.dims();
    // The targets need no gradient: their values, wherever on flex they are.
    match (route(logits), flex_of(targets.clone())) {
        (Route::Tracked(logits), Some(targets)) => {
            let input = Tracked::inner(logits.clone());
            let (loss, slope) = loss_and_slope(&values(&input), &values(&targets), classes);
            let slope = flex(slope, input.layout().shape().clone());
            record(
                CrossEntropyBackward,
                [&logits],
                slope,
                flex(vec![loss], [1]),
            )
        }
        (Route::Plain(logits), Some(targets)) => {
            let (loss, _) = loss_and_slope(&values(&logits), &values(&targets), classes);
            Tensor::from_primitive::<Flex>(flex(vec![loss], [1]))
        }
        (logits, _) => {
            let logits = logits.into_tensor();
            #[cfg(any(feature = "gpu", all(target_arch = "wasm32", not(kindling_threads))))]
            if let Some(loss) = super::gpu::cross_entropy(&logits, &targets) {
                return loss;
            }
            (log_softmax(logits, 1) * targets).sum_dim(1).mean().neg()
        }
    }
}

/// The mean loss and its gradient with respect to each logit.
fn loss_and_slope(logits: &[f32], targets: &[f32], classes: usize) -> (f32, Vec<f32>) {
    let rows = logits.len() / classes;
    let mut slope = vec![0.0; logits.len()];
    let mut total = 0.0f64;
    for ((z, y), s) in logits
        .chunks_exact(classes)
        .zip(targets.chunks_exact(classes))
        .zip(slope.chunks_exact_mut(classes))
    {
        let max = z
            .iter()
            .fold(f32::NEG_INFINITY, |m, &v| if v > m { v } else { m });
        for (s, &v) in s.iter_mut().zip(z) {
            *s = exp(v - max);
        }
        let sum = lane_sum(s);
        let log_sum_exp = max + sum.ln();
        let target_mass = lane_sum(y);
        let target_dot = lane_dot(y, z);
        total += f64::from(target_mass * log_sum_exp - target_dot);
        let scale = target_mass / sum;
        for (s, &t) in s.iter_mut().zip(y) {
            *s = (*s * scale - t) / rows as f32;
        }
    }
    ((total / rows as f64) as f32, slope)
}

#[derive(Debug)]
struct CrossEntropyBackward;

impl Backward<Flex, 1> for CrossEntropyBackward {
    /// dL/dlogits for an upstream gradient of 1.
    type State = FlexTensor;

    fn backward(self, ops: Ops<FlexTensor, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let slope = ops.state;
        unary::<Flex, _>(ops.parents, ops.node, grads, |grad| {
            let upstream = values(&grad)[0];
            let scaled = values(&slope).iter().map(|s| s * upstream).collect();
            flex(scaled, slope.layout().shape().clone())
        });
    }
}
