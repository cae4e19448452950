//! A linear layer, y = x·W + b for x [rows, d_in], W [d_in, d_out], b [d_out], as
//! `burn::tensor::module::linear`, with its three products done by `product::product`:
//!   y = x·W + b,  dx = dy·Wᵀ,  dW = xᵀ·dy,  db = Σ_rows dy.
//! The transposes are strides, not copies, and the bias is where the sums start rather than a
//! pass of its own.

use super::product::{Matrix, product};
use super::{Route, Tracked, flex, record, route, values};
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops};
use burn::backend::flex::FlexTensor;
use burn::backend::{AutodiffBackend, Flex};
use burn::prelude::*;

/// x [rows, d_in] · `weight` [d_in, d_out] + `bias` [d_out] -> [rows, d_out].
pub fn linear(x: Tensor<2>, weight: Tensor<2>, bias: Tensor<1>) -> Tensor<2> {
    match (route(x), route(weight), route(bias)) {
        (Route::Tracked(x), Route::Tracked(weight), Route::Tracked(bias)) => {
            let state = State {
                input: Tracked::inner(x.clone()),
                weight: Tracked::inner(weight.clone()),
            };
            let output = forward(&state.input, &state.weight, &Tracked::inner(bias.clone()));
            record(LinearBackward, [&x, &weight, &bias], state, output)
        }
        (Route::Plain(x), Route::Plain(weight), Route::Plain(bias)) => {
            Tensor::from_primitive::<Flex>(forward(&x, &weight, &bias))
        }
        (x, weight, bias) => burn::tensor::module::linear(
            x.into_tensor(),
            weight.into_tensor(),
            Some(bias.into_tensor()),
        ),
    }
}

/// `[rows, cols]` of a 2-d flex tensor.
fn dims(t: &FlexTensor) -> [usize; 2] {
    let shape = t.layout().shape();
    [shape[0], shape[1]]
}

fn forward(x: &FlexTensor, weight: &FlexTensor, bias: &FlexTensor) -> FlexTensor {
    let ([rows, d_in], [_, d_out]) = (dims(x), dims(weight));
    let (x, weight) = (values(x), values(weight));
    let y = product(
        Matrix::row_major(&x, rows, d_in),
        Matrix::row_major(&weight, d_in, d_out),
        Some(&values(bias)),
    );
    flex(y, [rows, d_out])
}

#[derive(Clone, Debug)]
struct State {
    input: FlexTensor,
    weight: FlexTensor,
}

#[derive(Debug)]
struct LinearBackward;

impl Backward<Flex, 3> for LinearBackward {
    type State = State;

    fn backward(self, ops: Ops<State, 3>, grads: &mut Gradients, _: &mut Checkpointer) {
        let grad = grads.consume::<Flex>(&ops.node);
        let State { input, weight } = ops.state;
        let ([rows, d_in], [_, d_out]) = (dims(&input), dims(&weight));
        let dy = values(&grad);
        let dy_matrix = Matrix::row_major(&dy, rows, d_out);
        let [x_node, weight_node, bias_node] = ops.parents;
        if let Some(node) = x_node {
            let weight = values(&weight);
            let weight_t = Matrix::row_major(&weight, d_in, d_out).transposed();
            let dx = product(dy_matrix, weight_t, None);
            grads.register::<Flex>(node.id, flex(dx, [rows, d_in]));
        }
        if let Some(node) = weight_node {
            let x = values(&input);
            let x_t = Matrix::row_major(&x, rows, d_in).transposed();
            let d_weight = product(x_t, dy_matrix, None);
            grads.register::<Flex>(node.id, flex(d_weight, [d_in, d_out]));
        }
        if let Some(node) = bias_node {
            let mut d_bias = vec![0.0; d_out];
            for row in dy.chunks_exact(d_out) {
                for (sum, v) in d_bias.iter_mut().zip(row) {
                    *sum += v;
                }
            }
            grads.register::<Flex>(node.id, flex(d_bias, [d_out]));
        }
    }
}
