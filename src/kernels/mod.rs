//! Fused CPU kernels with hand-written backward passes: GELU, LayerNorm, softmax,
//! cross-entropy, the linear layer and batched matrix products, for training on Burn's CPU
//! backend (flex).
//!
//! Why: under autodiff Burn records each of these as the primitive operations it is written in
//! (LayerNorm is eleven, cross-entropy over log-softmax nine, an exact GELU from arithmetic ~40),
//! and each is a pass over memory, an allocation and a graph node forward, and as many again
//! backward. In the wasm build, where `exp` and `erf` are scalar library calls, these took about
//! 40% of the reversal transformer's training step. Here each is one loop forward and one loop
//! backward, registered with Burn's autodiff as a single node, so the rest of the model (the
//! linears, attention products, embeddings, the optimiser) stays ordinary Burn.
//!
//! Each kernel routes on where its input lives:
//! - on flex with autodiff (training on the CPU): the fused loops, backward included;
//! - on flex without autodiff (evaluation on the CPU): the fused forward loop;
//! - on the GPU with autodiff (training on WebGPU, or Vulkan natively): softmax, LayerNorm and
//!   cross-entropy as one node each over our own CubeCL row kernels (gpu.rs, rows.rs);
//! - anywhere else, or in a dtype other than f32: Burn's own operations, unchanged.
//!
//! tests/kernels.rs checks every kernel's values and gradients against Burn's own operations.

mod cross_entropy;
mod exp;
mod gelu;
// The GPU backend is compiled in the page's default wasm and natively with `--features gpu`.
#[cfg(any(feature = "gpu", all(target_arch = "wasm32", not(kindling_threads))))]
mod gpu;
mod layer_norm;
mod linear;
mod matmul;
#[cfg(kindling_threads)]
mod parallel;
mod product;
#[cfg(any(feature = "gpu", all(target_arch = "wasm32", not(kindling_threads))))]
mod rows;
mod softmax;

pub use cross_entropy::cross_entropy;
use exp::exp;
pub use gelu::gelu;
#[cfg(any(feature = "gpu", all(target_arch = "wasm32", not(kindling_threads))))]
pub use gpu::is_tracked_gpu;
pub use layer_norm::layer_norm;
pub use linear::linear;
pub use matmul::matmul;
pub use softmax::softmax;

use burn::backend::autodiff::checkpoint::strategy::NoCheckpointing;
use burn::backend::autodiff::ops::{Backward, OpsKind};
use burn::backend::flex::FlexTensor;
use burn::backend::tensor::FloatTensor;
use burn::backend::{
    Autodiff, AutodiffBackend, Backend, DispatchKindConversion, DispatchTensor, Flex,
};
use burn::prelude::*;
use burn::tensor::DType;
use std::borrow::Cow;

/// Flex under autodiff, as `Device::flex().autodiff()` makes it (no gradient checkpointing).
type Tracked = Autodiff<Flex, NoCheckpointing>;

/// Where a kernel's input lives. (With a GPU backend compiled in, a `Tensor` is larger than the
/// flex variants; a route lives for one call, so it is not boxed.)
#[allow(clippy::large_enum_variant)]
enum Route<const D: usize> {
    /// Flex, recorded for backpropagation.
    Tracked(FloatTensor<Tracked>),
    /// Flex, not recorded.
    Plain(FlexTensor),
    /// Any other backend or dtype: left to Burn's own operations.
    Elsewhere(Tensor<D>),
}

impl<const D: usize> Route<D> {
    /// Back to a tensor, for Burn's own operations.
    fn into_tensor(self) -> Tensor<D> {
        match self {
            Route::Tracked(t) => Tensor::from_primitive::<Tracked>(t),
            Route::Plain(t) => Tensor::from_primitive::<Flex>(t),
            Route::Elsewhere(t) => t,
        }
    }
}

fn route<const D: usize>(x: Tensor<D>) -> Route<D> {
    if x.dtype() != DType::F32 {
        return Route::Elsewhere(x);
    }
    // A failed downcast consumes its argument, hence the (reference-counted) clones.
    if let Ok(tracked) = x.clone().try_into_primitive::<Tracked>() {
        return Route::Tracked(tracked);
    }
    if let Ok(plain) = x.clone().try_into_primitive::<Flex>() {
        return Route::Plain(plain);
    }
    Route::Elsewhere(x)
}

/// `x`'s flex primitive without the autodiff record, or `None` where `x` is not on flex in f32:
/// for values a kernel reads but does not differentiate (targets, optimiser state).
pub(crate) fn flex_of<const D: usize>(x: Tensor<D>) -> Option<FlexTensor> {
    if x.dtype() != DType::F32 {
        return None;
    }
    // Plain flex first: these values mostly are (the optimiser's parameters, gradients and
    // moments), and a failed downcast is not free (Burn formats an error message for it).
    match x.clone().try_into_primitive::<Flex>() {
        Ok(plain) => Some(plain),
        Err(_) => x.try_into_primitive::<Tracked>().ok().map(Tracked::inner),
    }
}

/// Whether `device` makes tensors that the fused kernels train (flex under autodiff).
pub(crate) fn is_tracked_flex(device: &Device) -> bool {
    matches!(route(Tensor::<1>::zeros([1], device)), Route::Tracked(_))
}

/// The values of a flex f32 tensor in row-major order: borrowed when contiguous, else copied.
pub(crate) fn values(t: &FlexTensor) -> Cow<'_, [f32]> {
    match t.as_slice::<f32>() {
        Some(slice) => Cow::Borrowed(slice),
        None => Cow::Owned(t.to_contiguous().as_slice::<f32>().unwrap().to_vec()),
    }
}

/// Σ xᵢ in eight running sums, which vectorise (one running sum is a chain the compiler must keep
/// in order).
fn lane_sum(xs: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let chunks = xs.chunks_exact(8);
    let rest: f32 = chunks.remainder().iter().sum();
    for chunk in chunks {
        for (lane, x) in lanes.iter_mut().zip(chunk) {
            *lane += x;
        }
    }
    lanes.iter().sum::<f32>() + rest
}

/// Σ aᵢ·bᵢ, as `lane_sum`.
fn lane_dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (chunks_a, chunks_b) = (a.chunks_exact(8), b.chunks_exact(8));
    let rest: f32 = (chunks_a.remainder().iter())
        .zip(chunks_b.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (ca, cb) in chunks_a.zip(chunks_b) {
        for ((lane, x), y) in lanes.iter_mut().zip(ca).zip(cb) {
            *lane += x * y;
        }
    }
    lanes.iter().sum::<f32>() + rest
}

fn flex(values: Vec<f32>, shape: impl Into<burn::tensor::Shape>) -> FlexTensor {
    FlexTensor::from_data(TensorData::new(values, shape.into()))
}

/// Records `output`, computed from `inputs`, as one autodiff node of backend `B` (flex here, the
/// GPU's in gpu.rs) whose backward pass is `op` with `state`; returns it as a tensor.
fn record<const D: usize, const N: usize, B, Op>(
    op: Op,
    inputs: [&FloatTensor<Autodiff<B, NoCheckpointing>>; N],
    state: Op::State,
    output: FloatTensor<B>,
) -> Tensor<D>
where
    B: Backend,
    Op: Backward<B, N>,
    DispatchTensor: DispatchKindConversion<Autodiff<B, NoCheckpointing>>,
{
    let output = match op
        .prepare::<NoCheckpointing>(inputs.map(|t| t.node()))
        .compute_bound()
        .stateful()
    {
        OpsKind::Tracked(prep) => prep.finish(state, output),
        OpsKind::UnTracked(prep) => prep.finish(output),
    };
    Tensor::from_primitive::<Autodiff<B, NoCheckpointing>>(output)
}
