//! Training settings and the optimisers they build.

use super::adam::FusedAdam;
use burn::module::Module;
use burn::optim::decay::WeightDecayConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, AdamWConfig, GradientsParams, ModuleOptimizer, SgdConfig};
use burn::prelude::*;
use burn::tensor::Gradients;
use serde::{Deserialize, Serialize};

use super::schedule::{MAX_SCHEDULE_STEPS, ScheduleKind};
use super::stopping::StopConfig;
use crate::error::{UserError, Wording};
use crate::settings::out_of_range;

const MAX_BATCH: usize = 5000;
static LEARNING_RATE: Wording = Wording::new(
    "learning-rate",
    "learning rate must be a positive number, got {value}",
);
static BATCH_SIZE: Wording = Wording::new(
    "batch-size-range",
    "batch size must be 1-{max}, got {value}",
);
static MOMENTUM: Wording =
    Wording::new("momentum-range", "momentum must be in [0, 1), got {value}");
static WEIGHT_DECAY: Wording = Wording::new(
    "weight-decay-range",
    "weight decay must be 0 or more, got {value}",
);
static EVAL_EVERY: Wording = Wording::new("eval-every", "evaluate every must be at least 1 step");
static STOP_STEPS: Wording = Wording::new(
    "stop-steps-range",
    "stop after and patience must be 0-{max}, got {value}",
);
static TARGET_LOSS: Wording = Wording::new(
    "target-loss-range",
    "the target loss must be 0 (off) or more, got {value}",
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OptimizerKind {
    /// Stochastic gradient descent with (heavy-ball) momentum.
    Sgd,
    Adam,
    /// Adam with decoupled weight decay (Loshchilov & Hutter).
    #[serde(rename = "adamw")]
    AdamW,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct TrainConfig {
    pub optimizer: OptimizerKind,
    pub learning_rate: f64,
    pub batch_size: usize,
    /// SGD only.
    pub momentum: f64,
    /// L2 penalty; decoupled decay for AdamW.
    pub weight_decay: f64,
    /// Seeds the weights, dropout and the batch order.
    pub seed: u64,
    /// Steps between test evaluations and decision-boundary redraws.
    pub eval_every: usize,
    /// The learning rate's schedule (src/train/schedule.rs), after `warmup_steps` of linear warm-up.
    pub schedule: ScheduleKind,
    pub warmup_steps: usize,
    /// Step decay: the rate times `decay_factor` every `decay_every` steps.
    pub decay_every: usize,
    pub decay_factor: f64,
    /// Cosine: down to `cosine_floor` of the rate at step `decay_steps`, flat after it.
    pub decay_steps: usize,
    pub cosine_floor: f64,
    /// Stop conditions (src/train/stopping.rs), each 0 for off: after this many steps; when an
    /// evaluation's train loss is at most `target_loss`; when the test loss has not improved for
    /// `patience` evaluations, then with the best weights put back if `restore_best`.
    pub stop_after: usize,
    pub target_loss: f64,
    pub patience: usize,
    pub restore_best: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            optimizer: OptimizerKind::Adam,
            learning_rate: 0.01,
            batch_size: 64,
            momentum: 0.9,
            weight_decay: 0.0,
            seed: 1,
            eval_every: 50,
            schedule: ScheduleKind::Constant,
            warmup_steps: 0,
            decay_every: 1000,
            decay_factor: 0.5,
            decay_steps: 5000,
            cosine_floor: 0.1,
            stop_after: 0,
            target_loss: 0.0,
            patience: 0,
            restore_best: true,
        }
    }
}

impl TrainConfig {
    pub fn validate(&self) -> Result<(), UserError> {
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return Err(out_of_range(&LEARNING_RATE, "", self.learning_rate));
        }
        if !(1..=MAX_BATCH).contains(&self.batch_size) {
            return Err(out_of_range(&BATCH_SIZE, MAX_BATCH, self.batch_size));
        }
        if !(0.0..1.0).contains(&self.momentum) {
            return Err(out_of_range(&MOMENTUM, 1, self.momentum));
        }
        if !(self.weight_decay.is_finite() && self.weight_decay >= 0.0) {
            return Err(out_of_range(&WEIGHT_DECAY, "", self.weight_decay));
        }
        if self.eval_every == 0 {
            return Err(UserError::new(&EVAL_EVERY, []));
        }
        self.validate_schedule()?;
        if self.stop_after > MAX_SCHEDULE_STEPS || self.patience > MAX_SCHEDULE_STEPS {
            let value = self.stop_after.max(self.patience);
            return Err(out_of_range(&STOP_STEPS, MAX_SCHEDULE_STEPS, value));
        }
        if !(self.target_loss.is_finite() && self.target_loss >= 0.0) {
            return Err(out_of_range(&TARGET_LOSS, "", self.target_loss));
        }
        Ok(())
    }

    /// The stop conditions of these settings.
    pub fn stop(&self) -> StopConfig {
        StopConfig {
            stop_after: self.stop_after,
            target_loss: self.target_loss,
            patience: self.patience,
            restore_best: self.restore_best,
        }
    }

    /// The optimiser for a model on `device`: Adam on the CPU is `FusedAdam`, everything else
    /// Burn's own.
    pub fn optimizer(&self, device: &Device) -> Optimizer {
        let decay =
            (self.weight_decay > 0.0).then(|| WeightDecayConfig::new(self.weight_decay as f32));
        let burn = match self.optimizer {
            OptimizerKind::Sgd => {
                let momentum = (self.momentum > 0.0).then(|| {
                    MomentumConfig::new()
                        .with_momentum(self.momentum)
                        .with_dampening(0.0)
                });
                SgdConfig::new()
                    .with_momentum(momentum)
                    .with_weight_decay(decay)
                    .init()
            }
            OptimizerKind::Adam if crate::kernels::is_tracked_flex(device) => {
                return Optimizer::FusedAdam(FusedAdam::new(decay.map(|d| d.penalty)));
            }
            OptimizerKind::Adam => AdamConfig::new()
                .with_beta_1(super::adam::BETA_1)
                .with_beta_2(super::adam::BETA_2)
                .with_epsilon(super::adam::EPSILON)
                .with_weight_decay(decay)
                .init(),
            OptimizerKind::AdamW => AdamWConfig::new()
                .with_weight_decay(self.weight_decay as f32)
                .init(),
        };
        Optimizer::Burn(burn)
    }
}

/// What a trainer steps its model with.
pub enum Optimizer {
    Burn(ModuleOptimizer),
    FusedAdam(FusedAdam),
}

impl Optimizer {
    /// `model` after one step down the gradients of `grads` (its loss's backward pass).
    pub fn step<M: Module>(&mut self, learning_rate: f64, model: M, mut grads: Gradients) -> M {
        match self {
            Optimizer::Burn(optimizer) => {
                let grads = GradientsParams::from_grads(grads, &model);
                optimizer.step(learning_rate, model, grads)
            }
            Optimizer::FusedAdam(adam) => adam.step(learning_rate, model, &mut grads),
        }
    }
}
