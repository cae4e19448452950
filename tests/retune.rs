//! Training settings changed on a running model (src/train/retune.rs): the weights, the step,
//! the batch order and the optimiser's state carry on, and the new values are the ones used.

use burn::prelude::*;
use futures_lite::future::block_on;
use kindling::train::{Learning, OptimizerKind, Trainer, read_floats};
use kindling::{SequenceSettings, Settings};

fn weights(trainer: &Trainer) -> Vec<f32> {
    block_on(read_floats(trainer.params().2)).unwrap()
}

fn trained(settings: &Settings, steps: usize) -> Trainer {
    let mut trainer = Trainer::new(settings, &Device::flex()).unwrap();
    trainer.train(steps);
    trainer
}

#[test]
fn the_same_settings_again_change_nothing_at_all() {
    let settings = Settings::default();
    let mut retuned = trained(&settings, 30);
    let mut untouched = trained(&settings, 30);
    let r = retuned.retune(&settings, &settings).unwrap().unwrap();
    assert!(r.changes.is_empty() && !r.optimizer_restarted);
    retuned.train(30);
    untouched.train(30);
    // Bit for bit: the batch order and Adam's moments went on as if nothing had happened.
    assert_eq!(weights(&retuned), weights(&untouched));
    assert_eq!(retuned.step_count(), 60);
}

#[test]
fn a_new_learning_rate_is_the_one_used_and_the_weights_stay() {
    let settings = Settings::default();
    let mut trainer = trained(&settings, 40);
    let before = weights(&trainer);
    let mut next = settings.clone();
    next.train.learning_rate = 1e-9;
    let r = trainer.retune(&settings, &next).unwrap().unwrap();
    assert_eq!(r.changes, ["learning rate 0.01 → 0.000000001"]);
    assert_eq!(weights(&trainer), before, "retuning moves no weight");
    assert_eq!(trainer.step_count(), 40);
    trainer.train(10);
    let moved = weights(&trainer)
        .iter()
        .zip(&before)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    // Adam's steps are about the learning rate in size: at 1e-9, ten of them move nothing visible.
    assert!(moved < 1e-6, "weights moved by {moved}");
    assert_eq!(trainer.step_count(), 50);
}

#[test]
fn a_new_batch_size_counts_its_epochs_and_dropout_is_set_on_the_model() {
    let settings = Settings::default();
    let mut trainer = trained(&settings, 10);
    let epoch = trainer.epoch();
    let mut next = settings.clone();
    next.train.batch_size = 7;
    next.model.hidden[0].dropout = 0.5;
    trainer.retune(&settings, &next).unwrap().unwrap();
    assert_eq!(trainer.model().hidden[0].dropout.prob, 0.5);
    assert_eq!(trainer.model().hidden[1].dropout.prob, 0.0);
    trainer.train(4);
    let per_example = epoch / (10.0 * 64.0);
    let expected = epoch + 4.0 * 7.0 * per_example;
    assert!(
        (trainer.epoch() - expected).abs() < 1e-9,
        "{} vs {expected}",
        trainer.epoch()
    );
}

#[test]
fn the_optimisers_state_starts_afresh_only_when_it_must() {
    let settings = Settings::default();
    let mut trainer = trained(&settings, 10);
    // The CPU's Adam keeps its moments across a new weight decay.
    let mut decayed = settings.clone();
    decayed.train.weight_decay = 1e-4;
    assert!(
        !trainer
            .retune(&settings, &decayed)
            .unwrap()
            .unwrap()
            .optimizer_restarted
    );
    // Another optimiser starts its own state; the weights stay.
    let before = weights(&trainer);
    let mut sgd = decayed.clone();
    sgd.train.optimizer = OptimizerKind::Sgd;
    let r = trainer.retune(&decayed, &sgd).unwrap().unwrap();
    assert!(r.optimizer_restarted);
    assert_eq!(r.changes, ["optimiser Adam → SGD"]);
    assert_eq!(weights(&trainer), before);
    trainer.train(5);
    assert_eq!(trainer.step_count(), 15);
}

#[test]
fn what_needs_a_new_model_is_refused_and_changes_nothing() {
    let settings = Settings::default();
    let mut trainer = trained(&settings, 10);
    let before = weights(&trainer);
    let mut wider = settings.clone();
    wider.model.hidden[0].units = 16;
    assert_eq!(trainer.retune(&settings, &wider), Ok(None));
    let mut reseeded = settings.clone();
    reseeded.train.seed = 9;
    reseeded.train.learning_rate = 0.1;
    assert_eq!(trainer.retune(&settings, &reseeded), Ok(None));
    assert_eq!(weights(&trainer), before);
}

#[test]
fn a_live_batch_size_over_the_memory_budget_is_refused_and_changes_nothing() {
    // Issue 15's link, as a live edit: 8 heads over 128 positions, then a batch of 5000.
    let mut settings = SequenceSettings::default();
    settings.data.length = 128;
    settings.model.heads = 8;
    let mut trainer = kindling::train::SequenceTrainer::new(&settings, &Device::flex()).unwrap();
    let mut next = settings.clone();
    next.train.batch_size = 5000;
    let err = trainer.retune(&settings, &next).unwrap_err().to_string();
    assert!(err.contains("The largest batch size that fits is"), "{err}");
    trainer.train(1);
    assert_eq!(trainer.step_count(), 1, "the model in force trains on");
}

#[test]
fn a_transformers_dropout_goes_to_every_block() {
    let settings = SequenceSettings::default();
    let mut trainer = kindling::train::SequenceTrainer::new(&settings, &Device::flex()).unwrap();
    trainer.train(3);
    let mut next = settings.clone();
    next.model.dropout = 0.2;
    next.train.learning_rate = 0.001;
    let r = trainer.retune(&settings, &next).unwrap().unwrap();
    assert_eq!(
        r.changes,
        ["learning rate 0.003 → 0.001", "dropout 0 → 0.2"]
    );
    for block in &trainer.model().blocks {
        assert_eq!(block.dropout.prob, 0.2);
        assert_eq!(block.attention.dropout.prob, 0.2);
    }
    trainer.train(3);
    assert_eq!(trainer.step_count(), 6);
}
