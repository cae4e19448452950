//! A start-up check that a backend computes what the CPU computes: the same small models (an MLP
//! and a two-head causal transformer block), data and seed trained for a few steps on both; forward values, losses (which depend on every
//! gradient and optimiser update) and outputs must agree. A broken backend (say, shaders that
//! failed validation) gives zeros, NaN or noise and is caught here before any curve is shown.

use super::{Learning, SequenceTrainer, Trainer, read_floats};
use crate::SequenceSettings;
use crate::Settings;
use crate::data::{DatasetConfig, DatasetKind, SequenceDataConfig, SequenceTask};
use crate::model::{ActivationKind, InitKind, LayerConfig, MlpConfig, TransformerConfig};
use crate::train::{OptimizerKind, TrainConfig};
use burn::prelude::*;

/// Largest difference tolerated between backends. Float sums run in another order on a GPU
/// (~1e-6 here); a broken kernel is off by orders of magnitude more.
pub const TOLERANCE: f32 = 1e-3;
const STEPS: usize = 3;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SelfCheck {
    pub ok: bool,
    /// Largest |reference - candidate| over every compared number.
    pub max_diff: f32,
    /// Why the check failed, for the user.
    pub reason: Option<String>,
}

/// Every activation and both optimiser paths get exercised: forward, backward, Adam updates.
fn check_settings() -> Settings {
    let layer = |units, activation| LayerConfig {
        units,
        activation,
        dropout: 0.0,
    };
    Settings {
        data: DatasetConfig {
            kind: DatasetKind::Gaussian,
            classes: 3,
            points: 48,
            seed: 7,
            ..Default::default()
        },
        model: MlpConfig {
            hidden: vec![
                layer(16, ActivationKind::Tanh),
                layer(16, ActivationKind::Relu),
                layer(8, ActivationKind::Gelu),
            ],
            init: InitKind::Xavier,
            ..Default::default()
        },
        train: TrainConfig {
            optimizer: OptimizerKind::Adam,
            learning_rate: 0.05,
            batch_size: 16,
            ..Default::default()
        },
    }
}

/// Embedding, positional table, masked multi-head attention, LayerNorm, GELU MLP, per-position
/// head: every kernel the sequence models use.
fn check_sequence_settings() -> SequenceSettings {
    SequenceSettings {
        data: SequenceDataConfig {
            task: SequenceTask::Reverse,
            symbols: 6,
            length: 5,
            sequences: 40,
            seed: 7,
            ..Default::default()
        },
        model: TransformerConfig {
            d_model: 8,
            heads: 2,
            layers: 1,
            mlp_ratio: 2,
            causal: true,
            ..Default::default()
        },
        // SGD: Adam's normalised steps would magnify rounding differences in near-zero
        // gradients; the MLP above already checks Adam.
        train: TrainConfig {
            optimizer: OptimizerKind::Sgd,
            learning_rate: 0.1,
            batch_size: 8,
            ..Default::default()
        },
    }
}

/// What a backend computes for the check: numbers from before, during and after training.
async fn run(device: &Device) -> Result<Vec<f32>, String> {
    let mut trainer = Trainer::new(&check_settings(), device).map_err(|e| e.to_string())?;
    let mut values = read_floats(trainer.evaluate()).await?;
    trainer.train(STEPS);
    let losses = trainer.take_losses().expect("three steps were taken");
    values.extend(read_floats(losses).await?);
    values.extend(read_floats(trainer.evaluate()).await?);
    values.extend(read_floats(trainer.boundary(4)).await?);

    let mut sequences =
        SequenceTrainer::new(&check_sequence_settings(), device).map_err(|e| e.to_string())?;
    values.extend(read_floats(sequences.attention(0)?).await?);
    sequences.train(STEPS);
    let losses = sequences.take_losses().expect("three steps were taken");
    values.extend(read_floats(losses).await?);
    values.extend(read_floats(sequences.evaluate()).await?);
    values.extend(read_floats(sequences.attention(0)?).await?);
    Ok(values)
}

/// Runs the check on `reference` (the CPU) and `candidate`, and compares.
pub async fn compare_backends(reference: &Device, candidate: &Device) -> SelfCheck {
    let fail = |reason: String| SelfCheck {
        ok: false,
        max_diff: f32::NAN,
        reason: Some(reason),
    };
    match (run(reference).await, run(candidate).await) {
        (Err(e), _) => fail(format!("the CPU reference failed: {e}")),
        (_, Err(e)) => fail(e),
        (Ok(expected), Ok(got)) => {
            let check = judge(&expected, &got);
            if !check.ok {
                log::warn!("self-check values\n  reference: {expected:?}\n  candidate: {got:?}");
            }
            check
        }
    }
}

/// Compares a candidate's numbers with the reference's.
pub fn judge(expected: &[f32], got: &[f32]) -> SelfCheck {
    let fail = |reason: String, max_diff| SelfCheck {
        ok: false,
        max_diff,
        reason: Some(reason),
    };
    if got.len() != expected.len() {
        return fail(
            format!("got {} values, expected {}", got.len(), expected.len()),
            f32::NAN,
        );
    }
    if let Some(i) = got.iter().position(|v| !v.is_finite()) {
        return fail(
            format!("value {i} is {} instead of {}", got[i], expected[i]),
            f32::INFINITY,
        );
    }
    let (worst, max_diff) = got
        .iter()
        .zip(expected)
        .map(|(g, e)| (g - e).abs())
        .enumerate()
        .fold(
            (0, 0.0f32),
            |best, (i, d)| if d > best.1 { (i, d) } else { best },
        );
    if max_diff > TOLERANCE {
        let reason = format!(
            "results differ from the CPU: value {worst} is {} instead of {} (difference {max_diff:.2e}, tolerance {TOLERANCE:.0e})",
            got[worst], expected[worst]
        );
        return fail(reason, max_diff);
    }
    SelfCheck {
        ok: true,
        max_diff,
        reason: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judge_passes_rounding_and_catches_garbage() {
        let expected = [0.69, 0.7, 0.5, 0.25];
        assert!(judge(&expected, &[0.690_001, 0.7, 0.5, 0.25]).ok);
        let zeros = judge(&expected, &[0.0; 4]);
        assert!(
            !zeros.ok
                && zeros
                    .reason
                    .unwrap()
                    .contains("value 1 is 0 instead of 0.7")
        );
        let nan = judge(&expected, &[0.69, f32::NAN, 0.5, 0.25]);
        assert!(!nan.ok && nan.reason.unwrap().contains("NaN"));
        assert!(!judge(&expected, &[0.69]).ok);
    }
}
