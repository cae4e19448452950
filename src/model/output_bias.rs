//! What the output layer's bias starts at ("init the output well", Karpathy's training recipe):
//! zero, or the prior of the train targets, so that a network whose output weights are still
//! small predicts the base rates from its first step instead of spending its first hundred
//! steps learning them (the "hockey stick" of a loss curve).

use super::Mlp;
use super::init::param;
use crate::data::Task;
use serde::{Deserialize, Serialize};

/// The output layer's initial bias.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OutputBias {
    /// Zero (or U(-0.5, 0.5) with the uniform init), as before this option existed.
    #[default]
    Zero,
    /// The train split's prior: ln p_c for each class c (softmax of the logits is then exactly
    /// the class frequencies wherever the output weights contribute nothing), or the target's
    /// mean for regression (the MSE is then the target's variance).
    Prior,
}

impl OutputBias {
    /// Links and URLs written before the option existed hold no `outputBias`: the default is
    /// left out when settings are written, so they stay byte for byte what they were.
    pub fn is_zero(&self) -> bool {
        *self == OutputBias::Zero
    }
}

/// Smallest class frequency the prior takes the log of: a class absent from the train split
/// gets a very negative but finite bias (ln 1e-6 ≈ -13.8), not -inf.
const MIN_FREQUENCY: f64 = 1e-6;

/// The prior of train targets `y` (class indices, or values) for `task`: the bias that makes an
/// output layer with zero weights predict it. [outputs]
pub fn prior_bias(task: Task, y: &[f32]) -> Vec<f32> {
    match task {
        Task::Classification { classes } => class_frequencies(classes, y)
            .into_iter()
            .map(|p| p.max(MIN_FREQUENCY).ln() as f32)
            .collect(),
        Task::Regression => vec![mean(y) as f32],
    }
}

/// The share of each class among `y`. [classes]
pub fn class_frequencies(classes: usize, y: &[f32]) -> Vec<f64> {
    let mut counts = vec![0usize; classes];
    for v in y {
        counts[(*v as usize).min(classes - 1)] += 1;
    }
    let n = y.len().max(1) as f64;
    counts.into_iter().map(|c| c as f64 / n).collect()
}

pub fn mean(y: &[f32]) -> f64 {
    y.iter().map(|v| *v as f64).sum::<f64>() / y.len().max(1) as f64
}

impl Mlp {
    /// Sets the output layer's bias to `values` [outputs], on the device it is on.
    pub fn with_output_bias(mut self, values: Vec<f32>) -> Mlp {
        let device = self.output.weight.device();
        let n = values.len();
        self.output.bias = Some(param(values, [n], &device));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prior_is_the_log_of_the_class_frequencies() {
        let y = [0.0, 0.0, 0.0, 1.0];
        let b = prior_bias(Task::Classification { classes: 3 }, &y);
        assert!((b[0] - 0.75f32.ln()).abs() < 1e-6);
        assert!((b[1] - 0.25f32.ln()).abs() < 1e-6);
        assert!(
            b[2].is_finite() && b[2] < -13.0,
            "an absent class: {}",
            b[2]
        );
        assert_eq!(prior_bias(Task::Regression, &[1.0, 2.0, 6.0]), vec![3.0]);
    }
}
