//! Linear layers through the fused kernel (`crate::kernels::linear`), on a batch of rows or on
//! every position of a batch of sequences.
//!
//! `Linear::forward` on [batch, seq, d] is a batched matmul against the shared weight. Burn folds
//! the batch into the rows only when that makes the product squarer, so for the transformer's
//! d_model→d_model projections (8 rows per sequence, 32 columns) it stays `batch` tiny products on
//! the CPU backend, and their backward pass `batch` more plus a sum over the batch for the weight
//! gradient. Reshaping to [batch * seq, d] first (free: the tensor is contiguous) makes each of
//! them one product, forward and backward. The result is the same function.

use crate::kernels;
use burn::nn::Linear;
use burn::prelude::*;

/// `linear.forward(x)` for x [rows, d_input].
pub fn linear_forward(linear: &Linear, x: Tensor<2>) -> Tensor<2> {
    match &linear.bias {
        Some(bias) => kernels::linear(x, linear.weight.val(), bias.val()),
        None => linear.forward(x),
    }
}

/// `linear` at every position: [batch, seq, d_input] -> [batch, seq, d_output].
pub fn linear_rows(linear: &Linear, x: Tensor<3>) -> Tensor<3> {
    let [batch, seq, d_input] = x.dims();
    let y = linear_forward(linear, x.reshape([batch * seq, d_input]));
    let d_output = y.dims()[1];
    y.reshape([batch, seq, d_output])
}
