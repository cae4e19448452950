//! Learning-rate schedules: the rate of each step as a pure function of the training settings
//! and the step (nanoGPT's `get_lr`): a linear warm-up from near zero to the base rate, then the
//! base rate (constant), the base rate times a factor every N steps (step decay), or a half
//! cosine from the base rate down to a floor at a given step, flat after it (cosine).

use super::TrainConfig;
use crate::error::{UserError, Wording};
use crate::settings::out_of_range;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ScheduleKind {
    #[default]
    Constant,
    /// Multiplied by `decay_factor` every `decay_every` steps.
    Step,
    /// Half a cosine from the base rate to `cosine_floor` of it at step `decay_steps`.
    Cosine,
}

/// The most steps a schedule's lengths may name (more than a tab trains in a day).
pub const MAX_SCHEDULE_STEPS: usize = 10_000_000;

static WARMUP: Wording = Wording::new(
    "warmup-steps-range",
    "warm-up must be 0-{max} steps, got {value}",
);
static DECAY_EVERY: Wording = Wording::new(
    "decay-every-range",
    "decay every must be 1-{max} steps, got {value}",
);
static DECAY_FACTOR: Wording = Wording::new(
    "decay-factor-range",
    "decay factor must be 0.01-1, got {value}",
);
static DECAY_STEPS: Wording = Wording::new(
    "decay-steps-range",
    "the cosine must end after the warm-up and by step {max}, got {value}",
);
static COSINE_FLOOR: Wording = Wording::new(
    "cosine-floor-range",
    "the cosine's floor must be in [0, 1] of the learning rate, got {value}",
);

impl TrainConfig {
    /// The learning rate of the step taken after `step` steps (the first step is step 0), from
    /// the base `learning_rate`.
    pub fn learning_rate_at(&self, step: usize) -> f64 {
        let base = self.learning_rate;
        if step < self.warmup_steps {
            // (step + 1) / (warmup + 1): never 0, the base rate just after the warm-up.
            return base * (step + 1) as f64 / (self.warmup_steps + 1) as f64;
        }
        match self.schedule {
            ScheduleKind::Constant => base,
            ScheduleKind::Step => {
                let decays = (step - self.warmup_steps) / self.decay_every.max(1);
                base * self.decay_factor.powi(decays.min(i32::MAX as usize) as i32)
            }
            ScheduleKind::Cosine => {
                let floor = base * self.cosine_floor;
                if step >= self.decay_steps {
                    return floor;
                }
                let span = (self.decay_steps - self.warmup_steps).max(1) as f64;
                let ratio = (step - self.warmup_steps) as f64 / span;
                let coeff = 0.5 * (1.0 + (std::f64::consts::PI * ratio).cos());
                floor + coeff * (base - floor)
            }
        }
    }

    /// The rate at `points` steps spread over the span worth drawing: to the cosine's end and a
    /// little after, four decays, or the warm-up and as long again; to `stop_after` when it is
    /// sooner. For the schedule's small curve in the page.
    pub fn schedule_curve(&self, points: usize) -> ScheduleCurve {
        let natural = match self.schedule {
            ScheduleKind::Constant => (2 * self.warmup_steps).max(1000),
            ScheduleKind::Step => self.warmup_steps + 4 * self.decay_every,
            ScheduleKind::Cosine => self.decay_steps + self.decay_steps / 5,
        };
        let span = if self.stop_after > 0 {
            natural.min(self.stop_after)
        } else {
            natural
        };
        let points = points.clamp(2, 1000);
        let steps: Vec<usize> = (0..points).map(|i| i * span / (points - 1)).collect();
        let rates = steps.iter().map(|&k| self.learning_rate_at(k)).collect();
        ScheduleCurve { steps, rates }
    }

    pub(super) fn validate_schedule(&self) -> Result<(), UserError> {
        if self.warmup_steps > MAX_SCHEDULE_STEPS {
            return Err(out_of_range(&WARMUP, MAX_SCHEDULE_STEPS, self.warmup_steps));
        }
        if !(1..=MAX_SCHEDULE_STEPS).contains(&self.decay_every) {
            return Err(out_of_range(
                &DECAY_EVERY,
                MAX_SCHEDULE_STEPS,
                self.decay_every,
            ));
        }
        if !(0.01..=1.0).contains(&self.decay_factor) {
            return Err(out_of_range(&DECAY_FACTOR, "", self.decay_factor));
        }
        let in_range = (1..=MAX_SCHEDULE_STEPS).contains(&self.decay_steps);
        let after_warmup =
            self.schedule != ScheduleKind::Cosine || self.decay_steps > self.warmup_steps;
        if !(in_range && after_warmup) {
            return Err(out_of_range(
                &DECAY_STEPS,
                MAX_SCHEDULE_STEPS,
                self.decay_steps,
            ));
        }
        if !(0.0..=1.0).contains(&self.cosine_floor) {
            return Err(out_of_range(&COSINE_FLOOR, "", self.cosine_floor));
        }
        Ok(())
    }
}

/// A schedule sampled for drawing (`TrainConfig::schedule_curve`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduleCurve {
    pub steps: Vec<usize>,
    pub rates: Vec<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(schedule: ScheduleKind) -> TrainConfig {
        TrainConfig {
            learning_rate: 0.1,
            schedule,
            ..TrainConfig::default()
        }
    }

    #[test]
    fn constant_is_the_base_rate() {
        let c = config(ScheduleKind::Constant);
        assert_eq!(c.learning_rate_at(0), 0.1);
        assert_eq!(c.learning_rate_at(123_456), 0.1);
    }

    #[test]
    fn warm_up_rises_linearly_to_the_base_rate() {
        let c = TrainConfig {
            warmup_steps: 9,
            ..config(ScheduleKind::Constant)
        };
        assert!((c.learning_rate_at(0) - 0.01).abs() < 1e-12);
        assert!((c.learning_rate_at(4) - 0.05).abs() < 1e-12);
        assert!((c.learning_rate_at(8) - 0.09).abs() < 1e-12);
        assert_eq!(c.learning_rate_at(9), 0.1);
    }

    #[test]
    fn step_decay_multiplies_every_n_steps_after_the_warm_up() {
        let c = TrainConfig {
            decay_every: 100,
            decay_factor: 0.5,
            warmup_steps: 10,
            ..config(ScheduleKind::Step)
        };
        assert_eq!(c.learning_rate_at(10), 0.1);
        assert_eq!(c.learning_rate_at(109), 0.1);
        assert_eq!(c.learning_rate_at(110), 0.05);
        assert_eq!(c.learning_rate_at(310), 0.0125);
    }

    #[test]
    fn cosine_goes_from_the_base_rate_to_its_floor_as_the_formula_says() {
        let c = TrainConfig {
            decay_steps: 1000,
            cosine_floor: 0.1,
            warmup_steps: 100,
            ..config(ScheduleKind::Cosine)
        };
        let formula = |k: usize| {
            let ratio = (k - 100) as f64 / 900.0;
            0.01 + 0.5 * (1.0 + (std::f64::consts::PI * ratio).cos()) * (0.1 - 0.01)
        };
        assert_eq!(c.learning_rate_at(100), 0.1);
        for k in [100, 250, 550, 777, 999] {
            assert!(
                (c.learning_rate_at(k) - formula(k)).abs() < 1e-12,
                "step {k}"
            );
        }
        assert!(
            (c.learning_rate_at(550) - 0.055).abs() < 1e-12,
            "halfway: halfway down"
        );
        assert!((c.learning_rate_at(1000) - 0.01).abs() < 1e-12);
        assert!((c.learning_rate_at(50_000) - 0.01).abs() < 1e-12);
    }

    #[test]
    fn a_cosine_that_ends_before_its_warm_up_is_refused() {
        let c = TrainConfig {
            decay_steps: 50,
            warmup_steps: 100,
            ..config(ScheduleKind::Cosine)
        };
        let err = c.validate().unwrap_err().to_string();
        assert!(
            err.contains("the cosine must end after the warm-up"),
            "{err}"
        );
        let factor = TrainConfig {
            decay_factor: 1.5,
            ..config(ScheduleKind::Step)
        };
        assert!(factor.validate().is_err());
    }
}
