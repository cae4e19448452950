//! Losses and accuracy, written out so a learner can read them next to the textbook.

use crate::data::Task;
use crate::kernels::cross_entropy;
use burn::prelude::*;

/// Mean loss over the batch, shape [1].
/// - classification: cross-entropy of softmax(logits) against one-hot targets;
/// - regression: mean squared error.
///
/// `output`, `target`: [batch, outputs]
pub fn loss(task: Task, output: Tensor<2>, target: Tensor<2>) -> Tensor<1> {
    match task {
        Task::Classification { .. } => {
            // -sum_c y_c log p_c, averaged over the batch (see kernels::cross_entropy)
            cross_entropy(output, target)
        }
        Task::Regression => (output - target).powi_scalar(2).mean(),
    }
}

/// Fraction of rows whose largest logit is the target class, shape [1].
pub fn accuracy(output: Tensor<2>, target: Tensor<2>) -> Tensor<1> {
    output.argmax(1).equal(target.argmax(1)).float().mean()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_entropy_of_uniform_logits_is_ln_classes() {
        let device = Device::flex();
        let logits = Tensor::<2>::zeros([5, 3], &device);
        let target = Tensor::<2>::from_data([[1.0, 0.0, 0.0]; 5], &device);
        let l = loss(Task::Classification { classes: 3 }, logits, target).into_scalar::<f32>();
        assert!((l - 3f32.ln()).abs() < 1e-6, "{l}");
    }

    #[test]
    fn mse_and_accuracy_match_hand_computation() {
        let device = Device::flex();
        let out = Tensor::<2>::from_data([[1.0], [3.0]], &device);
        let target = Tensor::<2>::from_data([[0.0], [1.0]], &device);
        assert_eq!(
            loss(Task::Regression, out, target).into_scalar::<f32>(),
            2.5
        );
        let logits = Tensor::<2>::from_data([[2.0, 1.0], [0.0, 1.0], [5.0, 0.0]], &device);
        let target = Tensor::<2>::from_data([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]], &device);
        let acc = accuracy(logits, target).into_scalar::<f32>();
        assert!((acc - 2.0 / 3.0).abs() < 1e-6);
    }
}
