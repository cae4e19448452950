//! Kernels of our own for the GPU, written with CubeCL: softmax, LayerNorm and cross-entropy, each
//! one dispatch over the rows of its input (one unit per row, the last dimension walked in a
//! loop), forward and backward.
//!
//! Why: written in Burn's operations, each of these is two to four reductions along the row with
//! element-wise work between them, and Burn's fusion joins the element-wise work but not the
//! reductions: softmax forward is a maximum, a sum and the chains around them, LayerNorm forward a
//! mean and a variance, cross-entropy forward five reductions. The rows here are short (a model's
//! width, a sequence's length, a vocabulary), so one unit walks a whole row in a few hundred
//! steps, and the kernel replaces the chain (BENCHMARKS.md, issue 20: dispatches per step).
//!
//! The kernels are a backend extension (`#[backend_extension]`): implemented here for Burn's
//! cubecl backend, and recorded lazily by its fusion (`Fusion<CubeBackend>`, the `Cube` of the
//! page and of `--features gpu`) as one opaque operation between the chains it fuses.

use burn::backend::cubecl::dtype_to_storage_type;
use burn::backend::fusion::custom::TensorSpec;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, backend_extension};
use burn::tensor::{DType, Shape};
use burn_cubecl::CubeBackend;
use burn_cubecl::kernel::into_contiguous;
use burn_cubecl::ops::numeric::empty_device_contiguous_dtype;
use burn_cubecl::tensor::CubeTensor;
use cubecl::client::Client;
use cubecl::prelude::*;
use cubecl::{CubeDim, calculate_cube_count_elemwise};

/// The row kernels on a backend: every tensor is f32, its rows along the last dimension.
#[backend_extension(Cube, Fusion)]
pub trait RowKernels: Backend {
    /// softmax along the last dimension.
    #[fusion(dtype = x, shape = x)]
    fn softmax_rows(x: FloatTensor<Self>) -> FloatTensor<Self>;

    /// softmax's input gradient from its output `y` and the output's gradient `dy`:
    /// y ⊙ (dy − Σ dy·y) per row.
    #[fusion(dtype = y, shape = y)]
    fn softmax_rows_backward(y: FloatTensor<Self>, dy: FloatTensor<Self>) -> FloatTensor<Self>;

    /// LayerNorm of `x` [..., d] with `gamma` and `beta` [d]: (output, x̂, 1/σ [..., 1]).
    #[fusion(meta = layer_norm_meta)]
    fn layer_norm_rows(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        epsilon: f32,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>);

    /// LayerNorm's input gradient from x̂, 1/σ, γ and the output's gradient:
    /// (g − mean g − x̂·mean(g·x̂))/σ with g = dy·γ.
    #[fusion(dtype = normalized, shape = normalized)]
    fn layer_norm_rows_backward(
        normalized: FloatTensor<Self>,
        inverse_std: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        dy: FloatTensor<Self>,
    ) -> FloatTensor<Self>;

    /// Cross-entropy of softmax(`logits`) against `targets` [rows, classes] per row:
    /// (Σ_c y·(lse − z) [rows, 1], the mean loss's slope (softmax(z)·Σ_c y − y)/rows).
    #[fusion(meta = |logits, _targets| (rows_of(logits), logits.clone()))]
    fn cross_entropy_rows(
        logits: FloatTensor<Self>,
        targets: FloatTensor<Self>,
    ) -> (FloatTensor<Self>, FloatTensor<Self>);
}

/// `x`'s shape with its last dimension 1: one value per row.
fn rows_of(x: &TensorSpec) -> TensorSpec {
    TensorSpec::new(per_row(&x.shape), x.dtype)
}

fn per_row(shape: &Shape) -> Shape {
    let mut rows = shape.clone();
    *rows
        .as_mut_slice()
        .last_mut()
        .expect("a row kernel's input has a dimension") = 1;
    rows
}

fn layer_norm_meta(
    x: &TensorSpec,
    _gamma: &TensorSpec,
    _beta: &TensorSpec,
    _epsilon: &f32,
) -> (TensorSpec, TensorSpec, TensorSpec) {
    (x.clone(), x.clone(), rows_of(x))
}

/// The largest of the `cols` values from `base`, started from the first (WGSL has no −∞).
#[cube]
fn row_max<F: Float>(x: &Tensor<F>, base: usize, cols: usize) -> F {
    let mut max = x[base];
    for c in 1..cols {
        let v = x[base + c];
        if v > max {
            max = v;
        }
    }
    max
}

#[cube(launch)]
fn softmax_kernel<F: Float>(
    x: &Tensor<F>,
    y: &mut Tensor<F>,
    cols: usize,
    #[define(F)] _dtype: ElemType,
) {
    let row = ABSOLUTE_POS;
    if row * cols >= y.len() {
        terminate!();
    }
    let base = row * cols;
    let max = row_max::<F>(x, base, cols);
    let mut sum = F::new(0.0);
    for c in 0..cols {
        let e = (x[base + c] - max).exp();
        y[base + c] = e;
        sum += e;
    }
    let scale = F::new(1.0) / sum;
    for c in 0..cols {
        y[base + c] *= scale;
    }
}

#[cube(launch)]
fn softmax_backward_kernel<F: Float>(
    y: &Tensor<F>,
    dy: &Tensor<F>,
    dx: &mut Tensor<F>,
    cols: usize,
    #[define(F)] _dtype: ElemType,
) {
    let row = ABSOLUTE_POS;
    if row * cols >= dx.len() {
        terminate!();
    }
    let base = row * cols;
    let mut dot = F::new(0.0);
    for c in 0..cols {
        dot += dy[base + c] * y[base + c];
    }
    for c in 0..cols {
        dx[base + c] = y[base + c] * (dy[base + c] - dot);
    }
}

#[cube(launch)]
fn layer_norm_kernel<F: Float>(
    x: &Tensor<F>,
    gamma: &Tensor<F>,
    beta: &Tensor<F>,
    output: &mut Tensor<F>,
    normalized: &mut Tensor<F>,
    inverse_std: &mut Tensor<F>,
    cols: usize,
    epsilon: f32,
    #[define(F)] _dtype: ElemType,
) {
    let row = ABSOLUTE_POS;
    if row >= inverse_std.len() {
        terminate!();
    }
    let base = row * cols;
    let width = F::cast_from(cols as u32);
    let mut sum = F::new(0.0);
    for c in 0..cols {
        sum += x[base + c];
    }
    let mean = sum / width;
    let mut squares = F::new(0.0);
    for c in 0..cols {
        let centered = x[base + c] - mean;
        squares += centered * centered;
    }
    let inverse = F::new(1.0) / (squares / width + F::cast_from(epsilon)).sqrt();
    inverse_std[row] = inverse;
    for c in 0..cols {
        let n = (x[base + c] - mean) * inverse;
        normalized[base + c] = n;
        output[base + c] = n * gamma[c] + beta[c];
    }
}

#[cube(launch)]
fn layer_norm_backward_kernel<F: Float>(
    normalized: &Tensor<F>,
    inverse_std: &Tensor<F>,
    gamma: &Tensor<F>,
    dy: &Tensor<F>,
    dx: &mut Tensor<F>,
    cols: usize,
    #[define(F)] _dtype: ElemType,
) {
    let row = ABSOLUTE_POS;
    if row >= inverse_std.len() {
        terminate!();
    }
    let base = row * cols;
    let width = F::cast_from(cols as u32);
    let mut sum_g = F::new(0.0);
    let mut sum_gn = F::new(0.0);
    for c in 0..cols {
        let g = dy[base + c] * gamma[c];
        sum_g += g;
        sum_gn += g * normalized[base + c];
    }
    let mean_g = sum_g / width;
    let mean_gn = sum_gn / width;
    let inverse = inverse_std[row];
    for c in 0..cols {
        let n = normalized[base + c];
        dx[base + c] = (dy[base + c] * gamma[c] - mean_g - n * mean_gn) * inverse;
    }
}

#[cube(launch)]
fn cross_entropy_kernel<F: Float>(
    logits: &Tensor<F>,
    targets: &Tensor<F>,
    loss: &mut Tensor<F>,
    slope: &mut Tensor<F>,
    cols: usize,
    #[define(F)] _dtype: ElemType,
) {
    let row = ABSOLUTE_POS;
    let rows = loss.len();
    if row >= rows {
        terminate!();
    }
    let base = row * cols;
    let max = row_max::<F>(logits, base, cols);
    let mut sum = F::new(0.0);
    let mut mass = F::new(0.0);
    let mut weighted = F::new(0.0);
    for c in 0..cols {
        let z = logits[base + c];
        let e = (z - max).exp();
        slope[base + c] = e;
        sum += e;
        let y = targets[base + c];
        mass += y;
        weighted += y * z;
    }
    // Σ_c y·(lse − z) = lse·Σ_c y − Σ_c y·z, with lse = max + ln Σ exp(z − max).
    loss[row] = (max + sum.ln()) * mass - weighted;
    let scale = mass / (sum * F::cast_from(rows as u32));
    let inverse_rows = F::new(1.0) / F::cast_from(rows as u32);
    for c in 0..cols {
        slope[base + c] = slope[base + c] * scale - targets[base + c] * inverse_rows;
    }
}

/// What a launch over the rows of a tensor needs: its client, a unit per row, the row's width
/// and the element type.
struct Rows {
    client: Client,
    cube_dim: CubeDim,
    cube_count: CubeCount,
    cols: usize,
    dtype: ElemType,
}

impl Rows {
    fn of(x: &CubeTensor) -> Self {
        let shape = x.meta.shape();
        let cols = shape[shape.num_dims() - 1];
        let rows = shape.num_elements() / cols.max(1);
        let cube_dim = CubeDim::new(&x.client, rows);
        Rows {
            client: x.client.clone(),
            cube_dim,
            cube_count: calculate_cube_count_elemwise(&x.client, rows, cube_dim),
            cols,
            dtype: dtype_to_storage_type(x.dtype),
        }
    }
}

fn empty_like(x: &CubeTensor, shape: Shape) -> CubeTensor {
    empty_device_contiguous_dtype(x.client.clone(), x.device.clone(), shape, DType::F32)
}

impl RowKernels for CubeBackend {
    fn softmax_rows(x: CubeTensor) -> CubeTensor {
        let x = into_contiguous(x);
        let y = empty_like(&x, x.meta.shape().clone());
        let rows = Rows::of(&x);
        softmax_kernel::launch(
            &rows.client,
            rows.cube_count,
            rows.cube_dim,
            x.into_tensor_arg(),
            y.clone().into_tensor_arg(),
            rows.cols,
            rows.dtype,
        );
        y
    }

    fn softmax_rows_backward(y: CubeTensor, dy: CubeTensor) -> CubeTensor {
        let (y, dy) = (into_contiguous(y), into_contiguous(dy));
        let dx = empty_like(&y, y.meta.shape().clone());
        let rows = Rows::of(&y);
        softmax_backward_kernel::launch(
            &rows.client,
            rows.cube_count,
            rows.cube_dim,
            y.into_tensor_arg(),
            dy.into_tensor_arg(),
            dx.clone().into_tensor_arg(),
            rows.cols,
            rows.dtype,
        );
        dx
    }

    fn layer_norm_rows(
        x: CubeTensor,
        gamma: CubeTensor,
        beta: CubeTensor,
        epsilon: f32,
    ) -> (CubeTensor, CubeTensor, CubeTensor) {
        let (x, gamma, beta) = (
            into_contiguous(x),
            into_contiguous(gamma),
            into_contiguous(beta),
        );
        let shape = x.meta.shape().clone();
        let output = empty_like(&x, shape.clone());
        let normalized = empty_like(&x, shape.clone());
        let inverse_std = empty_like(&x, per_row(&shape));
        let rows = Rows::of(&x);
        layer_norm_kernel::launch(
            &rows.client,
            rows.cube_count,
            rows.cube_dim,
            x.into_tensor_arg(),
            gamma.into_tensor_arg(),
            beta.into_tensor_arg(),
            output.clone().into_tensor_arg(),
            normalized.clone().into_tensor_arg(),
            inverse_std.clone().into_tensor_arg(),
            rows.cols,
            epsilon,
            rows.dtype,
        );
        (output, normalized, inverse_std)
    }

    fn layer_norm_rows_backward(
        normalized: CubeTensor,
        inverse_std: CubeTensor,
        gamma: CubeTensor,
        dy: CubeTensor,
    ) -> CubeTensor {
        let normalized = into_contiguous(normalized);
        let (inverse_std, gamma) = (into_contiguous(inverse_std), into_contiguous(gamma));
        let dy = into_contiguous(dy);
        let dx = empty_like(&normalized, normalized.meta.shape().clone());
        let rows = Rows::of(&normalized);
        layer_norm_backward_kernel::launch(
            &rows.client,
            rows.cube_count,
            rows.cube_dim,
            normalized.into_tensor_arg(),
            inverse_std.into_tensor_arg(),
            gamma.into_tensor_arg(),
            dy.into_tensor_arg(),
            dx.clone().into_tensor_arg(),
            rows.cols,
            rows.dtype,
        );
        dx
    }

    fn cross_entropy_rows(logits: CubeTensor, targets: CubeTensor) -> (CubeTensor, CubeTensor) {
        let (logits, targets) = (into_contiguous(logits), into_contiguous(targets));
        let shape = logits.meta.shape().clone();
        let loss = empty_like(&logits, per_row(&shape));
        let slope = empty_like(&logits, shape);
        let rows = Rows::of(&logits);
        cross_entropy_kernel::launch(
            &rows.client,
            rows.cube_count,
            rows.cube_dim,
            logits.into_tensor_arg(),
            targets.into_tensor_arg(),
            loss.clone().into_tensor_arg(),
            slope.clone().into_tensor_arg(),
            rows.cols,
            rows.dtype,
        );
        (loss, slope)
    }
}
