//! Settings changed on the model in force: which changes a running model can take as it is
//! (the training settings and the dropout rates: TF Playground's "change the learning rate
//! without a reset"), which need a new model (data, architecture, init, seed), and putting the
//! first kind in force from the next step on, the weights and the step kept.

use super::budget::{Budget, check_mlp, check_transformer};
use super::memory::{MlpData, SequenceShape};
use super::{Learner, OptimizerKind, SequenceTrainer, TrainConfig, TrainStep, Trainer};
use crate::{SequenceSettings, Settings, SettingsError};
use burn::nn::DropoutConfig;

/// What a change of settings did to the model in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Retuned {
    /// Each change in words, e.g. "learning rate 0.01 → 0.003".
    pub changes: Vec<String>,
    /// The optimiser's state (its moments) started afresh: another optimiser, or a parameter
    /// of one whose state is not carried over.
    pub optimizer_restarted: bool,
}

impl TrainConfig {
    /// `next` differs from these only where a running model can take it (not the seed, which
    /// drew the weights).
    pub fn retunable_to(&self, next: &TrainConfig) -> bool {
        self.seed == next.seed
    }

    /// The changes from these to `next`, in words.
    pub fn changes_to(&self, next: &TrainConfig) -> Vec<String> {
        let mut changes = Vec::new();
        let mut note = |name: &str, from: String, to: String| {
            if from != to {
                changes.push(format!("{name} {from} → {to}"));
            }
        };
        note(
            "optimiser",
            optimizer_name(self.optimizer).into(),
            optimizer_name(next.optimizer).into(),
        );
        note(
            "learning rate",
            self.learning_rate.to_string(),
            next.learning_rate.to_string(),
        );
        note(
            "batch size",
            self.batch_size.to_string(),
            next.batch_size.to_string(),
        );
        if next.optimizer == OptimizerKind::Sgd {
            note(
                "momentum",
                self.momentum.to_string(),
                next.momentum.to_string(),
            );
        }
        note(
            "weight decay",
            self.weight_decay.to_string(),
            next.weight_decay.to_string(),
        );
        note(
            "evaluate every",
            self.eval_every.to_string(),
            next.eval_every.to_string(),
        );
        note(
            "schedule",
            format!("{:?}", self.schedule).to_lowercase(),
            format!("{:?}", next.schedule).to_lowercase(),
        );
        let schedule_or_stop = |c: &TrainConfig| {
            (
                c.warmup_steps,
                c.decay_every,
                c.decay_factor.to_bits(),
                c.decay_steps,
                c.cosine_floor.to_bits(),
                (
                    c.stop_after,
                    c.target_loss.to_bits(),
                    c.patience,
                    c.restore_best,
                ),
            )
        };
        if self.schedule == next.schedule && schedule_or_stop(self) != schedule_or_stop(next) {
            changes.push("schedule or stop conditions".into());
        }
        changes
    }
}

fn optimizer_name(kind: OptimizerKind) -> &'static str {
    match kind {
        OptimizerKind::Sgd => "SGD",
        OptimizerKind::Adam => "Adam",
        OptimizerKind::AdamW => "AdamW",
    }
}

/// "dropout 0 → 0.2", or for an MLP with several layers "layer 2 dropout 0 → 0.2".
fn dropout_change(layer: Option<usize>, from: f64, to: f64) -> Option<String> {
    (from != to).then(|| match layer {
        Some(i) => format!("layer {} dropout {from} → {to}", i + 1),
        None => format!("dropout {from} → {to}"),
    })
}

impl Settings {
    /// The changes to `next` when the model built from these can take them as it is; None
    /// when `next` needs a new model (another dataset, architecture, init or seed).
    pub fn live_changes(&self, next: &Settings) -> Option<Vec<String>> {
        // `next` with everything a model can take live set back to these: what is left differs.
        let mut fixed = next.clone();
        fixed.train = self.train.clone();
        for (layer, ours) in fixed.model.hidden.iter_mut().zip(&self.model.hidden) {
            layer.dropout = ours.dropout;
        }
        if fixed != *self || !self.train.retunable_to(&next.train) {
            return None;
        }
        let mut changes = self.train.changes_to(&next.train);
        let many = self.model.hidden.len() > 1;
        for (i, (ours, theirs)) in self.model.hidden.iter().zip(&next.model.hidden).enumerate() {
            let layer = many.then_some(i);
            changes.extend(dropout_change(layer, ours.dropout, theirs.dropout));
        }
        Some(changes)
    }
}

impl SequenceSettings {
    /// As `Settings::live_changes`, for the transformer.
    pub fn live_changes(&self, next: &SequenceSettings) -> Option<Vec<String>> {
        let mut fixed = next.clone();
        fixed.train = self.train.clone();
        fixed.model.dropout = self.model.dropout;
        if fixed != *self || !self.train.retunable_to(&next.train) {
            return None;
        }
        let mut changes = self.train.changes_to(&next.train);
        changes.extend(dropout_change(None, self.model.dropout, next.model.dropout));
        Some(changes)
    }
}

impl<T: TrainStep> Learner<T> {
    /// Puts the training settings `next` in force from the next step (the weights and the step
    /// stay); `current` are those in force until now. Returns whether the optimiser's state
    /// started afresh: for another optimiser, and for new momentum or weight decay except on the
    /// CPU's Adam, whose state is ours to keep (Burn's optimisers would have to read their
    /// state back synchronously to carry it, which traps on WebGPU).
    pub fn retune_training(&mut self, current: &TrainConfig, next: &TrainConfig) -> bool {
        self.set_schedule(next);
        self.set_batch_size(next.batch_size);
        let same_kind = current.optimizer == next.optimizer;
        let momentum_same =
            next.optimizer != OptimizerKind::Sgd || current.momentum == next.momentum;
        if same_kind && momentum_same && current.weight_decay == next.weight_decay {
            return false;
        }
        if same_kind && momentum_same && self.keep_optimizer_with_decay(next.weight_decay) {
            return false;
        }
        self.restart_optimizer(next);
        true
    }
}

impl Trainer {
    /// `next` on this model, when it can take it as it is (`Settings::live_changes`); None when
    /// it needs a new model, and then nothing changed. A larger batch is checked against the
    /// memory budget first (src/train/budget.rs): over it, the error, and nothing changed.
    pub fn retune(
        &mut self,
        current: &Settings,
        next: &Settings,
    ) -> Result<Option<Retuned>, SettingsError> {
        let Some(changes) = current.live_changes(next) else {
            return Ok(None);
        };
        check_mlp(
            next,
            &MlpData::of(self.dataset()),
            &Budget::of(&self.plain_device()),
        )?;
        let optimizer_restarted = self.retune_training(&current.train, &next.train);
        for (hidden, layer) in self.model_mut().hidden.iter_mut().zip(&next.model.hidden) {
            hidden.dropout = DropoutConfig::new(layer.dropout).init();
        }
        Ok(Some(Retuned {
            changes,
            optimizer_restarted,
        }))
    }
}

impl SequenceTrainer {
    /// As `Trainer::retune`, for the transformer.
    pub fn retune(
        &mut self,
        current: &SequenceSettings,
        next: &SequenceSettings,
    ) -> Result<Option<Retuned>, SettingsError> {
        let Some(changes) = current.live_changes(next) else {
            return Ok(None);
        };
        check_transformer(
            next,
            &SequenceShape::of(self.data()),
            &Budget::of(&self.plain_device()),
        )?;
        let optimizer_restarted = self.retune_training(&current.train, &next.train);
        let rate = next.model.dropout;
        for block in &mut self.model_mut().blocks {
            block.dropout = DropoutConfig::new(rate).init();
            block.attention.dropout = DropoutConfig::new(rate).init();
        }
        Ok(Some(Retuned {
            changes,
            optimizer_restarted,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn training_settings_and_dropout_are_live_the_rest_is_not() {
        let current = Settings::default();
        let mut next = current.clone();
        next.train.learning_rate = 0.003;
        next.train.eval_every = 10;
        next.model.hidden[1].dropout = 0.2;
        assert_eq!(
            current.live_changes(&next).unwrap(),
            [
                "learning rate 0.01 → 0.003",
                "evaluate every 50 → 10",
                "layer 2 dropout 0 → 0.2"
            ]
        );
        let mut seeded = current.clone();
        seeded.train.seed = 2;
        assert_eq!(current.live_changes(&seeded), None);
        let mut wider = current.clone();
        wider.model.hidden[0].units = 8;
        assert_eq!(current.live_changes(&wider), None);
        let mut other_data = current.clone();
        other_data.data.noise += 0.1;
        assert_eq!(current.live_changes(&other_data), None);
        assert_eq!(current.live_changes(&current), Some(vec![]));
    }

    #[test]
    fn a_transformers_dropout_is_live_its_width_is_not() {
        let current = SequenceSettings::default();
        let mut next = current.clone();
        next.model.dropout = 0.1;
        next.train.optimizer = OptimizerKind::Sgd;
        assert_eq!(
            current.live_changes(&next).unwrap(),
            ["optimiser Adam → SGD", "dropout 0 → 0.1"]
        );
        let mut wider = current.clone();
        wider.model.d_model = 64;
        assert_eq!(current.live_changes(&wider), None);
    }
}
