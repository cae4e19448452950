//! Multi-head self-attention (Vaswani et al., 2017), written with Burn tensor ops so that the
//! weights the views draw are exactly the ones the forward pass used.

use super::{InitKind, linear, linear_rows};
use crate::data::Rng;
use crate::kernels::{matmul, softmax};
use burn::nn::{Dropout, DropoutConfig, Linear};
use burn::prelude::*;

/// softmax(Q Kᵀ / √d_k + mask) V.
///
/// `q`, `k`, `v`: [batch, heads, seq, d_k]; `mask`: [seq, seq], 0 where a query may look and -∞
/// where it may not. Returns the context [batch, heads, seq, d_k] and the attention weights
/// [batch, heads, seq_q, seq_k] (each row sums to 1), before dropout.
pub fn scaled_dot_product(
    q: Tensor<4>,
    k: Tensor<4>,
    v: Tensor<4>,
    mask: Option<Tensor<2>>,
    dropout: &Dropout,
) -> (Tensor<4>, Tensor<4>) {
    let d_k = q.dims()[3];
    let scores = matmul(q, k.transpose()) / (d_k as f64).sqrt(); // [batch, heads, seq, seq]
    let scores = match mask {
        Some(mask) => scores + mask.unsqueeze::<4>(),
        None => scores,
    };
    let weights = softmax(scores);
    let context = matmul(dropout.forward(weights.clone()), v);
    (context, weights)
}

/// Additive causal mask [seq, seq]: query i sees keys 0..=i.
pub fn causal_mask(seq: usize, device: &Device) -> Tensor<2> {
    let mut values = vec![0.0f32; seq * seq];
    for i in 0..seq {
        for j in i + 1..seq {
            values[i * seq + j] = f32::NEG_INFINITY;
        }
    }
    Tensor::from_data(TensorData::new(values, [seq, seq]), device)
}

#[derive(Module, Debug)]
pub struct SelfAttention {
    pub query: Linear,
    pub key: Linear,
    pub value: Linear,
    pub output: Linear,
    pub dropout: Dropout,
    pub heads: usize,
}

impl SelfAttention {
    pub fn init(
        d_model: usize,
        heads: usize,
        dropout: f64,
        rng: &mut Rng,
        device: &Device,
    ) -> Self {
        let mut proj = || linear(d_model, d_model, InitKind::Xavier, rng, device);
        Self {
            query: proj(),
            key: proj(),
            value: proj(),
            output: proj(),
            dropout: DropoutConfig::new(dropout).init(),
            heads,
        }
    }

    /// Q, K and V of every head: [batch, seq, d_model] -> three [batch, heads, seq, d_k].
    pub fn project(&self, x: Tensor<3>) -> (Tensor<4>, Tensor<4>, Tensor<4>) {
        let [batch, seq, d_model] = x.dims();
        let d_k = d_model / self.heads;
        // [batch, seq, d_model] -> [batch, heads, seq, d_k]
        let split = |t: Tensor<3>| t.reshape([batch, seq, self.heads, d_k]).swap_dims(1, 2);
        let q = split(linear_rows(&self.query, x.clone()));
        let k = split(linear_rows(&self.key, x.clone()));
        let v = split(linear_rows(&self.value, x));
        (q, k, v)
    }

    /// Every head's context before the output projection, [batch, heads, seq, d_k], and the
    /// weights [batch, heads, seq, seq]: what `forward` computes on the way (the step-by-step
    /// view checks its Σ w·v against it).
    pub fn attend(&self, x: Tensor<3>, mask: Option<Tensor<2>>) -> (Tensor<4>, Tensor<4>) {
        let (q, k, v) = self.project(x);
        scaled_dot_product(q, k, v, mask, &self.dropout)
    }

    /// [batch, seq, d_model] -> ([batch, seq, d_model], weights [batch, heads, seq, seq])
    pub fn forward(&self, x: Tensor<3>, mask: Option<Tensor<2>>) -> (Tensor<3>, Tensor<4>) {
        let [batch, seq, d_model] = x.dims();
        let (context, weights) = self.attend(x, mask);
        // [batch, heads, seq, d_k] -> [batch, seq, d_model]
        let context = context.swap_dims(1, 2).reshape([batch, seq, d_model]);
        (linear_rows(&self.output, context), weights)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attention(heads: usize) -> (SelfAttention, Tensor<3>) {
        let device = Device::flex();
        let mut rng = Rng::new(3);
        let attn = SelfAttention::init(8, heads, 0.0, &mut rng, &device);
        let x = Tensor::<3>::from_data(
            TensorData::new(super::super::normal(2 * 5 * 8, 1.0, &mut rng), [2, 5, 8]),
            &device,
        );
        (attn, x)
    }

    #[test]
    fn shapes_of_context_and_weights() {
        let (attn, x) = attention(2);
        let (out, weights) = attn.forward(x, None);
        assert_eq!(out.dims(), [2, 5, 8]);
        assert_eq!(weights.dims(), [2, 2, 5, 5]);
    }

    #[test]
    fn rows_sum_to_one() {
        let (attn, x) = attention(4);
        let (_, weights) = attn.forward(x, None);
        let sums = weights.sum_dim(3).into_data().try_to_vec::<f32>().unwrap();
        assert_eq!(sums.len(), 2 * 4 * 5);
        assert!(sums.iter().all(|s| (s - 1.0).abs() < 1e-5), "{sums:?}");
    }

    #[test]
    fn the_causal_mask_hides_the_future() {
        let (attn, x) = attention(2);
        let mask = causal_mask(5, &Device::flex());
        let (_, weights) = attn.forward(x, Some(mask));
        let w = weights.into_data().try_to_vec::<f32>().unwrap();
        for (n, row) in w.chunks(5).enumerate() {
            let query = n % 5;
            assert!(
                row[query + 1..].iter().all(|v| *v == 0.0),
                "query {query}: {row:?}"
            );
            assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        }
    }
}
