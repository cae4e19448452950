//! softmax over the last dimension, yᵢ = e^(xᵢ − max x) / Σⱼ e^(xⱼ − max x), with −∞ (a mask)
//! giving 0. Backward: dx = y ⊙ (dy − Σ dy·y) per row, from the kept output.

use super::{Route, Tracked, exp, flex, lane_dot, lane_sum, record, values};
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, unary};
use burn::backend::flex::FlexTensor;
use burn::backend::{AutodiffBackend, Flex};
use burn::prelude::*;

/// softmax of `x` along its last dimension.
pub fn softmax<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    let last = x.dims()[D - 1];
    match super::route(x) {
        Route::Tracked(x) => {
            let input = Tracked::inner(x.clone());
            let shape = input.layout().shape().clone();
            let output = flex(softmax_rows(&values(&input), last), shape);
            record(SoftmaxBackward, [&x], output.clone(), output)
        }
        Route::Plain(x) => {
            let output = softmax_rows(&values(&x), last);
            Tensor::from_primitive::<Flex>(flex(output, x.layout().shape().clone()))
        }
        Route::Elsewhere(x) => {
            #[cfg(any(feature = "gpu", all(target_arch = "wasm32", not(kindling_threads))))]
            if let Some(y) = super::gpu::softmax(&x) {
                return y;
            }
            burn::tensor::activation::softmax(x, D - 1)
        }
    }
}

fn softmax_rows(x: &[f32], d: usize) -> Vec<f32> {
    let mut out = vec![0.0; x.len()];
    for (row, out) in x.chunks_exact(d).zip(out.chunks_exact_mut(d)) {
        let max = row
            .iter()
            .fold(f32::NEG_INFINITY, |m, &v| if v > m { v } else { m });
        for (o, &v) in out.iter_mut().zip(row) {
            *o = exp(v - max);
        }
        let scale = 1.0 / lane_sum(out);
        out.iter_mut().for_each(|o| *o *= scale);
    }
    out
}

#[derive(Debug)]
struct SoftmaxBackward;

impl Backward<Flex, 1> for SoftmaxBackward {
    /// The forward output y.
    type State = FlexTensor;

    fn backward(self, ops: Ops<FlexTensor, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let output = ops.state;
        unary::<Flex, _>(ops.parents, ops.node, grads, |grad| {
            let shape = output.layout().shape().clone();
            let d = shape[shape.num_dims() - 1];
            let (dy, y) = (values(&grad), values(&output));
            let mut dx = vec![0.0; y.len()];
            for ((dy, y), dx) in dy
                .chunks_exact(d)
                .zip(y.chunks_exact(d))
                .zip(dx.chunks_exact_mut(d))
            {
                let dot = lane_dot(dy, y);
                for ((dx, y), dy) in dx.iter_mut().zip(y).zip(dy) {
                    *dx = y * (dy - dot);
                }
            }
            flex(dx, shape)
        });
    }
}
