//! What the MLP's views read of its trainer: the last hidden layer, the test outputs and their
//! metrics, the decision boundary and the network diagram's units over the same grid. Each is
//! a tensor still on the device until the caller reads it.

use super::MlpTask;
use crate::data::Task;
use crate::inspect::boundary_points;
use crate::inspect::units::{UnitView, UnitsLayout, units_pass};
use crate::train::chunks::map_rows;
use crate::train::metrics::{argmax_rows, classification_metrics, regression_metrics};
use crate::train::{ClassificationMetrics, Learner, RegressionMetrics};
use burn::prelude::*;
use burn::tensor::activation::softmax;

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

impl Learner<MlpTask> {
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
