//! The transformer's trainer: its sequences as a `TrainStep` of the shared loop (`Learner`), and
//! what its views need: attention weights, predictions, block outputs and sampled text.

use super::budget::{Budget, check_transformer};
use super::chunks::weighted_mean;
use super::memory::{SequenceShape, transformer_eval_chunk};
use super::{Learner, TrainStep, loss};
use crate::SequenceSettings;
use crate::SettingsError;
use crate::data::{Example, Rng, SequenceData, SequenceKind, Task};
use crate::model::{Head, Transformer};
use crate::settings::{DATA, MODEL, TRAINING, in_section};
use crate::share::ModelKind;
use burn::prelude::*;
use burn::tensor::activation::softmax;
use serde::Serialize;

/// Evaluation looks at this many sequences of each set at most.
pub const EVAL_CAP: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SequenceEvaluation {
    pub step: usize,
    pub train_loss: f32,
    pub test_loss: f32,
    /// Per token: the share of target positions predicted right.
    pub train_accuracy: f32,
    pub test_accuracy: f32,
    /// The share of sequences with every position right.
    pub train_sequence_accuracy: f32,
    pub test_sequence_accuracy: f32,
}

/// The transformer's part of the training loop: its sequences and how a minibatch of them
/// becomes a loss.
pub struct TransformerTask {
    data: SequenceData,
    /// Sequences per chunk of an evaluation (`memory::transformer_eval_chunk`).
    eval_chunk: usize,
}

/// The transformer's trainer: the shared loop over its sequences.
pub type SequenceTrainer = Learner<TransformerTask>;

impl TransformerTask {
    /// Every target position is a classification over the output vocabulary.
    fn output_task(&self) -> Task {
        Task::Classification {
            classes: self.data.output_vocab.len(),
        }
    }

    /// ids [batch, length] and one-hot targets [batch * targets per sequence, outputs].
    fn batch(&self, examples: &[&Example], device: &Device) -> (Tensor<2, Int>, Tensor<2>) {
        let length = examples[0].input.len();
        let ids: Vec<i64> = examples
            .iter()
            .flat_map(|e| e.input.iter().map(|t| i64::from(*t)))
            .collect();
        let outputs = self.data.output_vocab.len();
        let targets: Vec<u32> = examples
            .iter()
            .flat_map(|e| e.target.iter().copied())
            .collect();
        let mut one_hot = vec![0.0f32; targets.len() * outputs];
        for (row, t) in targets.iter().enumerate() {
            one_hot[row * outputs + *t as usize] = 1.0;
        }
        (
            Tensor::from_data(TensorData::new(ids, [examples.len(), length]), device),
            Tensor::from_data(TensorData::new(one_hot, [targets.len(), outputs]), device),
        )
    }

    /// Logits flattened to [batch * positions, outputs], rows in the targets' order.
    fn logits(model: &Transformer, ids: Tensor<2, Int>) -> Tensor<2> {
        let logits = model.forward(ids).logits;
        let [batch, positions, outputs] = logits.dims();
        logits.reshape([batch * positions, outputs])
    }

    /// [loss, token accuracy, sequence accuracy] of (the first `EVAL_CAP` of) `examples` in eval
    /// mode, [3], in chunks of about a batch (every chunk's sequences have as many targets, so
    /// each counts by its share of the sequences).
    fn metrics(&self, model: &Transformer, examples: &[Example], device: &Device) -> Tensor<1> {
        let refs: Vec<&Example> = examples.iter().take(EVAL_CAP).collect();
        weighted_mean(refs.len(), self.eval_chunk, |r| {
            self.chunk_metrics(model, &refs[r], device)
        })
    }

    /// `metrics` of one chunk, [3].
    fn chunk_metrics(&self, model: &Transformer, refs: &[&Example], device: &Device) -> Tensor<1> {
        let (ids, target) = self.batch(refs, device);
        let logits = Self::logits(model, ids);
        let loss = loss(self.output_task(), logits.clone(), target.clone());
        let right = logits.argmax(1).equal(target.argmax(1)).float(); // [rows, 1]
        let per_sequence = right.clone().reshape([refs.len(), refs[0].target.len()]);
        let sequence_accuracy = per_sequence.min_dim(1).mean();
        Tensor::cat(vec![loss, right.mean(), sequence_accuracy], 0)
    }
}

impl TrainStep for TransformerTask {
    type Model = Transformer;
    type Evaluation = SequenceEvaluation;
    const KIND: ModelKind = 1;
    const KIND_NAME: &'static str = "sequences";

    fn train_len(&self) -> usize {
        self.data.train.len()
    }

    fn loss(&self, model: &Transformer, indices: &[usize], device: &Device) -> Tensor<1> {
        let examples: Vec<&Example> = indices.iter().map(|i| &self.data.train[*i]).collect();
        let (ids, target) = self.batch(&examples, device);
        loss(self.output_task(), Self::logits(model, ids), target)
    }

    /// [train loss, test loss, train token acc, test token acc, train seq acc, test seq acc].
    fn evaluate(&self, model: &Transformer, device: &Device) -> Tensor<1> {
        let train = self.metrics(model, &self.data.train, device);
        let test = self.metrics(model, &self.data.test, device);
        // reorder [l, t, s] x 2 -> [l, l, t, t, s, s]
        let order = Tensor::<1, Int>::from_data([0i64, 3, 1, 4, 2, 5], &train.device());
        Tensor::cat(vec![train, test], 0).select(0, order)
    }

    fn evaluation(&self, step: usize, v: &[f32]) -> SequenceEvaluation {
        SequenceEvaluation {
            step,
            train_loss: v[0],
            test_loss: v[1],
            train_accuracy: v[2],
            test_accuracy: v[3],
            train_sequence_accuracy: v[4],
            test_sequence_accuracy: v[5],
        }
    }

    fn parameters(model: &Transformer) -> usize {
        model.parameters()
    }

    fn summary(model: &Transformer) -> crate::model::ModelSummary {
        crate::model::transformer_summary(model)
    }
}

impl Learner<TransformerTask> {
    pub fn new(settings: &SequenceSettings, device: &Device) -> Result<Self, SettingsError> {
        settings.validate()?;
        let data = settings.data.generate().map_err(in_section(&DATA))?;
        Self::with_data(settings, data, device)
    }

    /// As `new`, on data made elsewhere (an uploaded text or a table's text column); the model
    /// and training settings come from `settings`, its data settings go unused.
    pub fn with_data(
        settings: &SequenceSettings,
        data: SequenceData,
        device: &Device,
    ) -> Result<Self, SettingsError> {
        settings.model.validate().map_err(in_section(&MODEL))?;
        settings.train.validate().map_err(in_section(&TRAINING))?;
        let shape = SequenceShape::of(&data);
        check_transformer(settings, &shape, &Budget::of(device))?;
        let eval_chunk = transformer_eval_chunk(&settings.model, &settings.train, &shape);
        let device = device.clone().autodiff();
        let mut model_config = settings.model.clone();
        // A language model must not see the characters it predicts.
        model_config.causal |= data.kind == SequenceKind::Lm;
        if model_config.dropout > 0.0 {
            device.seed(settings.train.seed);
        }
        let head = if data.kind == SequenceKind::Classification {
            Head::Pooled
        } else {
            Head::PerPosition
        };
        let model = model_config
            .init(
                data.input_vocab.len(),
                data.output_vocab.len(),
                data.length,
                head,
                settings.train.seed,
                &Device::flex(),
            )
            .to_device(&device)
            .train();
        Ok(Learner::with_task(
            TransformerTask { data, eval_chunk },
            model,
            &settings.train,
            device,
        ))
    }

    pub fn data(&self) -> &SequenceData {
        &self.task().data
    }

    /// ids [1, length] of test example `index` on the plain device.
    fn test_ids(&self, index: usize) -> Result<(&Example, Tensor<2, Int>), String> {
        let example = self.test_example(index)?;
        let (ids, _) = self.task().batch(&[example], &self.plain_device());
        Ok((example, ids))
    }

    /// The attention weights of every layer and head for test example `index`, eval mode:
    /// [layers, heads, length, length].
    pub fn attention(&self, index: usize) -> Result<Tensor<4>, String> {
        let (_, ids) = self.test_ids(index)?;
        Ok(Tensor::cat(self.eval_model().forward(ids).attention, 0))
    }

    /// Head `head` of layer `layer` on test example `index`, eval mode: its queries, keys and
    /// values at every position, [3, length, d_head] (q, k, v), on the plain device.
    pub fn attention_qkv(
        &self,
        index: usize,
        layer: usize,
        head: usize,
    ) -> Result<Tensor<3>, String> {
        let (_, ids) = self.test_ids(index)?;
        let model = self.eval_model();
        let (layers, heads) = (model.blocks.len(), model.blocks[0].attention.heads);
        if layer >= layers || head >= heads {
            return Err(format!(
                "there is no head {head} of layer {layer}: the model has {layers} layers of {heads} heads"
            ));
        }
        let (x, _) = model.attention_input(ids, layer);
        let (q, k, v) = model.blocks[layer].attention.project(x); // [1, heads, seq, d_head]
        let pick = |t: Tensor<4>| {
            let [_, _, seq, d] = t.dims();
            t.slice([0..1, head..head + 1, 0..seq, 0..d])
                .reshape([1, seq, d])
        };
        Ok(Tensor::cat(vec![pick(q), pick(k), pick(v)], 0))
    }

    /// `Transformer::residual_norms` of test example `index`, eval mode: [layers * 3, length].
    pub fn residual_norms(&self, index: usize) -> Result<Tensor<2>, String> {
        let (_, ids) = self.test_ids(index)?;
        Ok(self.eval_model().residual_norms(ids))
    }

    /// Whether the model hides later positions from each query (a causal mask).
    pub fn is_causal(&self) -> bool {
        self.model().causal
    }

    /// The model's output tokens for test example `index` (ids as floats), [targets].
    pub fn predict(&self, index: usize) -> Result<Tensor<1>, String> {
        let (example, ids) = self.test_ids(index)?;
        let predicted = TransformerTask::logits(&self.eval_model(), ids)
            .argmax(1)
            .float(); // [targets, 1]
        Ok(predicted.reshape([example.target.len()]))
    }

    /// The token embedding table [input vocab, d_model], on the plain device.
    pub fn embedding_table(&self) -> Tensor<2> {
        self.eval_model().embedding.weight.val()
    }

    /// The position vectors added to the token embeddings, learned or sinusoidal, for the
    /// data's length: [length, d_model], on the plain device.
    pub fn position_table(&self) -> Tensor<2> {
        let model = self.eval_model();
        let d_model = model.embedding.weight.dims()[1];
        model
            .positional
            .forward(self.data().length, d_model, &self.plain_device())
    }

    /// Whether the position vectors are trained (else sinusoidal).
    pub fn learned_positions(&self) -> bool {
        self.model().positional.learned.is_some()
    }

    /// How many test sequences `block_output` covers: as many as fit in `MAX_POINTS` positions.
    pub fn projected_sequences(&self) -> usize {
        (crate::inspect::projection::MAX_POINTS / self.data().length.max(1))
            .min(self.data().test.len())
            .max(1)
    }

    /// The output of block `block` (0-based) at every position of the first
    /// `projected_sequences()` test sequences, eval mode: [sequences * length, d_model].
    pub fn block_output(&self, block: usize) -> Result<Tensor<2>, String> {
        let blocks = self.model().blocks.len();
        if block >= blocks {
            return Err(format!(
                "there is no block {block}: the model has {blocks} (0-{})",
                blocks - 1
            ));
        }
        let refs: Vec<&Example> = self
            .data()
            .test
            .iter()
            .take(self.projected_sequences())
            .collect();
        let (ids, _) = self.task().batch(&refs, &self.plain_device());
        let output = self.eval_model().block_outputs(ids).swap_remove(block); // [batch, seq, d]
        let [batch, seq, d] = output.dims();
        Ok(output.reshape([batch * seq, d]))
    }

    pub fn test_example(&self, index: usize) -> Result<&Example, String> {
        self.data().test.get(index).ok_or_else(|| {
            format!(
                "there is no test example {index}: the test set has {}",
                self.data().test.len()
            )
        })
    }

    /// P(next token | context) at `temperature`, [vocab]. The context is cut to the model's
    /// length from the left.
    pub fn next_token(&self, context: &[u32], temperature: f32) -> Result<Tensor<1>, String> {
        if self.data().kind != SequenceKind::Lm {
            return Err("text generation needs the language-modelling task".into());
        }
        if context.is_empty() {
            return Err("the prompt has no character the model knows".into());
        }
        if !(temperature.is_finite() && temperature > 0.0) {
            return Err(format!("temperature must be above 0, got {temperature}"));
        }
        let context = &context[context.len().saturating_sub(self.data().length)..];
        let example = Example {
            input: context.to_vec(),
            target: vec![],
        };
        let ids: Vec<i64> = example.input.iter().map(|t| i64::from(*t)).collect();
        let ids = Tensor::<2, Int>::from_data(
            TensorData::new(ids, [1, context.len()]),
            &self.plain_device(),
        );
        let logits = self.eval_model().forward(ids).logits; // [1, seq, vocab]
        let [_, seq, vocab] = logits.dims();
        let last = logits
            .slice([0..1, seq - 1..seq, 0..vocab])
            .reshape([vocab]);
        Ok(softmax(last / temperature as f64, 0))
    }

    /// Prompt text -> token ids, dropping characters outside the vocabulary.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        text.chars()
            .filter_map(|c| {
                self.data()
                    .input_vocab
                    .iter()
                    .position(|v| v.chars().eq([c]))
                    .map(|i| i as u32)
            })
            .collect()
    }
}

/// Draws an index from a probability vector.
pub fn sample(probabilities: &[f32], rng: &mut Rng) -> u32 {
    let total: f32 = probabilities.iter().sum();
    let mut u = rng.uniform() * total;
    for (i, p) in probabilities.iter().enumerate() {
        if u < *p {
            return i as u32;
        }
        u -= p;
    }
    (probabilities.len() - 1) as u32
}
