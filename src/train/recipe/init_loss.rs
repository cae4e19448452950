//! "Verify loss @ init": before any step, the loss should be what an untrained model gives.
//! For C classes and logits near zero the softmax is uniform and the cross-entropy is ln C; with
//! the output bias at the prior it is the prior's entropy. For regression with outputs near zero
//! the MSE is the mean of y²; with the bias at the target's mean, the target's variance. A loss
//! far above that says the outputs start large (a too wide init), far below it a leak or a bug.

use crate::Settings;
use crate::data::Task;
use crate::model::{OutputBias, class_frequencies, mean};
use crate::train::Trainer;
use crate::train::trainer::initial_mlp;
use burn::prelude::*;
use serde::Serialize;

/// Where the expected loss at init comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum InitLossBasis {
    /// ln C: a uniform guess over C classes.
    LnClasses,
    /// -Σ p_c ln p_c: the class frequencies of the train split, guessed exactly.
    PriorEntropy,
    /// mean(y²): the MSE of predicting 0.
    MeanSquare,
    /// var(y): the MSE of predicting the mean.
    Variance,
}

/// The check's result: the measured train loss of the model before its first step, the one
/// expected, and whether they agree (`judge_initial_loss`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InitLoss {
    pub expected: f32,
    pub measured: f32,
    pub basis: InitLossBasis,
    /// "ok", "high" or "low".
    pub verdict: &'static str,
}

/// The loss an untrained model should give on train targets `y`, and why.
pub fn expected_initial_loss(task: Task, y: &[f32], bias: OutputBias) -> (f32, InitLossBasis) {
    match (task, bias) {
        (Task::Classification { classes }, OutputBias::Zero) => {
            ((classes as f32).ln(), InitLossBasis::LnClasses)
        }
        (Task::Classification { classes }, OutputBias::Prior) => {
            let entropy: f64 = class_frequencies(classes, y)
                .into_iter()
                .filter(|p| *p > 0.0)
                .map(|p| -p * p.ln())
                .sum();
            (entropy as f32, InitLossBasis::PriorEntropy)
        }
        (Task::Regression, OutputBias::Zero) => {
            let square = y.iter().map(|v| (*v as f64).powi(2)).sum::<f64>() / y.len().max(1) as f64;
            (square as f32, InitLossBasis::MeanSquare)
        }
        (Task::Regression, OutputBias::Prior) => {
            let m = mean(y);
            let var =
                y.iter().map(|v| (*v as f64 - m).powi(2)).sum::<f64>() / y.len().max(1) as f64;
            (var as f32, InitLossBasis::Variance)
        }
    }
}

/// "ok" when `measured` is within 0.1·expected + 0.05 of `expected`, else "high" or "low".
///
/// Random output weights make the logits small but not zero, which adds about half their
/// variance to the cross-entropy: a few hundredths for a sensible init. The tolerance admits
/// that, while the faults the check exists for (an init ten times too wide, a wrong loss, a
/// target leaking into the inputs) move the loss by far more.
pub fn judge_initial_loss(expected: f32, measured: f32) -> &'static str {
    let tolerance = 0.1 * expected + 0.05;
    if !measured.is_finite() || measured > expected + tolerance {
        "high"
    } else if measured < expected - tolerance {
        "low"
    } else {
        "ok"
    }
}

impl Trainer {
    /// The train loss (eval mode) of the model `settings` build before their first step, still
    /// on the device: the same seed, so the very model this session started from, whatever it
    /// has learnt since. Pass the value read to `initial_loss_check`.
    pub fn initial_loss(&self, settings: &Settings) -> Tensor<1> {
        let model = initial_mlp(settings, self.dataset()).to_device(&self.plain_device());
        self.task().train_set_loss(&model)
    }

    /// The check of `measured`, the value of `initial_loss`.
    pub fn initial_loss_check(&self, settings: &Settings, measured: f32) -> InitLoss {
        let dataset = self.dataset();
        let (expected, basis) =
            expected_initial_loss(dataset.task, &dataset.train.y, settings.model.output_bias);
        InitLoss {
            expected,
            measured,
            basis,
            verdict: judge_initial_loss(expected, measured),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_losses_by_hand() {
        let y = [0.0, 0.0, 0.0, 1.0];
        let two = Task::Classification { classes: 2 };
        assert_eq!(
            expected_initial_loss(two, &y, OutputBias::Zero).0,
            2f32.ln()
        );
        let h = -(0.75f32 * 0.75f32.ln() + 0.25 * 0.25f32.ln());
        assert!((expected_initial_loss(two, &y, OutputBias::Prior).0 - h).abs() < 1e-6);
        let y = [1.0, 3.0];
        assert_eq!(
            expected_initial_loss(Task::Regression, &y, OutputBias::Zero).0,
            5.0
        );
        assert_eq!(
            expected_initial_loss(Task::Regression, &y, OutputBias::Prior).0,
            1.0
        );
        assert_eq!(judge_initial_loss(0.693, 0.70), "ok");
        assert_eq!(judge_initial_loss(0.693, 2.0), "high");
        assert_eq!(judge_initial_loss(0.693, f32::NAN), "high");
        assert_eq!(judge_initial_loss(0.693, 0.1), "low");
    }
}
