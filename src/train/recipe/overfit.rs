//! "Overfit one batch": a network that can learn anything must be able to memorise a handful of
//! examples. Train a copy of the model on one small fixed batch until its loss is near zero; if it
//! cannot, the way it fails names the likely cause: a loss that stays high says the network has
//! too little capacity (or its units died), one that blows up or swings says the learning rate is
//! too high. The user's model, its optimiser state and its batch order are never touched: the
//! copy is dropped at the end, so "back to the full data with the weights from before" holds by
//! construction.

use crate::data::Batch;
use crate::model::Mlp;
use crate::train::{Optimizer, TrainConfig, Trainer, loss};
use burn::nn::DropoutConfig;
use burn::prelude::*;
use serde::Serialize;

/// Examples in the batch at most (the first of the shuffled train split).
pub const OVERFIT_ROWS: usize = 64;
/// Steps before giving up.
pub const OVERFIT_STEPS: usize = 2000;
/// The loss that counts as memorised.
pub const OVERFIT_TARGET: f32 = 0.01;
/// Steps between readbacks of the losses (the caller's chunks).
pub const OVERFIT_CHUNK: usize = 100;

/// How an overfitting run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum OverfitVerdict {
    /// The loss went below `OVERFIT_TARGET`.
    Reached,
    /// It stayed high and flat: too little capacity, or dead units.
    Plateau,
    /// It became non-finite or ended above where it started: the learning rate is too high.
    Diverged,
    /// It swings up and down without settling: the learning rate is too high.
    Oscillating,
    /// It was still falling when the budget ran out: more steps or a higher learning rate.
    Slow,
}

/// The run's result, for the page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OverfitReport {
    pub rows: usize,
    pub steps: usize,
    pub first_loss: f32,
    pub final_loss: f32,
    pub verdict: OverfitVerdict,
    /// The loss every few steps (at most 200 values), for a small curve; a dense array for the
    /// page (src/events.rs).
    #[serde(skip)]
    pub curve: Vec<f32>,
}

/// A run in progress: a copy of the model (dropout off: memorising is about capacity, not
/// regularisation), a fresh optimiser of the training settings, and the batch.
pub struct OverfitBatch {
    model: Mlp,
    optimizer: Optimizer,
    batch: Batch,
    learning_rate: f64,
    losses: Vec<f32>,
}

impl OverfitBatch {
    /// A copy of `trainer`'s model as it is now, to train on its first
    /// min(batch size, `OVERFIT_ROWS`) train examples with a fresh optimiser of `train`.
    pub fn new(trainer: &Trainer, train: &TrainConfig) -> Self {
        let device = trainer.device();
        let mut model = trainer.model().clone();
        for hidden in &mut model.hidden {
            hidden.dropout = DropoutConfig::new(0.0).init();
        }
        let rows = train.batch_size.clamp(1, OVERFIT_ROWS);
        Self {
            model,
            optimizer: train.optimizer(device),
            batch: trainer.task().first_rows(rows, device),
            learning_rate: trainer.learning_rate(),
            losses: Vec::new(),
        }
    }

    pub fn rows(&self) -> usize {
        self.batch.x.dims()[0]
    }

    /// `steps` more steps on the batch: their losses [steps], still on the device.
    pub fn train(&mut self, trainer: &Trainer, steps: usize) -> Tensor<1> {
        let task = trainer.dataset().task;
        let losses = (0..steps)
            .map(|_| {
                let l = loss(
                    task,
                    self.model.forward(self.batch.x.clone()),
                    self.batch.y.clone(),
                );
                self.model =
                    self.optimizer
                        .step(self.learning_rate, self.model.clone(), l.backward());
                l.inner()
            })
            .collect();
        Tensor::cat(losses, 0)
    }

    /// Records the values of `train`'s losses; true when the run is over (the target reached,
    /// a non-finite loss, or the budget spent).
    pub fn record(&mut self, losses: &[f32]) -> bool {
        for &l in losses {
            self.losses.push(l);
            if l < OVERFIT_TARGET || !l.is_finite() {
                return true;
            }
        }
        self.losses.len() >= OVERFIT_STEPS
    }

    /// Steps still allowed.
    pub fn left(&self) -> usize {
        OVERFIT_STEPS.saturating_sub(self.losses.len())
    }

    pub fn report(&self) -> OverfitReport {
        let l = &self.losses;
        let stride = l.len().div_ceil(200).max(1);
        OverfitReport {
            rows: self.rows(),
            steps: l.len(),
            first_loss: l.first().copied().unwrap_or(f32::NAN),
            final_loss: l.last().copied().unwrap_or(f32::NAN),
            verdict: verdict(l),
            curve: l.iter().step_by(stride).copied().collect(),
        }
    }
}

/// Why a run ended where it did: its losses, step by step.
fn verdict(losses: &[f32]) -> OverfitVerdict {
    let (Some(&first), Some(&last)) = (losses.first(), losses.last()) else {
        return OverfitVerdict::Slow;
    };
    if last < OVERFIT_TARGET {
        return OverfitVerdict::Reached;
    }
    if !last.is_finite() || last > first {
        return OverfitVerdict::Diverged;
    }
    // The last fifth of the run against the fifth before it.
    let fifth = (losses.len() / 5).max(1);
    let tail = &losses[losses.len() - fifth..];
    let before = &losses[losses.len().saturating_sub(2 * fifth)..losses.len() - fifth];
    let mean = |s: &[f32]| s.iter().sum::<f32>() / s.len().max(1) as f32;
    let (lo, hi) = tail
        .iter()
        .fold((f32::MAX, f32::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    // Swinging: wide, and going up and down far more than it goes anywhere (a curve that
    // falls steadily travels no further than its net fall).
    let travel: f32 = tail.windows(2).map(|w| (w[1] - w[0]).abs()).sum();
    let net = (tail[tail.len() - 1] - tail[0]).abs();
    if hi > 2.0 * lo.max(OVERFIT_TARGET) && travel > 3.0 * net {
        return OverfitVerdict::Oscillating;
    }
    if before.is_empty() || mean(tail) > 0.9 * mean(before) {
        return OverfitVerdict::Plateau;
    }
    OverfitVerdict::Slow
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_of_shapes_of_curves() {
        let falling: Vec<f32> = (0..101).map(|i| 1.0 - i as f32 * 0.00999).collect();
        assert_eq!(verdict(&falling), OverfitVerdict::Reached);
        // Falling steeply but not there yet: slow, not swinging.
        assert_eq!(verdict(&falling[..99]), OverfitVerdict::Slow);
        let flat = vec![0.69f32; 100];
        assert_eq!(verdict(&flat), OverfitVerdict::Plateau);
        let mut nan = vec![0.7f32; 10];
        nan.push(f32::NAN);
        assert_eq!(verdict(&nan), OverfitVerdict::Diverged);
        let swing: Vec<f32> = (0..100)
            .map(|i| if i % 2 == 0 { 0.1 } else { 0.6 })
            .collect();
        assert_eq!(
            verdict(&[vec![0.7], swing].concat()),
            OverfitVerdict::Oscillating
        );
        let slow: Vec<f32> = (0..100).map(|i| 1.0 / (1.0 + i as f32 * 0.1)).collect();
        assert_eq!(verdict(&slow), OverfitVerdict::Slow);
    }
}
