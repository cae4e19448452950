//! What the page drives on either trainer (the MLP's and the transformer's), so that the wasm
//! layer and sharing are written once for both.

use crate::share::{ModelKind, ParamValues};
use burn::prelude::*;

pub trait TrainingSession {
    /// The model kind in links, and its name in files and in the page.
    const KIND: ModelKind;
    const KIND_NAME: &'static str;
    /// `steps` optimiser steps; their losses wait on the device until `take_losses`.
    fn train(&mut self, steps: usize);
    /// The losses of the steps since the last call, as one tensor [steps] (one readback).
    fn take_losses(&mut self) -> Option<Tensor<1>>;
    fn step_count(&self) -> usize;
    /// Epochs done, fractional.
    fn epoch(&self) -> f64;
    /// Number of trainable scalars.
    fn parameters(&self) -> usize;
    /// The parameters, still on the device, for one async read: (names, shapes, values).
    fn params(&self) -> (Vec<String>, Vec<Vec<usize>>, Tensor<1>);
    /// Replaces the weights (checked against the architecture) and the step count, as when a
    /// shared model is opened. The optimiser starts afresh.
    fn load(&mut self, params: &ParamValues, step: usize) -> Result<(), String>;
    /// What `evaluate` reports, made from its values once they are read back.
    type Evaluation: serde::Serialize;
    /// The train and test losses (and accuracies), still on the device, for one async read.
    fn evaluate(&self) -> Tensor<1>;
    fn evaluation(&self, values: &[f32]) -> Self::Evaluation;
}

/// Implements the trait by delegating to the trainer's inherent methods of the same names.
macro_rules! delegate {
    ($ty:ty, $kind:expr, $name:expr, $evaluation:ty) => {
        impl TrainingSession for $ty {
            const KIND: ModelKind = $kind;
            const KIND_NAME: &'static str = $name;
            type Evaluation = $evaluation;
            fn evaluate(&self) -> Tensor<1> {
                <$ty>::evaluate(self)
            }
            fn evaluation(&self, values: &[f32]) -> $evaluation {
                <$ty>::evaluation(self, values)
            }
            fn train(&mut self, steps: usize) {
                <$ty>::train(self, steps)
            }
            fn take_losses(&mut self) -> Option<Tensor<1>> {
                <$ty>::take_losses(self)
            }
            fn step_count(&self) -> usize {
                <$ty>::step_count(self)
            }
            fn epoch(&self) -> f64 {
                <$ty>::epoch(self)
            }
            fn parameters(&self) -> usize {
                self.model().parameters()
            }
            fn params(&self) -> (Vec<String>, Vec<Vec<usize>>, Tensor<1>) {
                <$ty>::params(self)
            }
            fn load(&mut self, params: &ParamValues, step: usize) -> Result<(), String> {
                <$ty>::load(self, params, step)
            }
        }
    };
}

delegate!(super::Trainer, 0, "points", super::Evaluation);
delegate!(
    super::SequenceTrainer,
    1,
    "sequences",
    super::SequenceEvaluation
);
