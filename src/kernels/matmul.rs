//! A batch of matrix products, C[i] = A[i]·B[i] for a, b [..batch, rows, cols] with the same batch
//! dimensions, as `Tensor::matmul`, with every product done by `product::product_into`:
//!   dA[i] = dC[i]·B[i]ᵀ,  dB[i] = A[i]ᵀ·dC[i].
//! For attention's scores Q·Kᵀ and context weights·V (64 products of 8×32 by 32×8 and 8×8 by 8×32
//! in the reversal transformer): Burn calls the `gemm` crate once per product, which sets up and
//! packs for each; here a transposed operand is read through its strides, not copied.

use super::product::{Matrix, product_into};
use super::{Route, Tracked, flex, record, route};
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops};
use burn::backend::flex::FlexTensor;
use burn::backend::{AutodiffBackend, Flex};
use burn::prelude::*;

/// `a.matmul(b)` for a [..batch, m, k] and b [..batch, k, n] with equal batch dimensions; other
/// shapes (broadcasting) go to Burn's `matmul`.
pub fn matmul<const D: usize>(a: Tensor<D>, b: Tensor<D>) -> Tensor<D> {
    let (a_dims, b_dims) = (a.dims(), b.dims());
    if D < 2 || a_dims[..D - 2] != b_dims[..D - 2] || a_dims[D - 1] != b_dims[D - 2] {
        return a.matmul(b);
    }
    match (route(a), route(b)) {
        (Route::Tracked(a), Route::Tracked(b)) => {
            let state = State {
                a: Tracked::inner(a.clone()),
                b: Tracked::inner(b.clone()),
            };
            let c = products(&Batch::of(&state.a), &Batch::of(&state.b));
            record(MatmulBackward, [&a, &b], state, c)
        }
        (Route::Plain(a), Route::Plain(b)) => {
            Tensor::from_primitive::<Flex>(products(&Batch::of(&a), &Batch::of(&b)))
        }
        (a, b) => a.into_tensor().matmul(b.into_tensor()),
    }
}

/// A flex tensor [..batch, rows, cols] read as one matrix per batch element, through its strides.
struct Batch {
    /// Kept so that `values` stays borrowed from something alive; contiguous where the original
    /// had negative strides (a flip).
    tensor: FlexTensor,
    /// Where each matrix starts in the storage.
    starts: Vec<usize>,
    rows: usize,
    cols: usize,
    row_stride: usize,
    col_stride: usize,
    /// The batch dimensions.
    batch_dims: Vec<usize>,
}

impl Batch {
    fn of(t: &FlexTensor) -> Self {
        let layout = t.layout();
        let tensor = if layout.has_positive_strides() {
            t.clone()
        } else {
            t.to_contiguous()
        };
        let layout = tensor.layout();
        let (shape, strides) = (layout.shape(), layout.strides());
        let d = shape.num_dims();
        let batch_dims: Vec<usize> = (0..d - 2).map(|i| shape[i]).collect();
        // Every batch index, last dimension fastest, as a start in the storage.
        let mut starts = vec![layout.start_offset()];
        for (dim, &size) in batch_dims.iter().enumerate() {
            let stride = strides[dim] as usize;
            starts = starts
                .iter()
                .flat_map(|&s| (0..size).map(move |i| s + i * stride))
                .collect();
        }
        Self {
            starts,
            rows: shape[d - 2],
            cols: shape[d - 1],
            row_stride: strides[d - 2] as usize,
            col_stride: strides[d - 1] as usize,
            batch_dims,
            tensor,
        }
    }

    fn matrix(&self, i: usize) -> Matrix<'_> {
        Matrix {
            values: &self.tensor.storage::<f32>()[self.starts[i]..],
            rows: self.rows,
            cols: self.cols,
            row_stride: self.row_stride,
            col_stride: self.col_stride,
        }
    }

    fn transposed(mut self) -> Self {
        std::mem::swap(&mut self.rows, &mut self.cols);
        std::mem::swap(&mut self.row_stride, &mut self.col_stride);
        self
    }
}

/// A[i]·B[i] for every i, as a contiguous [..batch, A's rows, B's columns].
fn products(a: &Batch, b: &Batch) -> FlexTensor {
    let (m, n) = (a.rows, b.cols);
    let mut c = vec![0.0; a.starts.len() * m * n];
    let mut scratch = Vec::new();
    if m * n > 0 {
        for (i, c) in c.chunks_exact_mut(m * n).enumerate() {
            product_into(a.matrix(i), b.matrix(i), None, c, &mut scratch);
        }
    }
    let shape: Vec<usize> = a.batch_dims.iter().copied().chain([m, n]).collect();
    flex(c, shape)
}

#[derive(Clone, Debug)]
struct State {
    a: FlexTensor,
    b: FlexTensor,
}

#[derive(Debug)]
struct MatmulBackward;

impl Backward<Flex, 2> for MatmulBackward {
    type State = State;

    fn backward(self, ops: Ops<State, 2>, grads: &mut Gradients, _: &mut Checkpointer) {
        let d_c = Batch::of(&grads.consume::<Flex>(&ops.node));
        let State { a, b } = ops.state;
        let [a_node, b_node] = ops.parents;
        if let Some(node) = a_node {
            grads.register::<Flex>(node.id, products(&d_c, &Batch::of(&b).transposed()));
        }
        if let Some(node) = b_node {
            grads.register::<Flex>(node.id, products(&Batch::of(&a).transposed(), &d_c));
        }
    }
}
