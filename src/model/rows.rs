//! A linear layer applied to every position of a batch of sequences as one matrix product.
//!
//! `Linear::forward` on [batch, seq, d] is a batched matmul against the shared weight. Burn folds
//! the batch into the rows only when that makes the product squarer, so for the transformer's
//! d_model→d_model projections (8 rows per sequence, 32 columns) it stays `batch` tiny products on
//! the CPU backend, and their backward pass `batch` more plus a sum over the batch for the weight
//! gradient. Reshaping to [batch * seq, d] first (free: the tensor is contiguous) makes each of
//! them one product, forward and backward. The result is the same function.

use burn::nn::Linear;
use burn::prelude::*;

/// `linear` at every position: [batch, seq, d_input] -> [batch, seq, d_output].
pub fn linear_rows(linear: &Linear, x: Tensor<3>) -> Tensor<3> {
    let [batch, seq, d_input] = x.dims();
    let y = linear.forward(x.reshape([batch * seq, d_input]));
    let d_output = y.dims()[1];
    y.reshape([batch, seq, d_output])
}
