//! Training a transformer on a sequence task: the same recipe as `Trainer` (minibatches,
//! optimiser, losses left on the device until read), plus what the views need: attention
//! weights, predictions and sampled text.

use super::{Optimizer, OptimizerKind, TrainConfig, loss};
use crate::SettingsError;
use crate::data::{Batcher, Example, Rng, SequenceData, SequenceDataConfig, SequenceKind, Task};
use crate::model::{Head, Transformer, TransformerConfig};
use burn::prelude::*;
use burn::tensor::activation::softmax;
use serde::{Deserialize, Serialize};

/// Evaluation looks at this many sequences of each set at most.
pub const EVAL_CAP: usize = 512;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SequenceSettings {
    pub data: SequenceDataConfig,
    pub model: TransformerConfig,
    pub train: TrainConfig,
}

impl Default for SequenceSettings {
    fn default() -> Self {
        Self {
            data: SequenceDataConfig::default(),
            model: TransformerConfig::default(),
            train: TrainConfig {
                optimizer: OptimizerKind::Adam,
                learning_rate: 0.003,
                batch_size: 64,
                ..Default::default()
            },
        }
    }
}

impl SequenceSettings {
    pub fn validate(&self) -> Result<(), SettingsError> {
        let section = |name: &'static str| move |e: String| SettingsError(format!("{name}: {e}"));
        self.data.validate().map_err(section("Data"))?;
        self.model.validate().map_err(section("Model"))?;
        self.train.validate().map_err(section("Training"))?;
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SequenceEvaluation {
    pub step: usize,
    pub train_loss: f32,
    pub test_loss: f32,
    pub train_token_accuracy: f32,
    pub test_token_accuracy: f32,
    pub train_sequence_accuracy: f32,
    pub test_sequence_accuracy: f32,
}

pub struct SequenceTrainer {
    model: Transformer,
    optimizer: Optimizer,
    device: Device,
    data: SequenceData,
    batcher: Batcher,
    learning_rate: f64,
    step: usize,
    pending_losses: Vec<Tensor<1>>,
}

impl SequenceTrainer {
    pub fn new(settings: &SequenceSettings, device: &Device) -> Result<Self, SettingsError> {
        settings.validate()?;
        let data = settings
            .data
            .generate()
            .map_err(|e| SettingsError(format!("Data: {e}")))?;
        Self::with_data(settings, data, device)
    }

    /// As `new`, on data made elsewhere (an uploaded text or a table's text column); the model
    /// and training settings come from `settings`, its data settings go unused.
    pub fn with_data(
        settings: &SequenceSettings,
        data: SequenceData,
        device: &Device,
    ) -> Result<Self, SettingsError> {
        settings
            .model
            .validate()
            .map_err(|e| SettingsError(format!("Model: {e}")))?;
        settings
            .train
            .validate()
            .map_err(|e| SettingsError(format!("Training: {e}")))?;
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
        Ok(Self {
            model,
            optimizer: settings.train.optimizer(&device),
            batcher: Batcher::new(
                data.train.len(),
                settings.train.batch_size,
                settings.train.seed,
            ),
            learning_rate: settings.train.learning_rate,
            step: 0,
            pending_losses: Vec::new(),
            data,
            device,
        })
    }

    pub fn data(&self) -> &SequenceData {
        &self.data
    }

    pub fn model(&self) -> &Transformer {
        &self.model
    }

    /// The parameters, still on the device, for one async read: (names, shapes, values).
    pub fn params(&self) -> (Vec<String>, Vec<Vec<usize>>, Tensor<1>) {
        crate::share::param_tensors(&self.model)
    }

    /// Replaces the weights by `params` (checked against the architecture) and sets the step
    /// count, as when a shared model is opened. The optimiser starts afresh.
    pub fn load(&mut self, params: &crate::share::ParamValues, step: usize) -> Result<(), String> {
        self.model = crate::share::load_params(self.model.clone(), params)?;
        self.step = step;
        Ok(())
    }

    pub fn step_count(&self) -> usize {
        self.step
    }

    pub fn epoch(&self) -> f64 {
        (self.step * self.batcher.batch_size()) as f64 / self.data.train.len() as f64
    }

    fn task(&self) -> Task {
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

    pub fn step(&mut self) -> Tensor<1> {
        let idx = self.batcher.next_indices();
        let examples: Vec<&Example> = idx.iter().map(|i| &self.data.train[*i]).collect();
        let (ids, target) = self.batch(&examples, &self.device);
        let loss = loss(self.task(), Self::logits(&self.model, ids), target);
        self.model = self
            .optimizer
            .step(self.learning_rate, self.model.clone(), loss.backward());
        self.step += 1;
        loss.inner()
    }

    pub fn train(&mut self, steps: usize) {
        for _ in 0..steps {
            let loss = self.step();
            self.pending_losses.push(loss);
        }
    }

    pub fn take_losses(&mut self) -> Option<Tensor<1>> {
        let losses = std::mem::take(&mut self.pending_losses);
        (!losses.is_empty()).then(|| Tensor::cat(losses, 0))
    }

    /// [loss, token accuracy, sequence accuracy] of `examples` in eval mode, [3].
    fn metrics(&self, model: &Transformer, examples: &[Example]) -> Tensor<1> {
        let plain = self.device.clone().inner();
        let refs: Vec<&Example> = examples.iter().take(EVAL_CAP).collect();
        let (ids, target) = self.batch(&refs, &plain);
        let logits = Self::logits(model, ids);
        let loss = loss(self.task(), logits.clone(), target.clone());
        let right = logits.argmax(1).equal(target.argmax(1)).float(); // [rows, 1]
        let per_sequence = right.clone().reshape([refs.len(), refs[0].target.len()]);
        let sequence_accuracy = per_sequence.min_dim(1).mean();
        Tensor::cat(vec![loss, right.mean(), sequence_accuracy], 0)
    }

    /// [train loss, test loss, train token acc, test token acc, train seq acc, test seq acc].
    pub fn evaluate(&self) -> Tensor<1> {
        let model = self.model.valid();
        let train = self.metrics(&model, &self.data.train);
        let test = self.metrics(&model, &self.data.test);
        // reorder [l, t, s] x 2 -> [l, l, t, t, s, s]
        let order = Tensor::<1, Int>::from_data([0i64, 3, 1, 4, 2, 5], &train.device());
        Tensor::cat(vec![train, test], 0).select(0, order)
    }

    pub fn evaluation(&self, v: &[f32]) -> SequenceEvaluation {
        SequenceEvaluation {
            step: self.step,
            train_loss: v[0],
            test_loss: v[1],
            train_token_accuracy: v[2],
            test_token_accuracy: v[3],
            train_sequence_accuracy: v[4],
            test_sequence_accuracy: v[5],
        }
    }

    /// The attention weights of every layer and head for test example `index`, eval mode:
    /// [layers, heads, length, length].
    pub fn attention(&self, index: usize) -> Result<Tensor<4>, String> {
        let example = self.test_example(index)?;
        let (ids, _) = self.batch(&[example], &self.device.clone().inner());
        Ok(Tensor::cat(self.model.valid().forward(ids).attention, 0))
    }

    /// The model's output tokens for test example `index` (ids as floats), [targets].
    pub fn predict(&self, index: usize) -> Result<Tensor<1>, String> {
        let example = self.test_example(index)?;
        let (ids, _) = self.batch(&[example], &self.device.clone().inner());
        let predicted = Self::logits(&self.model.valid(), ids).argmax(1).float(); // [targets, 1]
        Ok(predicted.reshape([example.target.len()]))
    }

    /// The token embedding table [input vocab, d_model], on the plain device.
    pub fn embedding_table(&self) -> Tensor<2> {
        self.model.valid().embedding.weight.val()
    }

    /// How many test sequences `block_output` covers: as many as fit in `MAX_POINTS` positions.
    pub fn projected_sequences(&self) -> usize {
        (crate::inspect::projection::MAX_POINTS / self.data.length.max(1))
            .min(self.data.test.len())
            .max(1)
    }

    /// The output of block `block` (0-based) at every position of the first
    /// `projected_sequences()` test sequences, eval mode: [sequences * length, d_model].
    pub fn block_output(&self, block: usize) -> Result<Tensor<2>, String> {
        let blocks = self.model.blocks.len();
        if block >= blocks {
            return Err(format!(
                "there is no block {block}: the model has {blocks} (0-{})",
                blocks - 1
            ));
        }
        let refs: Vec<&Example> = self
            .data
            .test
            .iter()
            .take(self.projected_sequences())
            .collect();
        let (ids, _) = self.batch(&refs, &self.device.clone().inner());
        let output = self.model.valid().block_outputs(ids).swap_remove(block); // [batch, seq, d]
        let [batch, seq, d] = output.dims();
        Ok(output.reshape([batch * seq, d]))
    }

    pub fn test_example(&self, index: usize) -> Result<&Example, String> {
        self.data.test.get(index).ok_or_else(|| {
            format!(
                "there is no test example {index}: the test set has {}",
                self.data.test.len()
            )
        })
    }

    /// P(next token | context) at `temperature`, [vocab]. The context is cut to the model's
    /// length from the left.
    pub fn next_token(&self, context: &[u32], temperature: f32) -> Result<Tensor<1>, String> {
        if self.data.kind != SequenceKind::Lm {
            return Err("text generation needs the language-modelling task".into());
        }
        if context.is_empty() {
            return Err("the prompt has no character the model knows".into());
        }
        if !(temperature.is_finite() && temperature > 0.0) {
            return Err(format!("temperature must be above 0, got {temperature}"));
        }
        let context = &context[context.len().saturating_sub(self.data.length)..];
        let example = Example {
            input: context.to_vec(),
            target: vec![],
        };
        let ids: Vec<i64> = example.input.iter().map(|t| i64::from(*t)).collect();
        let ids = Tensor::<2, Int>::from_data(
            TensorData::new(ids, [1, context.len()]),
            &self.device.clone().inner(),
        );
        let logits = self.model.valid().forward(ids).logits; // [1, seq, vocab]
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
                self.data
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
