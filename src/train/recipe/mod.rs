//! The training recipe a learner can run (Karpathy, "A Recipe for Training Neural Networks"):
//! the loss at init against the one expected, an input-independent baseline, overfitting one
//! batch, and the loss of one batch with dropout on and off. Each check leaves the user's model
//! as it was: it works on a copy, or only reads. The output bias's prior lives with the model
//! (model/output_bias.rs), the seed's reproducibility with the loop.

mod baseline;
mod dropout;
mod init_loss;
mod overfit;

pub use baseline::Baseline;
pub use dropout::{DROPOUT_SAMPLES, DropoutLosses};
pub use init_loss::{InitLoss, InitLossBasis, expected_initial_loss, judge_initial_loss};
pub use overfit::{
    OVERFIT_CHUNK, OVERFIT_ROWS, OVERFIT_STEPS, OVERFIT_TARGET, OverfitBatch, OverfitReport,
    OverfitVerdict,
};
