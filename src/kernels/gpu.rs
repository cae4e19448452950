//! The kernels' single autodiff nodes on the GPU backend (Burn's `Cube`: WebGPU in the page, wgpu
//! natively): each pass is our own row kernel (src/kernels/rows.rs, CubeCL), with the formula the
//! CPU kernel uses backward, not the backward of each operation; what is summed over the rows
//! (LayerNorm's dγ and dβ, the mean loss) stays Burn's operations, which its fusion joins.
//!
//! Why: on the GPU each operation autodiff records backward is a kernel dispatch, and most of
//! those stand alone between reductions, where fusion cannot join them. Cross-entropy over
//! log-softmax was 25 of the spiral MLP's 50 dispatches a step (9 forward, 16 backward), and each
//! LayerNorm's backward about 20 of the reversal transformer's 210 (BENCHMARKS.md, issue 20).

use super::record;
use super::rows::RowKernels;
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
    let (z, y) = (
        primitive(logits.clone().inner()),
        primitive(targets.clone().inner()),
    );
    let (row_losses, slope) = Cube::cross_entropy_rows(z, y);
    let loss = Tensor::<2>::from_primitive::<Cube>(row_losses).mean();
    Some(record(
        CrossEntropyBackward,
        [&node],
        slope,
        primitive(loss),
    ))
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
    let gamma = primitive(gamma.clone().inner());
    let (output, normalized, inverse_std) = Cube::layer_norm_rows(
        primitive(x.clone().inner()),
        gamma.clone(),
        primitive(beta.clone().inner()),
        epsilon as f32,
    );
    let state = LayerNormState {
        normalized,
        inverse_std,
        gamma,
    };
    let inputs = nodes.each_ref();
    Some(record(LayerNormBackward::<D>, inputs, state, output))
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
        let dy = grads.consume::<Cube>(&ops.node);
        let LayerNormState {
            normalized,
            inverse_std,
            gamma,
        } = ops.state;
        let [x_node, gamma_node, beta_node] = ops.parents;
        if let Some(node) = x_node {
            let dx = Cube::layer_norm_rows_backward(
                normalized.clone(),
                inverse_std,
                gamma.clone(),
                dy.clone(),
            );
            grads.register::<Cube>(node.id, dx);
        }
        // Σ over every row: the leading dimensions flattened, then summed.
        let on_gpu = |t| Tensor::<D>::from_primitive::<Cube>(t);
        let d = Tensor::<1>::from_primitive::<Cube>(gamma).dims()[0];
        let over_rows = |t: Tensor<D>| primitive(t.reshape([-1, d as i32]).sum_dim(0).reshape([d]));
        let dy = on_gpu(dy);
        if let Some(node) = gamma_node {
            grads.register::<Cube>(node.id, over_rows(dy.clone() * on_gpu(normalized)));
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
    let output = Cube::softmax_rows(primitive(x.clone().inner()));
    Some(record(SoftmaxBackward, [&node], output.clone(), output))
}

#[derive(Debug)]
struct SoftmaxBackward;

impl Backward<Cube, 1> for SoftmaxBackward {
    /// The forward output y.
    type State = FloatTensor<Cube>;

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let y = ops.state;
        unary::<Cube, _>(ops.parents, ops.node, grads, |dy| {
            Cube::softmax_rows_backward(y, dy)
        })
    }
}
