//! A small transformer encoder: token embedding + positional encoding, pre-LayerNorm blocks of
//! multi-head self-attention and an MLP with residual connections, and an output head per
//! position (sequence-to-sequence, language modelling) or over the pooled sequence
//! (classification). After nanoGPT's `model.py`.

use super::attention::{SelfAttention, causal_mask};
use super::{InitKind, linear, linear_rows, normal, param};
use crate::data::Rng;
use crate::kernels::{gelu, layer_norm};
use burn::module::Param;
use burn::nn::{Dropout, DropoutConfig, LayerNorm, LayerNormConfig, Linear};
use burn::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Field, UserError, Wording};
use crate::settings::out_of_range;

static HEADS: Wording = Wording::new("heads-range", "heads must be 1-{max}, got {value}");
static D_MODEL: Wording = Wording::new("d-model-range", "d_model must be 4-{max}, got {value}");
static D_MODEL_HEADS: Wording = Wording::new(
    "d-model-heads",
    "d_model {d_model} is not divisible by {heads} heads",
);
static LAYERS: Wording = Wording::new("layers-range", "layers must be 1-{max}, got {value}");
static MLP_RATIO: Wording =
    Wording::new("mlp-ratio-range", "MLP ratio must be 1-{max}, got {value}");
static DROPOUT: Wording = Wording::new("dropout-range", "dropout must be in [0, 1), got {value}");

pub const MAX_D_MODEL: usize = 256;
pub const MAX_HEADS: usize = 8;
pub const MAX_LAYERS: usize = 4;
pub const MAX_LENGTH: usize = 128;

/// Every LayerNorm's ε (Burn's default), set explicitly because `norm` needs it and Burn's
/// `LayerNorm` keeps its own private.
const LAYER_NORM_EPSILON: f64 = 1e-5;

fn layer_norm_config(d_model: usize) -> LayerNormConfig {
    LayerNormConfig::new(d_model).with_epsilon(LAYER_NORM_EPSILON)
}

/// `norm.forward(x)`, through the fused kernel (see `crate::kernels`).
fn norm<const D: usize>(norm: &LayerNorm, x: Tensor<D>) -> Tensor<D> {
    let beta = norm.beta.as_ref().expect("built with a shift").val();
    layer_norm(x, norm.gamma.val(), beta, LAYER_NORM_EPSILON)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Positional {
    /// A trained vector per position.
    Learned,
    /// Fixed sines and cosines of geometrically spaced frequencies (Vaswani et al.).
    Sinusoidal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct TransformerConfig {
    pub d_model: usize,
    pub heads: usize,
    pub layers: usize,
    /// Width of each block's MLP, as a multiple of d_model.
    pub mlp_ratio: usize,
    /// On the attention weights and on each residual branch, while training.
    pub dropout: f64,
    pub positional: Positional,
    pub causal: bool,
}

impl Default for TransformerConfig {
    fn default() -> Self {
        Self {
            d_model: 32,
            heads: 1,
            layers: 1,
            mlp_ratio: 4,
            dropout: 0.0,
            positional: Positional::Learned,
            causal: false,
        }
    }
}

/// What the output head predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Head {
    /// One distribution over `outputs` per position.
    PerPosition,
    /// One distribution over `outputs` for the whole sequence (mean of the positions).
    Pooled,
}

impl TransformerConfig {
    pub fn validate(&self) -> Result<(), UserError> {
        if !(1..=MAX_HEADS).contains(&self.heads) {
            return Err(out_of_range(&HEADS, MAX_HEADS, self.heads));
        }
        if !(4..=MAX_D_MODEL).contains(&self.d_model) {
            return Err(out_of_range(&D_MODEL, MAX_D_MODEL, self.d_model));
        }
        if !self.d_model.is_multiple_of(self.heads) {
            return Err(UserError::new(
                &D_MODEL_HEADS,
                [
                    ("d_model", Field::plain(self.d_model)),
                    ("heads", Field::plain(self.heads)),
                ],
            ));
        }
        if !(1..=MAX_LAYERS).contains(&self.layers) {
            return Err(out_of_range(&LAYERS, MAX_LAYERS, self.layers));
        }
        if !(1..=8).contains(&self.mlp_ratio) {
            return Err(out_of_range(&MLP_RATIO, 8, self.mlp_ratio));
        }
        if !(0.0..1.0).contains(&self.dropout) {
            return Err(out_of_range(&DROPOUT, 1, self.dropout));
        }
        Ok(())
    }

    /// Builds the model on `device`, every weight drawn on the host from `seed`.
    pub fn init(
        &self,
        vocab: usize,
        outputs: usize,
        max_len: usize,
        head: Head,
        seed: u64,
        device: &Device,
    ) -> Transformer {
        let mut rng = Rng::new(seed);
        let d = self.d_model;
        let embedding = Embedding {
            weight: param(normal(vocab * d, 1.0, &mut rng), [vocab, d], device),
        };
        let positional = PositionalEncoding {
            learned: (self.positional == Positional::Learned)
                .then(|| param(normal(max_len * d, 0.1, &mut rng), [max_len, d], device)),
            max_len,
        };
        let blocks = (0..self.layers)
            .map(|_| Block {
                norm_attention: layer_norm_config(d).init(device),
                attention: SelfAttention::init(d, self.heads, self.dropout, &mut rng, device),
                norm_mlp: layer_norm_config(d).init(device),
                expand: linear(d, self.mlp_ratio * d, InitKind::Kaiming, &mut rng, device),
                contract: linear(self.mlp_ratio * d, d, InitKind::Xavier, &mut rng, device),
                dropout: DropoutConfig::new(self.dropout).init(),
            })
            .collect();
        let model = Transformer {
            embedding,
            positional,
            blocks,
            norm: layer_norm_config(d).init(device),
            head: linear(d, outputs, InitKind::Xavier, &mut rng, device),
            causal: self.causal,
            pooled: head == Head::Pooled,
        };
        model.visit(&mut super::DrawNow);
        model
    }
}

/// Token id -> vector: a row lookup in a trained table [vocab, d_model].
#[derive(Module, Debug)]
pub struct Embedding {
    pub weight: Param<Tensor<2>>,
}

impl Embedding {
    /// [batch, seq] ids -> [batch, seq, d_model]
    pub fn forward(&self, ids: Tensor<2, Int>) -> Tensor<3> {
        burn::tensor::module::embedding(self.weight.val(), ids)
    }
}

/// Position -> vector, added to the token embedding.
#[derive(Module, Debug)]
pub struct PositionalEncoding {
    /// [max_len, d_model] when learned; sinusoidal tables are computed.
    pub learned: Option<Param<Tensor<2>>>,
    pub max_len: usize,
}

impl PositionalEncoding {
    /// [seq, d_model]
    pub fn forward(&self, seq: usize, d_model: usize, device: &Device) -> Tensor<2> {
        match &self.learned {
            Some(table) => table.val().slice([0..seq, 0..d_model]),
            None => Tensor::from_data(
                TensorData::new(sinusoidal(seq, d_model), [seq, d_model]),
                device,
            ),
        }
    }
}

/// PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(pos / 10000^(2i/d)).
pub fn sinusoidal(seq: usize, d_model: usize) -> Vec<f32> {
    let mut table = vec![0.0f32; seq * d_model];
    for pos in 0..seq {
        for i in 0..d_model {
            let angle = pos as f64 / 10000f64.powf((i - i % 2) as f64 / d_model as f64);
            table[pos * d_model + i] = if i % 2 == 0 { angle.sin() } else { angle.cos() } as f32;
        }
    }
    table
}

/// x + Attention(LN(x)), then x + MLP(LN(x)).
#[derive(Module, Debug)]
pub struct Block {
    pub norm_attention: LayerNorm,
    pub attention: SelfAttention,
    pub norm_mlp: LayerNorm,
    pub expand: Linear,
    pub contract: Linear,
    pub dropout: Dropout,
}

impl Block {
    /// What the attention sees of the residual stream `x`: LN(x) (the block is pre-norm).
    pub fn attention_input(&self, x: Tensor<3>) -> Tensor<3> {
        norm(&self.norm_attention, x)
    }

    /// [batch, seq, d_model] -> ([batch, seq, d_model], weights [batch, heads, seq, seq])
    pub fn forward(&self, x: Tensor<3>, mask: Option<Tensor<2>>) -> (Tensor<3>, Tensor<4>) {
        let (_, x, weights) = self.stages(x, mask);
        (x, weights)
    }

    /// The residual stream after the attention's branch and after the MLP's, [batch, seq,
    /// d_model] each, and the weights: `forward` with its middle kept.
    pub fn stages(
        &self,
        x: Tensor<3>,
        mask: Option<Tensor<2>>,
    ) -> (Tensor<3>, Tensor<3>, Tensor<4>) {
        let (attended, weights) = self
            .attention
            .forward(self.attention_input(x.clone()), mask);
        let x = x + self.dropout.forward(attended);
        let hidden = gelu(linear_rows(&self.expand, norm(&self.norm_mlp, x.clone())));
        let out = x.clone() + self.dropout.forward(linear_rows(&self.contract, hidden));
        (x, out, weights)
    }
}

#[derive(Module, Debug)]
pub struct Transformer {
    pub embedding: Embedding,
    pub positional: PositionalEncoding,
    pub blocks: Vec<Block>,
    pub norm: LayerNorm,
    pub head: Linear,
    pub causal: bool,
    pub pooled: bool,
}

/// What a forward pass computes: the logits and every layer's attention weights.
pub struct TransformerOutput {
    /// [batch, seq, outputs] per position, or [batch, outputs] pooled (then seq = 1: [batch, 1, outputs]).
    pub logits: Tensor<3>,
    /// One [batch, heads, seq, seq] per layer.
    pub attention: Vec<Tensor<4>>,
}

impl Transformer {
    /// The blocks' input: token embeddings plus positions, [batch, seq, d_model], and the causal
    /// mask [seq, seq] when the model is causal.
    fn embed(&self, ids: Tensor<2, Int>) -> (Tensor<3>, Option<Tensor<2>>) {
        let device = ids.device();
        let [_, seq] = ids.dims();
        let x = self.embedding.forward(ids); // [batch, seq, d_model]
        let d_model = x.dims()[2];
        let x = x + self
            .positional
            .forward(seq, d_model, &device)
            .unsqueeze::<3>();
        let mask = self.causal.then(|| causal_mask(seq, &device));
        (x, mask)
    }

    /// ids [batch, seq] (seq ≤ the positional table's length)
    pub fn forward(&self, ids: Tensor<2, Int>) -> TransformerOutput {
        let (mut x, mask) = self.embed(ids);
        let mut attention = Vec::with_capacity(self.blocks.len());
        for block in &self.blocks {
            let (next, weights) = block.forward(x, mask.clone());
            x = next;
            attention.push(weights);
        }
        let x = norm(&self.norm, x);
        let x = if self.pooled { x.mean_dim(1) } else { x }; // [batch, 1 | seq, d_model]
        TransformerOutput {
            logits: linear_rows(&self.head, x),
            attention,
        }
    }

    /// What each block writes to the residual stream: block i's output, [batch, seq, d_model]
    /// each (before the final LayerNorm), computed as `forward` does.
    pub fn block_outputs(&self, ids: Tensor<2, Int>) -> Vec<Tensor<3>> {
        let (mut x, mask) = self.embed(ids);
        let mut outputs = Vec::with_capacity(self.blocks.len());
        for block in &self.blocks {
            x = block.forward(x, mask.clone()).0;
            outputs.push(x.clone());
        }
        outputs
    }

    /// What block `layer`'s attention is given, [batch, seq, d_model] (its LayerNorm of the
    /// residual stream), and the mask it applies, computed as `forward` does. `layer` must be
    /// one of the blocks.
    pub fn attention_input(
        &self,
        ids: Tensor<2, Int>,
        layer: usize,
    ) -> (Tensor<3>, Option<Tensor<2>>) {
        let (mut x, mask) = self.embed(ids);
        for block in &self.blocks[..layer] {
            x = block.forward(x, mask.clone()).0;
        }
        (self.blocks[layer].attention_input(x), mask)
    }

    /// The length of the residual vector at every position of a sequence, ‖x‖₂: entering each
    /// block, after its attention and after its MLP, [layers * 3, seq] (rows block by block in
    /// that order), for ids [1, seq].
    pub fn residual_norms(&self, ids: Tensor<2, Int>) -> Tensor<2> {
        let (mut x, mask) = self.embed(ids);
        let length = |t: Tensor<3>| {
            let [_, seq, _] = t.dims();
            (t.clone() * t).sum_dim(2).sqrt().reshape([1, seq]) // [1, seq]
        };
        let mut rows = Vec::with_capacity(3 * self.blocks.len());
        for block in &self.blocks {
            rows.push(length(x.clone()));
            let (attended, out, _) = block.stages(x, mask.clone());
            rows.push(length(attended));
            rows.push(length(out.clone()));
            x = out;
        }
        Tensor::cat(rows, 0)
    }

    pub fn parameters(&self) -> usize {
        self.num_params()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(batch: usize, seq: usize, vocab: usize) -> Tensor<2, Int> {
        let values: Vec<i64> = (0..batch * seq).map(|i| (i * 7 % vocab) as i64).collect();
        Tensor::from_data(TensorData::new(values, [batch, seq]), &Device::flex())
    }

    #[test]
    fn shapes_of_every_module() {
        let device = Device::flex();
        let config = TransformerConfig {
            d_model: 16,
            heads: 4,
            layers: 2,
            ..Default::default()
        };
        let model = config.init(10, 7, 12, Head::PerPosition, 1, &device);
        let out = model.forward(ids(3, 12, 10));
        assert_eq!(out.logits.dims(), [3, 12, 7]);
        assert_eq!(out.attention.len(), 2);
        assert!(out.attention.iter().all(|w| w.dims() == [3, 4, 12, 12]));
        let blocks = model.block_outputs(ids(3, 12, 10));
        assert_eq!(blocks.len(), 2);
        assert!(blocks.iter().all(|b| b.dims() == [3, 12, 16]));
        // shorter sequences than the table, as in generation
        assert_eq!(model.forward(ids(1, 5, 10)).logits.dims(), [1, 5, 7]);
        let embedded = model.embedding.forward(ids(3, 12, 10));
        assert_eq!(embedded.dims(), [3, 12, 16]);
        assert_eq!(model.positional.forward(12, 16, &device).dims(), [12, 16]);
        let pooled = config
            .init(10, 2, 12, Head::Pooled, 1, &device)
            .forward(ids(3, 12, 10));
        assert_eq!(pooled.logits.dims(), [3, 1, 2]);
    }

    #[test]
    fn sinusoidal_table_matches_the_formula() {
        let table = sinusoidal(4, 6);
        assert_eq!(table[0], 0.0); // sin(0)
        assert_eq!(table[1], 1.0); // cos(0)
        assert!((table[6 * 3 + 2] - (3.0 / 10000f64.powf(2.0 / 6.0)).sin() as f32).abs() < 1e-6);
        assert!((table[6 * 2 + 5] - (2.0 / 10000f64.powf(4.0 / 6.0)).cos() as f32).abs() < 1e-6);
    }

    #[test]
    fn bad_settings_are_refused_with_a_reason() {
        let config = TransformerConfig {
            d_model: 30,
            heads: 4,
            ..Default::default()
        };
        assert_eq!(
            config.validate().unwrap_err().to_string(),
            "d_model 30 is not divisible by 4 heads"
        );
        let config = TransformerConfig {
            layers: 5,
            ..Default::default()
        };
        assert!(
            config
                .validate()
                .unwrap_err()
                .to_string()
                .contains("layers must be 1-4")
        );
    }
}
