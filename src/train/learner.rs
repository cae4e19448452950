//! The training loop both model families share (the Burn guide's `Learner` + `TrainStep`): a
//! model, its optimiser, minibatches drawn in a seeded order, the step count, and the train losses
//! kept on the device as tensors until the caller reads them (`take_losses`). What differs, the
//! data and how a minibatch becomes a loss, is the `TrainStep` of each family (`MlpTask`,
//! `TransformerTask`); what each family's views need lives beside its task.

use super::{Optimizer, StopReason, Stopping, TrainConfig};
use crate::data::Batcher;
use crate::events::Event;
use crate::share::{ModelKind, ParamValues};
use burn::prelude::*;

/// What one model family brings to the shared loop.
pub trait TrainStep {
    /// The network it trains (`Mlp`, `Transformer`).
    type Model: Module;
    /// What `evaluate` reports, made from its values once they are read back.
    type Evaluation: serde::Serialize;
    /// The model kind in links, and its name in files and in the page.
    const KIND: ModelKind;
    const KIND_NAME: &'static str;

    /// Train examples: an epoch is this many, drawn in minibatches.
    fn train_len(&self) -> usize;
    /// The loss of train examples `indices` under `model` (train mode), [1], on `device` (the
    /// autodiff device, so that its backward pass gives the gradients).
    fn loss(&self, model: &Self::Model, indices: &[usize], device: &Device) -> Tensor<1>;
    /// The train and test metrics of `model` (eval mode, on the plain `device`), still on the
    /// device.
    fn evaluate(&self, model: &Self::Model, device: &Device) -> Tensor<1>;
    /// Names the values of `evaluate` at `step`.
    fn evaluation(&self, step: usize, values: &[f32]) -> Self::Evaluation;
    /// Number of trainable scalars of `model`.
    fn parameters(model: &Self::Model) -> usize;
    /// `model`'s layers, shapes and parameter counts, as Keras's `summary()`.
    fn summary(model: &Self::Model) -> crate::model::ModelSummary;
}

pub struct Learner<T: TrainStep> {
    model: T::Model,
    optimizer: Optimizer,
    /// Autodiff device the model trains on.
    device: Device,
    batcher: Batcher,
    /// The settings the rate of each step (its base rate and schedule) and the stop conditions
    /// come from; the rest of them is in force elsewhere (optimiser, batcher).
    train: TrainConfig,
    /// Stop conditions met, and the best weights for early stopping.
    stopping: Stopping<T::Model>,
    step: usize,
    /// Train examples drawn so far (the epoch count; the batch size may change on the way).
    examples: usize,
    /// Train loss of each step not yet read, [1] each, detached from the graph.
    pending_losses: Vec<Tensor<1>>,
    /// The data and what the family's views need.
    task: T,
}

impl<T: TrainStep> Learner<T> {
    /// `model` (already on `device`, an autodiff device, in train mode) learning `task` as
    /// `train` says: its optimiser, learning rate, batch size and seed (for the batch order).
    pub fn with_task(task: T, model: T::Model, train: &TrainConfig, device: Device) -> Self {
        Self {
            model,
            optimizer: train.optimizer(&device),
            batcher: Batcher::new(task.train_len(), train.batch_size, train.seed),
            train: train.clone(),
            stopping: Stopping::default(),
            step: 0,
            examples: 0,
            pending_losses: Vec::new(),
            task,
            device,
        }
    }

    pub fn task(&self) -> &T {
        &self.task
    }

    pub fn model(&self) -> &T::Model {
        &self.model
    }

    /// The model, to change what it does from the next step on (its dropout rates).
    pub fn model_mut(&mut self) -> &mut T::Model {
        &mut self.model
    }

    /// The base learning rate, its schedule and the stop conditions of `train`, from the next step.
    pub fn set_schedule(&mut self, train: &TrainConfig) {
        self.train = train.clone();
    }

    /// Later minibatches have `batch_size` examples; the epoch's order goes on.
    pub fn set_batch_size(&mut self, batch_size: usize) {
        self.batcher.set_batch_size(batch_size);
    }

    /// A fresh optimiser of `train`'s kind and parameters.
    pub fn restart_optimizer(&mut self, train: &TrainConfig) {
        self.optimizer = train.optimizer(&self.device);
    }

    /// Sets the weight decay of an optimiser whose state is kept across it (the CPU's Adam);
    /// false for the others, which leaves them unchanged.
    pub fn keep_optimizer_with_decay(&mut self, weight_decay: f64) -> bool {
        match &mut self.optimizer {
            Optimizer::FusedAdam(adam) => {
                adam.set_weight_decay((weight_decay > 0.0).then_some(weight_decay as f32));
                true
            }
            Optimizer::Burn(_) => false,
        }
    }

    /// The autodiff device the model trains on.
    pub fn device(&self) -> &Device {
        &self.device
    }

    /// The plain device (no autodiff) for evaluation and the views.
    pub fn plain_device(&self) -> Device {
        self.device.clone().inner()
    }

    /// The model in eval mode (dropout off) on the plain device.
    pub fn eval_model(&self) -> T::Model {
        self.model.valid()
    }

    /// One optimiser step on the next minibatch. Returns the batch loss, [1], still on the device.
    pub fn step(&mut self) -> Tensor<1> {
        self.step_with(|_, _, _| {})
    }

    /// As `step`, then `also` with the task, the same minibatch's example indices and the
    /// device: a companion model trains on exactly the batches this one does (the recipe's
    /// input-independent baseline).
    pub fn step_with(&mut self, also: impl FnOnce(&T, &[usize], &Device)) -> Tensor<1> {
        let indices = self.batcher.next_indices();
        self.examples += indices.len();
        let loss = self.task.loss(&self.model, &indices, &self.device);
        let learning_rate = self.learning_rate();
        self.model = self
            .optimizer
            .step(learning_rate, self.model.clone(), loss.backward());
        self.step += 1;
        also(&self.task, &indices, &self.device);
        loss.inner()
    }

    /// The learning rate of the next step, as the schedule has it.
    pub fn learning_rate(&self) -> f64 {
        self.train.learning_rate_at(self.step)
    }

    /// Of `steps` wanted, how many may be taken before a stop condition (`stop_after`).
    pub fn room(&mut self, steps: usize) -> usize {
        let config = self.train.stop();
        self.stopping.room(&config, self.step, steps)
    }

    /// Keeps `loss` [1] with the losses `take_losses` reads (a step taken by `step_with`).
    pub fn keep_loss(&mut self, loss: Tensor<1>) {
        self.pending_losses.push(loss);
    }

    /// Names the values of `evaluate`.
    pub fn evaluation(&self, values: &[f32]) -> T::Evaluation {
        self.task.evaluation(self.step, values)
    }
}

/// The shared loop as the page drives it, whatever the model family: one object-safe trait, so
/// a session over either family dispatches once (src/web/session.rs).
pub trait Learning {
    /// The model kind in links, and its name in files and in the page.
    fn kind(&self) -> ModelKind;
    fn kind_name(&self) -> &'static str;
    /// `steps` optimiser steps; their losses wait on the device until `take_losses`.
    fn train(&mut self, steps: usize);
    /// The losses of the steps since the last call, as one tensor [steps] (one readback).
    fn take_losses(&mut self) -> Option<Tensor<1>>;
    fn step_count(&self) -> usize;
    /// Epochs done, fractional.
    fn epoch(&self) -> f64;
    /// Number of trainable scalars.
    fn parameters(&self) -> usize;
    /// The model's layers, shapes and parameter counts (`crate::model::ModelSummary`).
    fn summary(&self) -> crate::model::ModelSummary;
    /// The parameters, still on the device, for one async read: (names, shapes, values).
    fn params(&self) -> (Vec<String>, Vec<Vec<usize>>, Tensor<1>);
    /// Replaces the weights by `params` (checked against the architecture) and sets the step
    /// count, as when a shared model is opened. The optimiser starts afresh.
    fn load(&mut self, params: &ParamValues, step: usize) -> Result<(), String>;
    /// The train and test metrics in eval mode, still on the device: read it with `read_floats`
    /// and pass the values to `evaluation` (or `Learner::evaluation` for the typed struct).
    fn evaluate(&self) -> Tensor<1>;
    /// The `eval` message of the values of `evaluate`.
    fn evaluation_event(&self, values: &[f32]) -> Event;
    /// The values of `evaluate` read back, for the stop conditions (whose first two values are
    /// the train and the test loss in both families): an early stop puts the best weights back.
    fn evaluated(&mut self, values: &[f32]);
    /// Why training stopped by itself, until `resume`.
    fn stopped(&self) -> Option<StopReason>;
    /// Play again after a stop.
    fn resume(&mut self);
    /// The learning rate of the next step.
    fn scheduled_rate(&self) -> f64;
}

impl<T: TrainStep> Learning for Learner<T>
where
    T::Evaluation: Into<Event>,
{
    fn kind(&self) -> ModelKind {
        T::KIND
    }

    fn kind_name(&self) -> &'static str {
        T::KIND_NAME
    }

    fn train(&mut self, steps: usize) {
        for _ in 0..self.room(steps) {
            let loss = self.step();
            self.pending_losses.push(loss);
        }
    }

    fn take_losses(&mut self) -> Option<Tensor<1>> {
        let losses = std::mem::take(&mut self.pending_losses);
        (!losses.is_empty()).then(|| Tensor::cat(losses, 0))
    }

    fn step_count(&self) -> usize {
        self.step
    }

    fn epoch(&self) -> f64 {
        self.examples as f64 / self.task.train_len() as f64
    }

    fn parameters(&self) -> usize {
        T::parameters(&self.model)
    }

    fn summary(&self) -> crate::model::ModelSummary {
        T::summary(&self.model)
    }

    fn params(&self) -> (Vec<String>, Vec<Vec<usize>>, Tensor<1>) {
        crate::share::param_tensors(&self.model)
    }

    fn load(&mut self, params: &ParamValues, step: usize) -> Result<(), String> {
        self.model = crate::share::load_params(self.model.clone(), params)?;
        self.step = step;
        // A shared model's epochs: as if every step had had today's batch size.
        self.examples = step * self.batcher.batch_size();
        Ok(())
    }

    fn evaluate(&self) -> Tensor<1> {
        self.task.evaluate(&self.eval_model(), &self.plain_device())
    }

    fn evaluated(&mut self, values: &[f32]) {
        let config = self.train.stop();
        let losses = (values[0], values[1]);
        if let Some(best) = self
            .stopping
            .evaluated(&config, self.step, losses, &self.model)
        {
            self.model = best;
        }
    }

    fn stopped(&self) -> Option<StopReason> {
        self.stopping.stopped()
    }

    fn resume(&mut self) {
        self.stopping.resume();
    }

    fn scheduled_rate(&self) -> f64 {
        self.learning_rate()
    }

    fn evaluation_event(&self, values: &[f32]) -> Event {
        self.evaluation(values).into()
    }
}
