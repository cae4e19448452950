//! The training session: a model, its optimiser and data on one device, stepped by the caller.
//! Results stay on the device as tensors until the caller reads them (see `read_floats`).

use super::{accuracy, loss};
use crate::data::{Batch, Batcher, Dataset, Task};
use crate::inspect::boundary_grid;
use crate::model::Mlp;
use crate::{Settings, SettingsError};
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use burn::tensor::activation::softmax;

pub struct Trainer {
    model: Mlp,
    optimizer: ModuleOptimizer,
    /// Autodiff device the model trains on.
    device: Device,
    dataset: Dataset,
    batcher: Batcher,
    learning_rate: f64,
    step: usize,
    /// Train loss of each step not yet read, [1] each, detached from the graph.
    pending_losses: Vec<Tensor<1>>,
    /// Whole train and test sets on the plain device, for evaluation.
    train_all: Batch,
    test_all: Batch,
}

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

impl Trainer {
    /// Builds data and model for `settings` on `device` (a plain or autodiff device).
    ///
    /// Weights are drawn on the host from the train seed and then moved, so one seed gives the
    /// same initial model on every backend.
    pub fn new(settings: &Settings, device: &Device) -> Result<Self, SettingsError> {
        settings.validate()?;
        let dataset = settings.data.generate().map_err(SettingsError)?;
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
        let model = settings
            .model
            .init(2, task.outputs(), train.seed, &Device::flex())
            .to_device(&device)
            .train();
        let plain = device.clone().inner();
        Ok(Self {
            model,
            optimizer: train.optimizer(),
            batcher: Batcher::new(dataset.train.len(), train.batch_size, train.seed),
            learning_rate: train.learning_rate,
            step: 0,
            pending_losses: Vec::new(),
            train_all: Batch::from_points(&dataset.train, task, &plain),
            test_all: Batch::from_points(&dataset.test, task, &plain),
            dataset,
            device,
        })
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

    /// Epochs done, fractional.
    pub fn epoch(&self) -> f64 {
        (self.step * self.batcher.batch_size()) as f64 / self.dataset.train.len() as f64
    }

    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    pub fn model(&self) -> &Mlp {
        &self.model
    }

    /// One optimiser step on the next minibatch. Returns the batch loss, [1], still on the device.
    pub fn step(&mut self) -> Tensor<1> {
        let task = self.dataset.task;
        let idx = self.batcher.next_indices();
        let batch = Batch::select(&self.dataset.train, &idx, task, &self.device);
        let loss = loss(task, self.model.forward(batch.x), batch.y);
        let grads = GradientsParams::from_grads(loss.backward(), &self.model);
        self.model = self
            .optimizer
            .step(self.learning_rate, self.model.clone(), grads);
        self.step += 1;
        loss.inner()
    }

    /// `steps` optimiser steps; their losses wait in the device until `take_losses`.
    pub fn train(&mut self, steps: usize) {
        for _ in 0..steps {
            let loss = self.step();
            self.pending_losses.push(loss);
        }
    }

    /// The losses of the steps since the last call, as one tensor [steps] (one readback).
    pub fn take_losses(&mut self) -> Option<Tensor<1>> {
        let losses = std::mem::take(&mut self.pending_losses);
        (!losses.is_empty()).then(|| Tensor::cat(losses, 0))
    }

    /// [train loss, test loss, train accuracy, test accuracy] in eval mode, still on the device
    /// (accuracies are 0 for regression). Read it with `read_floats` and pass to `evaluation`.
    pub fn evaluate(&self) -> Tensor<1> {
        let model = self.model.valid();
        let task = self.dataset.task;
        let mut parts = Vec::with_capacity(4);
        let outputs =
            [&self.train_all, &self.test_all].map(|b| (model.forward(b.x.clone()), b.y.clone()));
        for (out, y) in &outputs {
            parts.push(loss(task, out.clone(), y.clone()));
        }
        for (out, y) in outputs {
            parts.push(match task {
                Task::Classification { .. } => accuracy(out, y),
                Task::Regression => Tensor::zeros([1], &out.device()),
            });
        }
        Tensor::cat(parts, 0)
    }

    /// Names the four numbers of `evaluate`.
    pub fn evaluation(&self, values: &[f32]) -> Evaluation {
        let classification = matches!(self.dataset.task, Task::Classification { .. });
        Evaluation {
            step: self.step,
            train_loss: values[0],
            test_loss: values[1],
            train_accuracy: classification.then_some(values[2]),
            test_accuracy: classification.then_some(values[3]),
        }
    }

    /// The model over a `resolution` x `resolution` grid of the input plane in one batched
    /// forward pass, eval mode: [resolution^2, outputs], class probabilities or regression values.
    pub fn boundary(&self, resolution: usize) -> Tensor<2> {
        let model = self.model.valid();
        let grid = boundary_grid(resolution, &self.device.clone().inner());
        let out = model.forward(grid);
        match self.dataset.task {
            Task::Classification { .. } => softmax(out, 1),
            Task::Regression => out,
        }
    }
}
