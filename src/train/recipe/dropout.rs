//! "Dropout in train and eval mode": the same batch, the same weights, two losses. In train mode
//! dropout zeroes each unit with probability p (and scales the rest by 1/(1-p)), so the loss is
//! noisy and usually higher; in eval mode every unit is on. Evaluation turns dropout off so that
//! a model's score does not depend on a coin toss, and so that it measures the whole network.

use super::overfit::OVERFIT_ROWS;
use crate::train::{Trainer, loss};
use burn::prelude::*;
use serde::Serialize;

/// Train-mode passes averaged (each draws its own dropout masks).
pub const DROPOUT_SAMPLES: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DropoutLosses {
    pub rows: usize,
    /// The mean over `DROPOUT_SAMPLES` train-mode passes, and their lowest and highest.
    pub train_mode: f32,
    pub train_min: f32,
    pub train_max: f32,
    pub eval_mode: f32,
    /// Some hidden layer has dropout > 0 (otherwise both modes are the same network).
    pub has_dropout: bool,
}

impl Trainer {
    /// The loss of the first min(batch, `OVERFIT_ROWS`) train examples: `DROPOUT_SAMPLES`
    /// passes in train mode, then one in eval mode, [samples + 1], still on the device. The
    /// train-mode passes draw from the device's generator, as training does.
    pub fn dropout_losses(&self, batch_size: usize) -> Tensor<1> {
        let task = self.dataset().task;
        let rows = batch_size.clamp(1, OVERFIT_ROWS);
        let train = self.task().first_rows(rows, self.device());
        let mut losses: Vec<Tensor<1>> = (0..DROPOUT_SAMPLES)
            .map(|_| loss(task, self.model().forward(train.x.clone()), train.y.clone()).inner())
            .collect();
        let eval = self.task().first_rows(rows, &self.plain_device());
        losses.push(loss(task, self.eval_model().forward(eval.x), eval.y));
        Tensor::cat(losses, 0)
    }

    /// Names the values of `dropout_losses`.
    pub fn dropout_check(&self, batch_size: usize, values: &[f32]) -> DropoutLosses {
        let (train, eval) = values.split_at(values.len() - 1);
        let mean = train.iter().sum::<f32>() / train.len().max(1) as f32;
        DropoutLosses {
            rows: batch_size
                .clamp(1, OVERFIT_ROWS)
                .min(self.dataset().train.len()),
            train_mode: mean,
            train_min: train.iter().copied().fold(f32::INFINITY, f32::min),
            train_max: train.iter().copied().fold(f32::NEG_INFINITY, f32::max),
            eval_mode: eval[0],
            has_dropout: self.model().hidden.iter().any(|h| h.dropout.prob > 0.0),
        }
    }
}
