//! When training stops by itself: after N steps, when an evaluation's train loss reaches a
//! target, or early, when the test loss has not improved for `patience` evaluations (Keras's
//! `EarlyStopping`), then with the weights of the best evaluation put back
//! (`restore_best_weights`). The loop asks `room` before it trains and tells `evaluated` each
//! evaluation; the best weights are a clone of the model (its tensors are shared, not copied,
//! until the optimiser replaces them), kept only while early stopping restores them.

use serde::Serialize;

/// Why training stopped, for the page to say (www/protocol.js `StopReason`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum StopReason {
    /// `stop_after` steps were taken.
    #[serde(rename_all = "camelCase")]
    AfterSteps { step: usize },
    /// The evaluation at `step` had a train loss of `loss`, at most the target.
    #[serde(rename_all = "camelCase")]
    TargetLoss { step: usize, loss: f32, target: f64 },
    /// The test loss had not improved for `patience` evaluations since `best_step`.
    #[serde(rename_all = "camelCase")]
    EarlyStopping {
        step: usize,
        patience: usize,
        best_step: usize,
        best_loss: f32,
        restored: bool,
    },
}

/// What the settings ask (`TrainConfig`'s stop fields; 0 is off).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StopConfig {
    pub stop_after: usize,
    pub target_loss: f64,
    pub patience: usize,
    pub restore_best: bool,
}

/// The stopping state of one run of a model `M`.
#[derive(Debug, Clone)]
pub struct Stopping<M> {
    /// The best evaluation: step, test loss, and the weights when they will be restored.
    best: Option<(usize, f32, Option<M>)>,
    /// Evaluations since the best.
    since_best: usize,
    stopped: Option<StopReason>,
}

impl<M: Clone> Default for Stopping<M> {
    fn default() -> Self {
        Self {
            best: None,
            since_best: 0,
            stopped: None,
        }
    }
}

impl<M: Clone> Stopping<M> {
    /// How many of `steps` may be taken from `step`; records the stop when `stop_after` is hit.
    pub fn room(&mut self, config: &StopConfig, step: usize, steps: usize) -> usize {
        if config.stop_after == 0 {
            return steps;
        }
        let room = config.stop_after.saturating_sub(step).min(steps);
        if step + room >= config.stop_after {
            self.stopped = Some(StopReason::AfterSteps {
                step: step.max(config.stop_after),
            });
        }
        room
    }

    /// The evaluation of `model` at `step` read back. Returns the weights to put back when it
    /// stops early.
    pub fn evaluated(
        &mut self,
        config: &StopConfig,
        step: usize,
        (train_loss, test_loss): (f32, f32),
        model: &M,
    ) -> Option<M> {
        if config.target_loss > 0.0 && f64::from(train_loss) <= config.target_loss {
            self.stopped = Some(StopReason::TargetLoss {
                step,
                loss: train_loss,
                target: config.target_loss,
            });
        }
        if config.patience == 0 {
            return None;
        }
        let improved = test_loss.is_finite()
            && self
                .best
                .as_ref()
                .is_none_or(|(_, best, _)| test_loss < *best);
        if improved {
            self.best = Some((step, test_loss, config.restore_best.then(|| model.clone())));
            self.since_best = 0;
            return None;
        }
        self.since_best += 1;
        if self.since_best < config.patience {
            return None;
        }
        let (best_step, best_loss, best_weights) = self.best.clone()?;
        let restored = config.restore_best && best_weights.is_some();
        self.stopped = Some(StopReason::EarlyStopping {
            step,
            patience: config.patience,
            best_step,
            best_loss,
            restored,
        });
        // Patience starts over if the user plays on from the restored weights.
        self.since_best = 0;
        if restored { best_weights } else { None }
    }

    /// Why training stopped, until `resume`.
    pub fn stopped(&self) -> Option<StopReason> {
        self.stopped
    }

    /// Play again: the stop is forgotten (the best so far is kept).
    pub fn resume(&mut self) {
        self.stopped = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EARLY: StopConfig = StopConfig {
        stop_after: 0,
        target_loss: 0.0,
        patience: 2,
        restore_best: true,
    };

    #[test]
    fn stops_after_n_steps_exactly() {
        let config = StopConfig {
            stop_after: 25,
            ..EARLY
        };
        let mut s = Stopping::<u32>::default();
        assert_eq!(s.room(&config, 0, 10), 10);
        assert_eq!(s.stopped(), None);
        assert_eq!(s.room(&config, 20, 10), 5);
        assert_eq!(s.stopped(), Some(StopReason::AfterSteps { step: 25 }));
        s.resume();
        assert_eq!(
            s.room(&config, 25, 10),
            0,
            "stays stopped until the limit is raised"
        );
    }

    #[test]
    fn early_stopping_waits_its_patience_and_hands_back_the_best_weights() {
        let mut s = Stopping::<u32>::default();
        let losses = [(50, 1.0), (100, 0.5), (150, 0.6), (200, 0.7)];
        let mut back = None;
        for (step, loss) in losses {
            back = s.evaluated(&EARLY, step, (0.1, loss), &(step as u32));
        }
        assert_eq!(
            back,
            Some(100),
            "the weights of step 100, the best test loss"
        );
        assert_eq!(
            s.stopped(),
            Some(StopReason::EarlyStopping {
                step: 200,
                patience: 2,
                best_step: 100,
                best_loss: 0.5,
                restored: true
            })
        );
    }

    #[test]
    fn a_nan_test_loss_is_no_improvement_and_a_target_loss_stops() {
        let mut s = Stopping::<u32>::default();
        s.evaluated(&EARLY, 50, (1.0, 0.9), &0);
        assert_eq!(s.evaluated(&EARLY, 100, (1.0, f32::NAN), &0), None);
        assert!(s.stopped().is_none());
        let target = StopConfig {
            target_loss: 0.2,
            patience: 0,
            ..EARLY
        };
        s.evaluated(&target, 150, (0.19, 0.3), &0);
        assert!(matches!(
            s.stopped(),
            Some(StopReason::TargetLoss { step: 150, .. })
        ));
    }
}
