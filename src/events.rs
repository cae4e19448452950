//! What a session reports to the page's views: one enum, each variant one message the training
//! worker posts, serialised by the wasm layer as it is (`type` is the tag, fields camelCase) and
//! mirrored one to one by www/protocol.js (tests/protocol.rs holds the two together). Dense
//! arrays are not serialised: the wasm layer attaches them as Float32Arrays (`dense`), so the
//! worker can transfer them.
//!
//! Messages the worker makes itself (start-up, the backend, progress, errors) are defined in
//! www/protocol.js only.

use crate::data::table::EncodingSummary;
use crate::data::{Dataset, SequenceData, SequenceKind, Task};
use crate::inspect::projection::PointLabels;
use crate::inspect::units::Units;
use crate::train::recipe::{DropoutLosses, InitLoss, OverfitReport};
use crate::train::{Evaluation, SequenceEvaluation, TestMetrics};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Event {
    /// A dataset's points in a plane: a built-in dataset, or a table of two inputs (`from_table`,
    /// inputs standardised).
    Dataset {
        task: &'static str,
        classes: usize,
        extent: [f32; 4],
        from_table: bool,
        #[serde(skip)]
        train_x: Vec<f32>,
        #[serde(skip)]
        train_y: Vec<f32>,
        #[serde(skip)]
        test_x: Vec<f32>,
        #[serde(skip)]
        test_y: Vec<f32>,
    },
    /// The MLP's evaluation.
    Eval(Evaluation),
    /// The transformer's evaluation: the same message, with per-token accuracies and the share
    /// of sequences with every position right.
    #[serde(rename = "eval")]
    SequenceEval(SequenceEvaluation),
    /// The decision boundary: `values` [resolution², outputs] over `extent`; with `units` (the
    /// network diagram, when shown) every unit over the same grid, from the same forward pass.
    Boundary {
        step: usize,
        resolution: usize,
        outputs: usize,
        extent: [f32; 4],
        #[serde(skip)]
        values: Vec<f32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        units: Option<Units>,
    },
    /// The data a transformer trains on (a built-in task, or a user's `file`): the first test
    /// examples, and for a text the start of it.
    SequenceData {
        task: &'static str,
        input_vocab: Vec<String>,
        output_vocab: Vec<String>,
        length: usize,
        train: usize,
        test: usize,
        examples: Vec<TokenExample>,
        text: Option<String>,
        file: Option<String>,
        /// A text classifier: the page offers a box to type a text into (`classifyText`).
        classifies_text: bool,
    },
    /// The attention weights of every layer and head for test example `example`:
    /// values[((layer * heads + head) * length + query) * length + key].
    Attention {
        step: usize,
        example: usize,
        layers: usize,
        heads: usize,
        length: usize,
        tokens: Vec<String>,
        #[serde(skip)]
        values: Vec<f32>,
    },
    /// Head `head` of layer `layer` step by step for test example `example`
    /// (src/inspect/attention_steps.rs): `qkv` [3, length, dHead] (q, k, v, a row per position)
    /// as read back; from it `scores` (q·k), `scaled` (÷√dHead) and `weights` (the softmax of the
    /// scaled scores the mask leaves, 0 where `causal` hides a later key) [length, length], query
    /// row by key column, and `output` (Σ w·v) [length, dHead]. With them, in the same readback,
    /// the residual stream's length ‖x‖ at each position, `residual` [layers * 3, length]:
    /// entering each block, after its attention, after its MLP.
    AttentionSteps {
        step: usize,
        example: usize,
        layer: usize,
        head: usize,
        layers: usize,
        heads: usize,
        length: usize,
        d_head: usize,
        causal: bool,
        tokens: Vec<String>,
        #[serde(skip)]
        qkv: Vec<f32>,
        #[serde(skip)]
        scores: Vec<f32>,
        #[serde(skip)]
        scaled: Vec<f32>,
        #[serde(skip)]
        weights: Vec<f32>,
        #[serde(skip)]
        output: Vec<f32>,
        #[serde(skip)]
        residual: Vec<f32>,
    },
    /// The cosine similarity of every pair of token embeddings, `values` [count, count] in the
    /// order of `tokens` (the input vocabulary).
    EmbeddingSimilarity {
        step: usize,
        count: usize,
        tokens: Vec<String>,
        #[serde(skip)]
        values: Vec<f32>,
    },
    /// The position vectors the model adds to its token embeddings, `values` [length, dModel]
    /// (`learned`, or sinusoidal), and the cosine similarity of every pair, `similarity`
    /// [length, length]; posted with each projection frame of a transformer.
    Positions {
        step: usize,
        length: usize,
        d_model: usize,
        learned: bool,
        #[serde(skip)]
        values: Vec<f32>,
        #[serde(skip)]
        similarity: Vec<f32>,
    },
    /// The model's output (argmax) for test example `example`.
    Predictions {
        step: usize,
        example: usize,
        input: Vec<String>,
        target: Vec<String>,
        output: Vec<String>,
    },
    /// Text sampled from a language model, continuing `prompt`.
    Generated {
        step: usize,
        prompt: String,
        text: String,
    },
    /// A table's test metrics (confusion matrix, or predicted against actual values); with
    /// `units` (the network diagram of a table of more than two inputs, when shown) every unit's
    /// histogram over the same test rows, from the same forward pass.
    TestMetrics {
        step: usize,
        #[serde(flatten)]
        metrics: TestMetrics,
        #[serde(skip_serializing_if = "Option::is_none")]
        units: Option<Units>,
    },
    /// A table is in force: how it was encoded.
    TableData {
        file: String,
        #[serde(flatten)]
        summary: EncodingSummary,
    },
    /// The points of projection `key` (the page's name for a session's source): each one's
    /// hover text, and the ways to colour them.
    ProjectionLabels {
        key: String,
        source: String,
        block: usize,
        count: usize,
        #[serde(flatten)]
        labels: PointLabels,
    },
    /// A PCA frame: `coords` [count, 2], sign-fixed against the last frame; `explained`: the
    /// fraction of the variance along each leading component (up to 10).
    Projection {
        key: String,
        method: &'static str,
        step: usize,
        count: usize,
        dims: usize,
        #[serde(skip)]
        coords: Vec<f32>,
        #[serde(skip)]
        explained: Vec<f32>,
    },
    /// The vectors [count, dims] for the page's UMAP or t-SNE worker (`method`).
    ProjectionVectors {
        key: String,
        method: String,
        step: usize,
        count: usize,
        dims: usize,
        #[serde(skip)]
        vectors: Vec<f32>,
    },
    /// The points most similar to `index` by cosine, in the vectors of the frame at `step`.
    Neighbours {
        key: String,
        step: usize,
        index: usize,
        indices: Vec<usize>,
        similarities: Vec<f32>,
    },
    /// New training settings took effect on the model in force after `step` (the loss chart
    /// marks it): each change in words, and whether the optimiser's state started afresh.
    Retuned {
        step: usize,
        changes: Vec<String>,
        optimizer_restarted: bool,
    },
    /// The recipe's loss at init (src/train/recipe/): the train loss of the model this session
    /// started from, before its first step, beside the one expected.
    InitLoss {
        step: usize,
        #[serde(flatten)]
        check: InitLoss,
    },
    /// The recipe's overfitting of one batch, run on a copy of the model at `step` (the model
    /// in force is as it was): `curve` the loss every few steps.
    Overfit {
        step: usize,
        #[serde(flatten)]
        report: OverfitReport,
    },
    /// The loss of one batch with dropout on (train mode, several passes) and off (eval mode).
    DropoutModes {
        step: usize,
        #[serde(flatten)]
        losses: DropoutLosses,
    },
}

/// One sequence as token texts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenExample {
    pub input: Vec<String>,
    pub target: Vec<String>,
}

impl Event {
    /// The dense arrays of the message, by field name (camelCase), for the wasm layer to attach.
    pub fn dense(&self) -> Vec<(&'static str, &[f32])> {
        match self {
            Event::Dataset {
                train_x,
                train_y,
                test_x,
                test_y,
                ..
            } => vec![
                ("trainX", train_x),
                ("trainY", train_y),
                ("testX", test_x),
                ("testY", test_y),
            ],
            Event::Boundary { values, units, .. } => {
                let mut dense = vec![("values", &values[..])];
                dense.extend(units.iter().flat_map(Units::dense));
                dense
            }
            Event::TestMetrics { units, .. } => units.iter().flat_map(Units::dense).collect(),
            Event::Attention { values, .. } => vec![("values", values)],
            Event::AttentionSteps {
                qkv,
                scores,
                scaled,
                weights,
                output,
                residual,
                ..
            } => vec![
                ("qkv", qkv),
                ("scores", scores),
                ("scaled", scaled),
                ("weights", weights),
                ("output", output),
                ("residual", residual),
            ],
            Event::EmbeddingSimilarity { values, .. } => vec![("values", values)],
            Event::Positions {
                values, similarity, ..
            } => vec![("values", values), ("similarity", similarity)],
            Event::Projection {
                coords, explained, ..
            } => vec![("coords", coords), ("explained", explained)],
            Event::ProjectionVectors { vectors, .. } => vec![("vectors", vectors)],
            Event::Overfit { report, .. } => vec![("curve", &report.curve)],
            _ => Vec::new(),
        }
    }

    /// The `dataset` message of `dataset`'s points in the plane `extent`.
    pub fn dataset(dataset: &Dataset, extent: [f32; 4], from_table: bool) -> Event {
        let (task, classes) = match dataset.task {
            Task::Classification { classes } => ("classification", classes),
            Task::Regression => ("regression", 1),
        };
        Event::Dataset {
            task,
            classes,
            extent,
            from_table,
            train_x: dataset.train.x.clone(),
            train_y: dataset.train.y.clone(),
            test_x: dataset.test.x.clone(),
            test_y: dataset.test.y.clone(),
        }
    }

    /// The `sequenceData` message of `data`: its first 8 test examples, `text` (the start of a
    /// text the model learns), and the user's `file` it was made from.
    pub fn sequence_data(data: &SequenceData, text: Option<String>, file: Option<String>) -> Event {
        let examples = data
            .test
            .iter()
            .take(8)
            .map(|e| TokenExample {
                input: tokens(&data.input_vocab, &e.input),
                target: tokens(&data.output_vocab, &e.target),
            })
            .collect();
        Event::SequenceData {
            task: match data.kind {
                SequenceKind::Seq2seq => "seq2seq",
                SequenceKind::Classification => "classification",
                SequenceKind::Lm => "lm",
            },
            input_vocab: data.input_vocab.clone(),
            output_vocab: data.output_vocab.clone(),
            length: data.length,
            train: data.train.len(),
            test: data.test.len(),
            examples,
            text,
            file,
            classifies_text: data.text_unit.is_some(),
        }
    }
}

/// Token ids as the vocabulary's texts.
pub fn tokens(vocab: &[String], ids: &[u32]) -> Vec<String> {
    ids.iter().map(|t| vocab[*t as usize].clone()).collect()
}

impl From<Evaluation> for Event {
    fn from(evaluation: Evaluation) -> Event {
        Event::Eval(evaluation)
    }
}

impl From<SequenceEvaluation> for Event {
    fn from(evaluation: SequenceEvaluation) -> Event {
        Event::SequenceEval(evaluation)
    }
}
