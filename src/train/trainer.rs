//! The MLP's trainer: its data (a built-in dataset or a user's table) as a `TrainStep` of the
//! shared loop (`Learner`), and what its views need: test metrics, the last hidden layer, the
//! decision boundary. Results stay on the device as tensors until the caller reads them.

use super::budget::{Budget, check_mlp};
use super::chunks::{map_rows, mlp_chunk, rows, weighted_mean};
use super::memory::{MlpData, effective_batch};
use super::metrics::{argmax_rows, classification_metrics, regression_metrics};
use super::{ClassificationMetrics, Learner, RegressionMetrics, TrainStep, accuracy, loss};
use crate::data::table::EncodedTable;
use crate::data::{Batch, Dataset, Points, Task};
use crate::inspect::units::{UnitView, UnitsLayout, units_pass};
use crate::inspect::{EXTENT, boundary_points};
use crate::model::{InputFeatures, Mlp, OutputBias, prior_bias};
use crate::settings::{DATASET, in_section};
use crate::share::ModelKind;
use crate::{Settings, SettingsError};
use burn::prelude::*;
use burn::tensor::activation::softmax;

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

/// Test metrics of the task: confusion matrix, precision and recall, or RMSE, MAE and R² with
/// the predictions against the actual values (in the target's units) for a scatter plot.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum TestMetrics {
    Classification(ClassificationMetrics),
    Regression {
        #[serde(flatten)]
        metrics: RegressionMetrics,
        predicted: Vec<f32>,
        actual: Vec<f32>,
    },
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
        let (dataset, points, classes, target_scale) = match source {
            DataSource::Builtin => {
                let drawn = settings.data.generate().map_err(in_section(&DATASET))?;
                let classes = (0..drawn.task.outputs()).map(|c| c.to_string()).collect();
                let features = settings.model.features;
                let dataset = features.expand_dataset(&drawn);
                (dataset, Some((drawn, features)), classes, (0.0, 1.0))
            }
            DataSource::Table(t) => (t.dataset, None, t.classes, (t.target_mean, t.target_std)),
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

    /// The last hidden layer for the (first `EVAL_ROWS`) test rows in eval mode,
    /// [rows, units] (the inputs themselves when there is no hidden layer), still on the device.
    pub fn hidden_representation(&self) -> Tensor<2> {
        let model = self.eval_model();
        let x = self.task().test_all.x.clone();
        map_rows(x, self.task().eval_chunk, |x| model.last_hidden(x))
    }

    /// The class names of the task (the indices as text for the built-in datasets).
    pub fn class_names(&self) -> &[String] {
        &self.task().classes
    }

    /// The model's outputs for the (first `EVAL_ROWS`) test rows in eval mode, still on the
    /// device: [rows, outputs]. Read it and pass to `test_metrics`.
    pub fn test_outputs(&self) -> Tensor<2> {
        let model = self.eval_model();
        let x = self.task().test_all.x.clone();
        map_rows(x, self.task().eval_chunk, |x| model.forward(x))
    }

    /// Confusion matrix, precision and recall, or RMSE, MAE and R² (in the target's units),
    /// from the values of `test_outputs`.
    pub fn test_metrics(&self, outputs: &[f32]) -> TestMetrics {
        let data = self.task();
        let test = &data.dataset.test;
        let n = outputs.len() / data.dataset.task.outputs();
        let actual = &test.y[..n];
        match data.dataset.task {
            Task::Classification { classes } => {
                let predicted = argmax_rows(outputs, classes);
                let actual: Vec<usize> = actual.iter().map(|y| *y as usize).collect();
                TestMetrics::Classification(classification_metrics(
                    &predicted,
                    &actual,
                    data.classes.clone(),
                ))
            }
            Task::Regression => {
                let (mean, std) = data.target_scale;
                let units = |v: &f32| (*v as f64 * std + mean) as f32;
                let predicted: Vec<f32> = outputs.iter().map(units).collect();
                let actual: Vec<f32> = actual.iter().map(units).collect();
                TestMetrics::Regression {
                    metrics: regression_metrics(&predicted, &actual),
                    predicted,
                    actual,
                }
            }
        }
    }

    /// The plane `boundary` covers, [xmin, xmax, ymin, ymax].
    pub fn extent(&self) -> [f32; 4] {
        self.task().extent
    }

    /// Inputs per row of the data as drawn: 2 for the built-in datasets (whatever features the
    /// network takes of them), any number for a table.
    pub fn inputs(&self) -> usize {
        self.drawn().train.width()
    }

    /// The model over a `resolution` x `resolution` grid of the input plane in one batched
    /// forward pass, eval mode: [resolution^2, outputs], class probabilities or regression values.
    /// Only for data with two inputs (see `inputs`).
    pub fn boundary(&self, resolution: usize) -> Tensor<2> {
        let grid = self.grid(resolution);
        let model = self.eval_model();
        let out = map_rows(grid, self.task().eval_chunk, |x| model.forward(x));
        match self.task().dataset.task {
            Task::Classification { .. } => softmax(out, 1),
            Task::Regression => out,
        }
    }

    /// The boundary of `boundary` and the network diagram's units over the same grid, from one
    /// forward pass, as one tensor to read (`UnitsLayout::read` splits it: the boundary values
    /// first). Only for data with two inputs.
    pub fn boundary_units(&self, resolution: usize) -> (Tensor<1>, UnitsLayout) {
        let grid = self.grid(resolution);
        let task = self.task().dataset.task;
        let head = |out: Tensor<2>| match task {
            Task::Classification { .. } => softmax(out, 1),
            Task::Regression => out,
        };
        units_pass(
            &self.eval_model(),
            grid,
            self.task().eval_chunk,
            UnitView::Plane,
            head,
        )
    }

    /// `test_outputs` and the units' histograms over the same test rows, from one forward pass,
    /// as one tensor to read (`UnitsLayout::read`: the outputs first, for `test_metrics`).
    /// None when there is no test row.
    pub fn test_units(&self) -> Option<(Tensor<1>, UnitsLayout)> {
        let x = self.task().test_all.x.clone();
        (x.dims()[0] > 0).then(|| {
            let chunk = self.task().eval_chunk;
            units_pass(&self.eval_model(), x, chunk, UnitView::Histograms, |out| {
                out
            })
        })
    }
}

impl Learner<MlpTask> {
    /// Inputs per row as the network takes them (the input features' count on built-in points).
    pub fn model_inputs(&self) -> usize {
        self.task().dataset.train.width()
    }

    /// The boundary's `resolution`² cells as the network takes them, [resolution², inputs]: the
    /// plane's points through the input features (a two-input table's as they are).
    fn grid(&self, resolution: usize) -> Tensor<2> {
        let mut grid = boundary_points(resolution, self.extent());
        if let Some((_, features)) = &self.task().points {
            grid = features.expand(&grid);
        }
        let rows = resolution * resolution;
        Tensor::from_data(
            TensorData::new(grid, [rows, self.model_inputs()]),
            &self.plain_device(),
        )
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
