//! A text classifier on a text the user types (issue 19, item 1): the text read as training
//! read its texts (`data::typed_text`), one forward pass in eval mode, each class's probability.

use super::SequenceTrainer;
use crate::data::{TypedText, typed_text};
use burn::prelude::*;
use burn::tensor::activation::softmax;

impl SequenceTrainer {
    /// `text` as the model reads it and each class's probability, [1, classes], still on the
    /// device; None when the model is not a text classifier.
    pub fn classify_text(&self, text: &str) -> Option<(TypedText, Tensor<2>)> {
        let typed = typed_text(self.data(), text)?;
        let ids: Vec<i64> = typed.ids.iter().map(|id| i64::from(*id)).collect();
        let length = ids.len();
        let ids =
            Tensor::<2, Int>::from_data(TensorData::new(ids, [1, length]), &self.plain_device());
        let logits = self.eval_model().forward(ids).logits; // [1, 1, classes]: pooled
        let classes = logits.dims()[2];
        Some((typed, softmax(logits.reshape([1, classes]), 1)))
    }
}
