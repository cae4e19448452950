//! Training: the step loop (one `Learner` for both model families), losses, optimisers,
//! evaluation, and the backend self-check.
//! No I/O and no JS: the caller decides when to read results back from the device.

mod adam;
pub mod budget;
pub mod chunks;
mod classify_text;
mod learner;
mod loss;
pub mod memory;
mod metrics;
mod optimizer;
mod read;
// The `kindling` command's (src/bin/kindling.rs); the page rebuilds shared models in src/web.
#[cfg(not(target_arch = "wasm32"))]
mod rebuild;
pub mod recipe;
#[cfg(not(target_arch = "wasm32"))]
pub mod resume;
mod retune;
mod schedule;
mod self_check;
mod sequence_trainer;
mod stopping;
mod trainer;

pub use adam::FusedAdam;
pub use learner::{Learner, Learning, TrainStep};
pub use loss::{accuracy, loss};
pub use metrics::{
    ClassificationMetrics, RegressionMetrics, argmax_rows, classification_metrics,
    regression_metrics,
};
pub use optimizer::{Optimizer, OptimizerKind, TrainConfig};
pub use read::read_floats;
pub use retune::Retuned;
pub use schedule::{ScheduleCurve, ScheduleKind};
pub use self_check::{SelfCheck, compare_backends, judge};
pub use sequence_trainer::{
    EVAL_CAP, SequenceEvaluation, SequenceTrainer, TransformerTask, sample,
};
pub use stopping::{StopConfig, StopReason, Stopping};
pub use trainer::{
    DataSource, EVAL_ROWS, Evaluation, MlpTask, TestMetrics, Trainer, initial_mlp, predictions_csv,
};
