//! "Input-independent baseline": the same network trained with every input set to zero can only
//! learn the targets' prior (the class frequencies, or the mean), so its loss settles near ln C
//! for balanced classes (the variance for regression). The gap between its curve and the real
//! one is what the model learns from its inputs; no gap means it learns nothing from them.
//! It starts from the same initial weights and trains on exactly the same batches (`step_with`),
//! with its own optimiser at the same learning rate, only while the check is on.

use crate::Settings;
use crate::model::Mlp;
use crate::train::trainer::initial_mlp;
use crate::train::{Optimizer, Trainer};
use burn::prelude::*;

pub struct Baseline {
    model: Mlp,
    optimizer: Optimizer,
    /// Its loss at each step not yet read, [1] each.
    pending: Vec<Tensor<1>>,
}

impl Baseline {
    /// The model `settings` build before their first step, on `trainer`'s device.
    pub fn new(trainer: &Trainer, settings: &Settings) -> Self {
        let device = trainer.device();
        Self {
            model: initial_mlp(settings, trainer.dataset())
                .to_device(device)
                .train(),
            optimizer: settings.train.optimizer(device),
            pending: Vec::new(),
        }
    }

    /// The losses since the last call, as one tensor [steps] (one readback).
    pub fn take_losses(&mut self) -> Option<Tensor<1>> {
        let losses = std::mem::take(&mut self.pending);
        (!losses.is_empty()).then(|| Tensor::cat(losses, 0))
    }

    pub fn model(&self) -> &Mlp {
        &self.model
    }
}

impl Trainer {
    /// `steps` steps of this model and of `baseline` on the same batches; both losses wait on
    /// the device until read (`take_losses`, `Baseline::take_losses`).
    pub fn train_with_baseline(&mut self, steps: usize, baseline: &mut Baseline) {
        // The stop conditions hold with the baseline on too (a step limit ends both).
        for _ in 0..self.room(steps) {
            let learning_rate = self.learning_rate();
            let loss = self.step_with(|task, indices, device| {
                let l = task.loss_without_inputs(&baseline.model, indices, device);
                baseline.model =
                    baseline
                        .optimizer
                        .step(learning_rate, baseline.model.clone(), l.backward());
                baseline.pending.push(l.inner());
            });
            self.keep_loss(loss);
        }
    }
}
