//! The MLP's trainer: its data (a built-in dataset or a user's table, the built-in points
//! through the input features) as a `TrainStep` of the shared loop (`Learner`). What its views
//! read of it is in views.rs.

use super::budget::{Budget, check_mlp};
use super::chunks::{mlp_chunk, rows, weighted_mean};
use super::memory::{MlpData, effective_batch};
use super::{Learner, TrainStep, accuracy, loss};
use crate::data::table::{EncodedTable, FeatureEncoding};
use crate::data::{Batch, Dataset, Points, Task};
use crate::inspect::EXTENT;
use crate::model::{InputFeatures, Mlp, OutputBias, prior_bias};
use crate::settings::{DATASET, in_section};
use crate::share::ModelKind;
use crate::{Settings, SettingsError};
use burn::prelude::*;

mod predict;
pub use predict::predictions_csv;
mod views;
pub use views::TestMetrics;

/// Evaluation and test metrics look at this many rows of each set at most (the first of a
/// shuffled split, so a fair sample), keeping an evaluation of a large upload quick.
pub const EVAL_ROWS: usize = 10_000;

/// Where the MLP's data comes from: one trainer for both.
// Built once per session and consumed at once: boxing the table would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum DataSource {
    /// The built-in generator that `settings.data` describes.
    Builtin,
    /// A table a user brought, encoded (inputs standardised with train statistics, split).
    Table(EncodedTable),
}

/// The MLP's part of the training loop: its data (a built-in dataset or a user's table), the
/// whole train and test sets for evaluation, and what its views need.
pub struct MlpTask {
    /// What the network trains on: the built-in points through the input features, or a table.
    dataset: Dataset,
    /// The built-in points as they are drawn, (x, y), and the features the network takes of
    /// them (applied to the boundary's grid too); None for a table.
    points: Option<(Dataset, InputFeatures)>,
    /// Whole train and test sets (their first `EVAL_ROWS`) on the plain device, for evaluation.
    train_all: Batch,
    test_all: Batch,
    /// Class names and the regression target's scale (mean, std) of the source.
    classes: Vec<String>,
    target_scale: (f64, f64),
    /// The plane the decision boundary covers: `EXTENT`, or around a two-input table's points.
    extent: [f32; 4],
    /// Rows per chunk of the evaluation and the views' forward passes (`chunks::mlp_chunk`).
    eval_chunk: usize,
    /// A table's fitted input encoding, for predicting on new rows; None for built-in data.
    encoding: Option<FeatureEncoding>,
}

/// The MLP's trainer: the shared loop over its data.
pub type Trainer = Learner<MlpTask>;

/// Loss and accuracy on the whole train and test sets in eval mode (dropout off).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    pub step: usize,
    pub train_loss: f32,
    pub test_loss: f32,
    pub train_accuracy: Option<f32>,
    pub test_accuracy: Option<f32>,
}

impl TrainStep for MlpTask {
    type Model = Mlp;
    type Evaluation = Evaluation;
    const KIND: ModelKind = 0;
    const KIND_NAME: &'static str = "points";

    fn train_len(&self) -> usize {
        self.dataset.train.len()
    }

    fn loss(&self, model: &Mlp, indices: &[usize], device: &Device) -> Tensor<1> {
        let task = self.dataset.task;
        let batch = Batch::select(&self.dataset.train, indices, task, device);
        loss(task, model.forward(batch.x), batch.y)
    }

    /// [train loss, test loss, train accuracy, test accuracy] (accuracies are 0 for regression),
    /// each set in chunks (`chunks.rs`).
    fn evaluate(&self, model: &Mlp, _device: &Device) -> Tensor<1> {
        let task = self.dataset.task;
        let [train, test] = [&self.train_all, &self.test_all].map(|set| {
            weighted_mean(set.x.dims()[0], self.eval_chunk, |r| {
                let (out, y) = (model.forward(rows(&set.x, &r)), rows(&set.y, &r));
                let accuracy = match task {
                    Task::Classification { .. } => accuracy(out.clone(), y.clone()),
                    Task::Regression => Tensor::zeros([1], &out.device()),
                };
                Tensor::cat(vec![loss(task, out, y), accuracy], 0)
            })
        });
        // [loss, accuracy] x 2 -> [loss, loss, accuracy, accuracy]
        let order = Tensor::<1, Int>::from_data([0i64, 2, 1, 3], &train.device());
        Tensor::cat(vec![train, test], 0).select(0, order)
    }

    fn evaluation(&self, step: usize, values: &[f32]) -> Evaluation {
        let classification = matches!(self.dataset.task, Task::Classification { .. });
        Evaluation {
            step,
            train_loss: values[0],
            test_loss: values[1],
            train_accuracy: classification.then_some(values[2]),
            test_accuracy: classification.then_some(values[3]),
        }
    }

    fn parameters(model: &Mlp) -> usize {
        model.parameters()
    }

    fn summary(model: &Mlp) -> crate::model::ModelSummary {
        crate::model::mlp_summary(model)
    }
}

impl MlpTask {
    /// The loss of train examples `indices` with every input set to zero (the recipe's
    /// input-independent baseline), [1].
    pub fn loss_without_inputs(
        &self,
        model: &Mlp,
        indices: &[usize],
        device: &Device,
    ) -> Tensor<1> {
        let task = self.dataset.task;
        let batch = Batch::select(&self.dataset.train, indices, task, device);
        loss(task, model.forward(batch.x.zeros_like()), batch.y)
    }

    /// The first `rows` train examples as one batch on `device`.
    pub fn first_rows(&self, rows: usize, device: &Device) -> Batch {
        let n = rows.min(self.dataset.train.len());
        let indices: Vec<usize> = (0..n).collect();
        Batch::select(&self.dataset.train, &indices, self.dataset.task, device)
    }

    /// The loss over the (first `EVAL_ROWS`) train rows under `model`, in chunks, [1].
    pub fn train_set_loss(&self, model: &Mlp) -> Tensor<1> {
        let (set, task) = (&self.train_all, self.dataset.task);
        weighted_mean(set.x.dims()[0], self.eval_chunk, |r| {
            loss(task, model.forward(rows(&set.x, &r)), rows(&set.y, &r))
        })
    }
}

impl Learner<MlpTask> {
    /// Builds data and model for `settings` on `device` (a plain or autodiff device).
    ///
    /// Weights are drawn on the host from the train seed and then moved, so one seed gives the
    /// same initial model on every backend.
    pub fn new(settings: &Settings, device: &Device) -> Result<Self, SettingsError> {
        Self::with_source(settings, DataSource::Builtin, device)
    }

    /// As `new`, with the data from `source` (`settings.data` is used by `Builtin` only).
    pub fn with_source(
        settings: &Settings,
        source: DataSource,
        device: &Device,
    ) -> Result<Self, SettingsError> {
        settings.validate()?;
        let from_table = matches!(source, DataSource::Table(_));
        let (dataset, points, classes, target_scale, encoding) = match source {
            DataSource::Builtin => {
                let drawn = settings.data.generate().map_err(in_section(&DATASET))?;
                let classes = (0..drawn.task.outputs()).map(|c| c.to_string()).collect();
                let features = settings.model.features;
                let dataset = features.expand_dataset(&drawn);
                (dataset, Some((drawn, features)), classes, (0.0, 1.0), None)
            }
            DataSource::Table(t) => {
                let scale = (t.target_mean, t.target_std);
                (t.dataset, None, t.classes, scale, Some(t.encoding))
            }
        };
        check_mlp(settings, &MlpData::of(&dataset), &Budget::of(device))?;
        let task = dataset.task;
        let train = &settings.train;
        let device = device.clone().autodiff();
        // Only dropout draws from the device's generator; seeding it only then leaves the
        // generator of any other session on this device (and its curve) undisturbed.
        if settings
            .model
            .hidden
            .iter()
            .any(|layer| layer.dropout > 0.0)
        {
            device.seed(train.seed);
        }
        let model = initial_mlp(settings, &dataset).to_device(&device).train();
        let plain = device.clone().inner();
        let data = MlpTask {
            train_all: Batch::from_points(&first(&dataset.train, EVAL_ROWS), task, &plain),
            test_all: Batch::from_points(&first(&dataset.test, EVAL_ROWS), task, &plain),
            extent: if from_table {
                extent_of(&dataset)
            } else {
                EXTENT
            },
            classes,
            target_scale,
            eval_chunk: mlp_chunk(effective_batch(train.batch_size, dataset.train.len())),
            dataset,
            points,
            encoding,
        };
        Ok(Learner::with_task(data, model, train, device))
    }

    /// The data the network trains on: the built-in points through the input features, or the
    /// table.
    pub fn dataset(&self) -> &Dataset {
        &self.task().dataset
    }

    /// The data as drawn: the built-in points (x, y), or the table.
    pub fn drawn(&self) -> &Dataset {
        let task = self.task();
        task.points
            .as_ref()
            .map_or(&task.dataset, |(drawn, _)| drawn)
    }

    /// The network's inputs by name: the input features of the built-in points, or None for a
    /// table (its summary names its columns).
    pub fn input_labels(&self) -> Option<Vec<String>> {
        self.task().points.as_ref().map(|(_, f)| f.labels())
    }
}

/// The model `settings` describe for `dataset` before any step, on the host (weights drawn from
/// the train seed; the output bias as `settings.model.output_bias` says, from the train split).
pub fn initial_mlp(settings: &Settings, dataset: &Dataset) -> Mlp {
    let task = dataset.task;
    let (inputs, outputs) = (dataset.train.width(), task.outputs());
    let model = (settings.model).init(inputs, outputs, settings.train.seed, &Device::flex());
    match settings.model.output_bias {
        OutputBias::Zero => model,
        OutputBias::Prior => model.with_output_bias(prior_bias(task, &dataset.train.y)),
    }
}

/// The first `n` rows of `points` (all of them when fewer).
fn first(points: &Points, n: usize) -> Points {
    if points.len() <= n {
        return points.clone();
    }
    let width = points.width();
    Points {
        x: points.x[..n * width].to_vec(),
        y: points.y[..n].to_vec(),
    }
}

/// The square around a two-input dataset's points, with a margin (standardised inputs sit
/// within a few units of 0); `EXTENT` for other widths.
fn extent_of(dataset: &Dataset) -> [f32; 4] {
    if dataset.train.width() != 2 {
        return EXTENT;
    }
    let all = dataset.train.x.iter().chain(&dataset.test.x);
    let reach = all.fold(
        1.0f32,
        |m, v| if v.is_finite() { m.max(v.abs()) } else { m },
    );
    let r = (reach * 1.1).min(10.0);
    [-r, r, -r, r]
}
