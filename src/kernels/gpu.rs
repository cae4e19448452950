//! The kernels' single autodiff nodes on the GPU backend (Burn's `Cube`: WebGPU in the page, wgpu
//! natively): the forward pass is Burn's own operations, which its fusion joins into a few
//! kernels, and the backward pass is the formula the CPU kernel uses, not the backward of each
//! operation.
//!
//! Why: on the GPU each operation autodiff records backward is a kernel dispatch, and most of
//! those stand alone between reductions, where fusion cannot join them. Cross-entropy over
//! log-softmax was 25 of the spiral MLP's 50 dispatches a step (9 forward, 16 backward), and each
//! LayerNorm's backward about 20 of the reversal transformer's 210 (BENCHMARKS.md, issue 20).

use super::record;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::NoCheckpointing;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, unary};
use burn::backend::ops::FloatTensorOps;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Cube};
use burn::prelude::*;
use burn::tensor::{DType, Shape};

/// The GPU backend under autodiff, as `Device::…().autodiff()` makes it.
type TrackedGpu = Autodiff<Cube, NoCheckpointing>;

/// Whether the kernels make one node of `x` (an f32 tensor on the GPU under autodiff); the tests
/// check it, so that they test this path and not Burn's operations it falls back to.
pub fn is_tracked_gpu<const D: usize>(x: &Tensor<D>) -> bool {
    tracked(x).is_some()
}

/// `x`'s primitive when it is an f32 tensor on the GPU recorded for backpropagation.
fn tracked<const D: usize>(x: &Tensor<D>) -> Option<FloatTensor<TrackedGpu>> {
    (x.dtype() == DType::F32)
        .then(|| x.clone().try_into_primitive::<TrackedGpu>().ok())
        .flatten()
}

/// The primitive of a tensor on the GPU without autodiff (what a node keeps and its backward
/// pass returns).
fn primitive<const D: usize>(t: Tensor<D>) -> FloatTensor<Cube> {
    t.try_into_primitive::<Cube>()
        .expect("the inner tensors and gradients of GPU tensors are on the GPU")
}

/// Mean cross-entropy of softmax(`logits`) against `targets` ([rows, classes] each), [1], as one
/// node whose gradient is (softmax(z)·Σ_c y − y)/N; `None` where `logits` is not tracked on the GPU.
pub fn cross_entropy(logits: &Tensor<2>, targets: &Tensor<2>) -> Option<Tensor<1>> {
    let node = tracked(logits)?;
    let [rows, _] = logits.dims();
    let (z, y) = (logits.clone().inner(), targets.clone().inner());
    let max = z.clone().max_dim(1);
    let exp = (z.clone() - max.clone()).exp();
    let sum = exp.clone().sum_dim(1);
    // Σ_c y·(lse − z) per row: Σ_c y·lse − Σ_c y·z, with lse = max + ln Σ exp(z − max).
    let log_sum_exp = max + sum.clone().log();
    let loss = (y.clone() * (log_sum_exp - z)).sum_dim(1).mean();
    let mass = y.clone().sum_dim(1);
    let slope = (exp * (mass / sum) - y) / rows as f32;
    let (slope, loss) = (primitive(slope), primitive(loss));
    Some(record(CrossEntropyBackward, [&node], slope, loss))
}

#[derive(Debug)]
struct CrossEntropyBackward;

impl Backward<Cube, 1> for CrossEntropyBackward {
    /// dL/dlogits for an upstream gradient of 1, [rows, classes].
    type State = FloatTensor<Cube>;

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let slope = ops.state;
        // The upstream gradient is the loss's, [1]: as [1, 1] it broadcasts over the slope.
        unary::<Cube, _>(ops.parents, ops.node, grads, |grad| {
            Cube::float_mul(slope, Cube::float_reshape(grad, Shape::new([1, 1])))
        })
    }
}

/// LayerNorm of `x` [..., d] with scale `gamma` and shift `beta` [d] as one node (the closed form
/// of src/kernels/layer_norm.rs); `None` unless all three are tracked on the GPU.
pub fn layer_norm<const D: usize>(
    x: &Tensor<D>,
    gamma: &Tensor<1>,
    beta: &Tensor<1>,
    epsilon: f64,
) -> Option<Tensor<D>> {
    let nodes = [tracked(x)?, tracked(gamma)?, tracked(beta)?];
    let input = x.clone().inner();
    let centered = input.clone() - input.mean_dim(D - 1);
    let variance = centered.clone().powi_scalar(2).mean_dim(D - 1);
    let inverse_std = (variance + epsilon).sqrt().recip();
    let normalized = centered * inverse_std.clone();
    let scale = gamma.clone().inner().unsqueeze::<D>();
    let output = normalized.clone() * scale + beta.clone().inner().unsqueeze::<D>();
    let state = LayerNormState {
        normalized: primitive(normalized),
        inverse_std: primitive(inverse_std),
        gamma: primitive(gamma.clone().inner()),
    };
    let inputs = nodes.each_ref();
    Some(record(
        LayerNormBackward::<D>,
        inputs,
        state,
        primitive(output),
    ))
}

/// What LayerNorm's backward pass keeps of the forward: x̂, 1/σ per row ([..., 1]) and γ.
#[derive(Clone, Debug)]
struct LayerNormState {
    normalized: FloatTensor<Cube>,
    inverse_std: FloatTensor<Cube>,
    gamma: FloatTensor<Cube>,
}

#[derive(Debug)]
struct LayerNormBackward<const D: usize>;

impl<const D: usize> Backward<Cube, 3> for LayerNormBackward<D> {
    type State = LayerNormState;

    /// g = dy·γ, dx = (g − mean(g) − x̂·mean(g·x̂))/σ, dγ = Σ_rows dy·x̂, dβ = Σ_rows dy.
    fn backward(self, ops: Ops<Self::State, 3>, grads: &mut Gradients, _: &mut Checkpointer) {
        let on_gpu = |t| Tensor::<D>::from_primitive::<Cube>(t);
        let dy = on_gpu(grads.consume::<Cube>(&ops.node));
        let state = ops.state;
        let normalized = on_gpu(state.normalized);
        let gamma = Tensor::<1>::from_primitive::<Cube>(state.gamma);
        let d = gamma.dims()[0];
        let [x_node, gamma_node, beta_node] = ops.parents;
        if let Some(node) = x_node {
            let g = dy.clone() * gamma.unsqueeze::<D>();
            let mean_g = g.clone().mean_dim(D - 1);
            let mean_g_normalized = (g.clone() * normalized.clone()).mean_dim(D - 1);
            let dx =
                (g - mean_g - normalized.clone() * mean_g_normalized) * on_gpu(state.inverse_std);
            grads.register::<Cube>(node.id, primitive(dx));
        }
        // Σ over every row: the leading dimensions flattened, then summed.
        let over_rows = |t: Tensor<D>| primitive(t.reshape([-1, d as i32]).sum_dim(0).reshape([d]));
        if let Some(node) = gamma_node {
            grads.register::<Cube>(node.id, over_rows(dy.clone() * normalized));
        }
        if let Some(node) = beta_node {
            grads.register::<Cube>(node.id, over_rows(dy));
        }
    }
}

/// softmax of `x` along its last dimension as one node, dx = y ⊙ (dy − Σ dy·y) per row from the
/// kept output; `None` where `x` is not tracked on the GPU.
pub fn softmax<const D: usize>(x: &Tensor<D>) -> Option<Tensor<D>> {
    let node = tracked(x)?;
    let output = primitive(burn::tensor::activation::softmax(x.clone().inner(), D - 1));
    Some(record(
        SoftmaxBackward::<D>,
        [&node],
        output.clone(),
        output,
    ))
}

#[derive(Debug)]
struct SoftmaxBackward<const D: usize>;

impl<const D: usize> Backward<Cube, 1> for SoftmaxBackward<D> {
    /// The forward output y.
    type State = FloatTensor<Cube>;

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let y = Tensor::<D>::from_primitive::<Cube>(ops.state);
        unary::<Cube, _>(ops.parents, ops.node, grads, |grad| {
            let dy = Tensor::<D>::from_primitive::<Cube>(grad);
            let dot = (dy.clone() * y.clone()).sum_dim(D - 1);
            primitive(y * (dy - dot))
        })
    }
}
