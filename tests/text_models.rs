//! Transformers on a user's text: a table's text column learnt as a label, and then a text the
//! user types read as the training texts were, its classes the model's; a character model of
//! an uploaded text.

use burn::prelude::*;
use futures_lite::future::block_on;
use kindling::SequenceSettings;
use kindling::data::table::TableChoices;
use kindling::data::text::{TokenChoices, TokenUnit, text_classification, uploaded_language_model};
use kindling::train::{Learning, SequenceTrainer, read_floats};

mod common;
use common::load;

fn evaluate(t: &SequenceTrainer) -> kindling::train::SequenceEvaluation {
    t.evaluation(&block_on(read_floats(t.evaluate())).unwrap())
}

/// Each class's probability of a typed text, as the page reads them.
fn classes_of(trainer: &SequenceTrainer, text: &str) -> Vec<f32> {
    let (_, out) = trainer.classify_text(text).expect("a text classifier");
    block_on(read_floats(out.reshape([-1]))).unwrap()
}

#[test]
fn a_transformer_learns_a_text_column_label_and_classifies_a_typed_text() {
    let good = ["great", "lovely", "superb", "fun"];
    let bad = ["dull", "awful", "boring", "slow"];
    let filler = ["the", "film", "was", "quite", "and", "very", "a", "plot"];
    let mut rng = kindling::data::Rng::new(3);
    let mut text = String::from("review,label\n");
    for i in 0..400 {
        let (words, label) = if i % 2 == 0 {
            (&good, "pos")
        } else {
            (&bad, "neg")
        };
        let mut review: Vec<&str> = (0..5).map(|_| filler[rng.below(filler.len())]).collect();
        review.insert(rng.below(6), words[rng.below(4)]);
        text.push_str(&format!("{},{label}\n", review.join(" ")));
    }
    let (t, s) = load("reviews.csv", text.as_bytes()).unwrap();
    let choices = TableChoices {
        target: "label".into(),
        ..Default::default()
    };
    let tokens = TokenChoices {
        column: "review".into(),
        unit: TokenUnit::Word,
        vocab_size: 100,
        max_length: 8,
    };
    let data = text_classification(&t, &s, &choices, &tokens).unwrap();
    let mut settings = SequenceSettings::default();
    settings.train.learning_rate = 0.01;
    let mut trainer = SequenceTrainer::with_data(&settings, data, &Device::flex()).unwrap();
    trainer.train(150);
    let eval = evaluate(&trainer);
    assert!(eval.test_accuracy > 0.9, "{eval:?}");

    // A test review typed in is read to the ids training gave it, and classified as the
    // evaluation classified it.
    let data = trainer.data();
    let example = &data.test[0];
    let words: Vec<&str> = example
        .input
        .iter()
        .filter(|id| **id != 0)
        .map(|id| data.input_vocab[*id as usize].as_str())
        .collect();
    let (typed, _) = trainer.classify_text(&words.join(" ")).unwrap();
    assert_eq!(typed.ids, example.input);
    let p = classes_of(&trainer, &words.join(" "));
    let predicted = trainer.predict(0).unwrap();
    let predicted = block_on(read_floats(predicted)).unwrap()[0] as usize;
    let top = (0..p.len()).max_by(|a, b| p[*a].total_cmp(&p[*b])).unwrap();
    assert_eq!(top, predicted, "{p:?}");
    assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);

    // New texts, in capitals and with words training never saw: the model's own answer.
    let pos = data.output_vocab.iter().position(|c| c == "pos").unwrap();
    let (typed, _) = trainer.classify_text("The plot was SUPERB, truly").unwrap();
    assert_eq!(typed.unknown, ["truly"]);
    assert!(classes_of(&trainer, "The plot was SUPERB, truly")[pos] > 0.8);
    assert!(classes_of(&trainer, "a very boring film")[pos] < 0.2);
    // A text that is not a classifier's: the language model takes no typed text to classify.
    let lm = uploaded_language_model("abc.txt", &"abcabd ".repeat(100), 16, 50, 0.2, 1).unwrap();
    let lm = SequenceTrainer::with_data(&SequenceSettings::default(), lm, &Device::flex()).unwrap();
    assert!(lm.classify_text("abc").is_none());
}

#[test]
fn the_character_model_of_an_uploaded_text_learns() {
    let text = "abcabcabdabcabcabd ".repeat(60);
    let data = uploaded_language_model("abc.txt", &text, 16, 400, 0.2, 1).unwrap();
    let settings = SequenceSettings::default();
    let mut trainer = SequenceTrainer::with_data(&settings, data, &Device::flex()).unwrap();
    let before = evaluate(&trainer);
    trainer.train(100);
    let after = evaluate(&trainer);
    assert!(
        after.test_loss < before.test_loss * 0.5,
        "{before:?} -> {after:?}"
    );
}
