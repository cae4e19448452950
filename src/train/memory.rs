//! How much memory a model needs, from its settings and the size of its data alone, so that a
//! configuration too big for the device is refused before anything is allocated (`budget.rs`).
//!
//! The estimate counts f32 tensors the way the step uses them: parameters, gradients, the
//! optimiser's state, one training batch's activations with what autodiff keeps for the
//! backward pass, and an evaluation pass (in chunks about a batch's size, `chunks.rs`). It is an
//! approximation: it counts the tensors a forward and backward pass make, not the exact moment
//! each is freed; tests/memory.rs measures the peak of live bytes on the CPU against it.

use super::{EVAL_CAP, EVAL_ROWS, OptimizerKind, TrainConfig};
use crate::data::Task;
use crate::error::{Field, UserError, Wording};
use crate::model::{MlpConfig, Positional, TransformerConfig};

const F32: u64 = 4;

/// The size of the MLP's data: what the estimate needs of a dataset or a user's table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MlpData {
    pub inputs: usize,
    pub task: Task,
    pub train_rows: usize,
    pub test_rows: usize,
}

/// The size of the transformer's data: vocabularies, length, how many sequences.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SequenceShape {
    pub input_vocab: usize,
    pub output_vocab: usize,
    pub length: usize,
    /// Targets per sequence: `length`, or 1 for a pooled classification.
    pub targets: usize,
    pub train: usize,
    pub test: usize,
}

impl MlpData {
    pub fn of(dataset: &crate::data::Dataset) -> Self {
        Self {
            inputs: dataset.train.width(),
            task: dataset.task,
            train_rows: dataset.train.len(),
            test_rows: dataset.test.len(),
        }
    }
}

impl SequenceShape {
    pub fn of(data: &crate::data::SequenceData) -> Self {
        Self {
            input_vocab: data.input_vocab.len(),
            output_vocab: data.output_vocab.len(),
            length: data.length,
            targets: data.train.first().map_or(data.length, |e| e.target.len()),
            train: data.train.len(),
            test: data.test.len(),
        }
    }
}

static ACTIVATIONS: Wording = Wording::new(
    "part-activations",
    "activations: batch {batch} × {units} units",
);
static LAYER_ACTIVATIONS: Wording = Wording::new(
    "part-layer-activations",
    "one layer's activations: batch {batch} × {units} units",
);
static SCORES_BLOCK: Wording = Wording::new(
    "part-scores-block",
    "attention scores: batch {batch} × {heads} heads × {length}² positions × 1 block",
);
static SCORES_BLOCKS: Wording = Wording::new(
    "part-scores-blocks",
    "attention scores: batch {batch} × {heads} heads × {length}² positions × {layers} blocks",
);
static SCORES: Wording = Wording::new(
    "part-scores",
    "attention scores: batch {batch} × {heads} heads × {length}² positions",
);
static MLP_HIDDEN: Wording = Wording::new(
    "part-mlp-hidden",
    "the MLP's hidden layer: batch {batch} × {length} positions × {units} units",
);
static LOGITS: Wording = Wording::new("part-logits", "logits: {rows} targets × {outputs} tokens");

/// A part named by `wording` with its sizes, written as they are (a batch of 1600, not 1,600).
fn sized<const N: usize>(wording: &'static Wording, sizes: [(&'static str, u64); N]) -> UserError {
    UserError::new(wording, sizes.map(|(name, n)| (name, Field::plain(n))))
}

/// One part of an estimate: what it is (with the sizes it grows with) and its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub what: UserError,
    pub bytes: u64,
}

/// The bytes a model needs at its peak, in parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// Parameters, gradients, optimiser state: there for the model's whole life.
    pub state: u64,
    /// The data the trainer holds (host copies and the evaluation sets on the device).
    pub data: u64,
    /// The peak of one training step's activations (forward, kept for backward, and backward).
    pub train: u64,
    /// The peak of one evaluation chunk's activations (no autodiff).
    pub eval: u64,
    /// The part of `train` that dominates it, to name in a refusal.
    pub largest_part: Part,
    /// The largest single tensor (WebGPU has a limit per buffer).
    pub largest_tensor: Part,
}

impl Estimate {
    /// Live bytes at the peak: the state and data, and a step or an evaluation (never both at once).
    pub fn peak(&self) -> u64 {
        self.state + self.data + self.train.max(self.eval)
    }
}

/// Parameters, their gradients, the optimiser's moments, and the step's new copy of the
/// parameters (the optimiser makes it while the old ones are alive): bytes.
fn state_bytes(parameters: u64, train: &TrainConfig) -> u64 {
    let moments = match train.optimizer {
        OptimizerKind::Adam | OptimizerKind::AdamW => 2,
        OptimizerKind::Sgd if train.momentum > 0.0 => 1,
        OptimizerKind::Sgd => 0,
    };
    (3 + moments) * parameters * F32
}

/// The batch a step really takes: the setting, at most the train set.
pub fn effective_batch(batch_size: usize, train_len: usize) -> usize {
    batch_size.clamp(1, train_len.max(1))
}

/// The MLP of `model`, `train` on `data`.
pub fn mlp(model: &MlpConfig, train: &TrainConfig, data: &MlpData) -> Estimate {
    let outputs = data.task.outputs();
    let mut widths = vec![data.inputs];
    widths.extend(model.hidden.iter().map(|l| l.units));
    widths.push(outputs);
    let prelu = model
        .hidden
        .iter()
        .filter(|l| l.activation == crate::model::ActivationKind::Prelu)
        .count();
    let parameters: usize = widths.windows(2).map(|w| w[0] * w[1] + w[1]).sum::<usize>() + prelu;
    let batch = effective_batch(train.batch_size, data.train_rows) as u64;
    let hidden: u64 = model
        .hidden
        .iter()
        .map(|l| l.units as u64 * if l.dropout > 0.0 { 3 } else { 2 })
        .sum();
    let widest = *widths.iter().max().expect("inputs and outputs") as u64;
    // Forward, kept for backward: the input, each layer's pre-activation and activation (and
    // dropout's mask), logits, probabilities and targets. Backward: two gradients of the widest
    // layer at once (the one coming in and the one going out).
    let per_row = data.inputs as u64 + hidden + 3 * outputs as u64 + 2 * widest;
    let train_bytes = batch * per_row * F32;
    let units: u64 = model.hidden.iter().map(|l| l.units as u64).sum();
    let largest_part = Part {
        what: sized(&ACTIVATIONS, [("batch", batch), ("units", units)]),
        bytes: batch * (hidden + 2 * widest) * F32,
    };
    // Evaluation: a chunk (`chunks::mlp_chunk`), one layer's input and output at a time.
    // The boundary (resolution² rows) goes in the same chunks but is not counted where it is
    // longer than the sets: at the page's 50² it is 2,500 rows, 5 MiB for the widest network.
    let largest_set = data.train_rows.max(data.test_rows).min(EVAL_ROWS);
    let eval_rows = super::chunks::mlp_chunk(batch as usize).min(largest_set) as u64;
    let eval = eval_rows * (data.inputs as u64 + 2 * widest + 2 * outputs as u64) * F32;
    // The host's points (x and y) and the first EVAL_ROWS of each set on the device (x and
    // one-hot y).
    let rows = (data.train_rows + data.test_rows) as u64;
    let eval_set = (data.train_rows.min(EVAL_ROWS) + data.test_rows.min(EVAL_ROWS)) as u64;
    let data_bytes =
        (rows * (data.inputs as u64 + 1) + eval_set * (data.inputs + outputs) as u64) * F32;
    Estimate {
        state: state_bytes(parameters as u64, train),
        data: data_bytes,
        train: train_bytes,
        eval,
        largest_tensor: Part {
            what: sized(&LAYER_ACTIVATIONS, [("batch", batch), ("units", widest)]),
            bytes: batch * widest * F32,
        },
        largest_part,
    }
}

/// The transformer's parameters for `model` on `shape`.
pub fn transformer_parameters(model: &TransformerConfig, shape: &SequenceShape) -> u64 {
    let d = model.d_model as u64;
    let r = model.mlp_ratio as u64;
    let positional = if model.positional == Positional::Learned {
        shape.length as u64 * d
    } else {
        0
    };
    let block = 4 * (d * d + d) + 4 * d + (d * r * d + r * d) + (r * d * d + d);
    shape.input_vocab as u64 * d
        + positional
        + model.layers as u64 * block
        + 2 * d
        + d * shape.output_vocab as u64
        + shape.output_vocab as u64
}

/// An evaluation chunk of the transformer: the bytes of one sequence in eval mode. One block at a
/// time, its scores three times (raw, scaled, weights), its activations in the residual stream's
/// width and the MLP's, and the head's logits and probabilities.
fn eval_per_sequence(model: &TransformerConfig, shape: &SequenceShape) -> u64 {
    let (l, d, h) = (
        shape.length as u64,
        model.d_model as u64,
        model.heads as u64,
    );
    let head = shape.targets as u64 * shape.output_vocab as u64 * 3;
    (3 * h * l * l + l * d * 4 + l * model.mlp_ratio as u64 * d * 2 + head) * F32
}

/// Sequences per evaluation chunk of the transformer: a training batch, or as many as take
/// `EVAL_CHUNK_BYTES` if that is more (fewer chunks are fewer kernel launches on WebGPU, and
/// 16 MiB is nothing beside the budget), at most `EVAL_CAP`.
pub fn transformer_eval_chunk(
    model: &TransformerConfig,
    train: &TrainConfig,
    shape: &SequenceShape,
) -> usize {
    let batch = effective_batch(train.batch_size, shape.train);
    let floor = (EVAL_CHUNK_BYTES / eval_per_sequence(model, shape).max(1)) as usize;
    batch.max(floor).clamp(1, EVAL_CAP)
}

/// An evaluation chunk of the transformer may take this much even when a batch takes less.
pub const EVAL_CHUNK_BYTES: u64 = 16 * 1024 * 1024;

/// The transformer of `model`, `train` on sequences of `shape`.
pub fn transformer(
    model: &TransformerConfig,
    train: &TrainConfig,
    shape: &SequenceShape,
) -> Estimate {
    let batch = effective_batch(train.batch_size, shape.train) as u64;
    let (l, d, h) = (
        shape.length as u64,
        model.d_model as u64,
        model.heads as u64,
    );
    let r = model.mlp_ratio as u64;
    let layers = model.layers as u64;
    let outputs = shape.output_vocab as u64;
    let rows = batch * shape.targets as u64;
    let scores = h * l * l; // per sequence, per block: [heads, length, length]
    // Per block, kept for backward: the attention weights (and dropout's copy), and in the
    // residual stream's width the two LayerNorms, Q, K, V, the context, its projection, the MLP's
    // contraction and the two residual sums; the MLP's expansion and its GELU.
    let dropout = u64::from(model.dropout > 0.0);
    let kept_scores = 1 + dropout;
    let kept_per_block = scores * kept_scores + l * d * 10 + l * r * d * 2;
    // On top, in the block being computed: the scores before and after scaling (and the mask's
    // sum when causal) going forward; the gradients of the weights and of the scores going back.
    let transient_scores = 2;
    let embedding = l * d * 2;
    let head = shape.targets as u64 * outputs * 4; // logits, probabilities, targets, gradient
    let per_sequence = layers * kept_per_block + transient_scores * scores + embedding + head;
    let train_bytes = batch * per_sequence * F32;
    let sizes = [
        ("batch", batch),
        ("heads", h),
        ("length", l),
        ("layers", layers),
    ];
    let largest_part = Part {
        what: sized(
            if layers == 1 {
                &SCORES_BLOCK
            } else {
                &SCORES_BLOCKS
            },
            sizes,
        ),
        bytes: batch * scores * (layers * kept_scores + transient_scores) * F32,
    };
    let chunk = transformer_eval_chunk(model, train, shape) as u64;
    let eval = chunk * eval_per_sequence(model, shape);
    // The sequences on the host (input and target ids) and the model's parameters for the
    // views: small beside the rest.
    let sequences = (shape.train + shape.test) as u64;
    let data_bytes = sequences * (l + shape.targets as u64) * F32;
    let largest_tensor = [
        Part {
            what: sized(&SCORES, [("batch", batch), ("heads", h), ("length", l)]),
            bytes: batch * scores * F32,
        },
        Part {
            what: sized(
                &MLP_HIDDEN,
                [("batch", batch), ("length", l), ("units", r * d)],
            ),
            bytes: batch * l * r * d * F32,
        },
        Part {
            what: sized(&LOGITS, [("rows", rows), ("outputs", outputs)]),
            bytes: rows * outputs * F32,
        },
    ]
    .into_iter()
    .max_by_key(|p| p.bytes)
    .expect("three candidates");
    Estimate {
        state: state_bytes(transformer_parameters(model, shape), train),
        data: data_bytes,
        train: train_bytes,
        eval,
        largest_part,
        largest_tensor,
    }
}

/// Bytes as people read them: "3.1 GiB", "812 MiB", "40 KiB".
pub fn human(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if b >= KIB * KIB * KIB {
        format!("{:.1} GiB", b / (KIB * KIB * KIB))
    } else if b >= KIB * KIB {
        format!("{:.0} MiB", b / (KIB * KIB))
    } else {
        format!("{:.0} KiB", b / KIB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SequenceSettings;

    fn shape(length: usize) -> SequenceShape {
        SequenceShape {
            input_vocab: 16,
            output_vocab: 16,
            length,
            targets: length,
            train: 1600,
            test: 400,
        }
    }

    #[test]
    fn parameters_match_the_built_model() {
        use burn::prelude::*;
        let s = SequenceSettings::default();
        let model = s.model.init(
            16,
            16,
            8,
            crate::model::Head::PerPosition,
            1,
            &Device::flex(),
        );
        assert_eq!(
            transformer_parameters(&s.model, &shape(8)),
            model.parameters() as u64
        );
    }

    #[test]
    fn attention_grows_with_the_square_of_the_length() {
        let s = SequenceSettings::default();
        let short = transformer(&s.model, &s.train, &shape(32))
            .largest_part
            .bytes;
        let long = transformer(&s.model, &s.train, &shape(64))
            .largest_part
            .bytes;
        assert_eq!(long, 4 * short);
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human(3 * 1024 * 1024 * 1024 + 100 * 1024 * 1024), "3.1 GiB");
        assert_eq!(human(812 * 1024 * 1024), "812 MiB");
        assert_eq!(human(40 * 1024), "40 KiB");
    }
}
