//! Native tests of the training recipe on Burn's CPU backend: overfit, reproducibility, the
//! symmetry of zero init, and learning the default spiral.

mod common;

use burn::prelude::*;
use common::layer;
use futures_lite::future::block_on;
use kindling::Settings;
use kindling::data::{DatasetConfig, DatasetKind};
use kindling::model::{ActivationKind, InitKind, MlpConfig};
use kindling::train::{Learning, OptimizerKind, TrainConfig, Trainer, read_floats};

fn losses(trainer: &mut Trainer, steps: usize) -> Vec<f32> {
    trainer.train(steps);
    block_on(read_floats(trainer.take_losses().unwrap())).unwrap()
}

fn evaluate(trainer: &Trainer) -> kindling::train::Evaluation {
    trainer.evaluation(&block_on(read_floats(trainer.evaluate())).unwrap())
}

#[test]
fn loss_at_init_is_near_ln_classes() {
    let settings = Settings::default();
    let trainer = Trainer::new(&settings, &Device::flex()).unwrap();
    let eval = evaluate(&trainer);
    let expected = settings.initial_loss().unwrap();
    assert!(
        (eval.train_loss - expected).abs() < 0.15,
        "loss at init {} vs ln 2 = {expected}",
        eval.train_loss
    );
}

#[test]
fn overfits_one_tiny_batch() {
    let settings = Settings {
        data: DatasetConfig {
            kind: DatasetKind::Gaussian,
            classes: 3,
            points: 16,
            test_fraction: 0.5,
            noise: 0.8,
            seed: 4,
        },
        model: MlpConfig {
            hidden: vec![layer(32, ActivationKind::Tanh, 0.0); 2],
            init: InitKind::Xavier,
            ..Default::default()
        },
        train: TrainConfig {
            batch_size: 8,
            learning_rate: 0.02,
            ..Default::default()
        },
    };
    let mut trainer = Trainer::new(&settings, &Device::flex()).unwrap();
    let curve = losses(&mut trainer, 400);
    assert!(curve[0] > 0.5, "starts high: {}", curve[0]);
    assert!(
        *curve.last().unwrap() < 0.01,
        "one batch is memorised: {}",
        curve.last().unwrap()
    );
    assert_eq!(evaluate(&trainer).train_accuracy, Some(1.0));
}

#[test]
fn zero_init_keeps_the_units_of_a_layer_identical() {
    let settings = Settings {
        model: MlpConfig {
            hidden: vec![layer(4, ActivationKind::Sigmoid, 0.0); 2],
            init: InitKind::Zeros,
            ..Default::default()
        },
        train: TrainConfig {
            learning_rate: 0.05,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut trainer = Trainer::new(&settings, &Device::flex()).unwrap();
    trainer.train(20);
    for hidden in &trainer.model().hidden {
        // weight [d_in, units]: every column (unit) equals the first
        let w = hidden
            .linear
            .weight
            .val()
            .inner()
            .into_data()
            .try_to_vec::<f32>()
            .unwrap();
        let units = hidden.linear.weight.dims()[1];
        for row in w.chunks(units) {
            assert!(row.iter().all(|v| *v == row[0]), "units differ: {row:?}");
        }
        assert!(w.iter().any(|v| *v != 0.0), "the weights moved, together");
    }
}

#[test]
fn default_settings_learn_the_spiral() {
    let mut trainer = Trainer::new(&Settings::default(), &Device::flex()).unwrap();
    let mut steps = 0;
    let accuracy = loop {
        trainer.train(100);
        steps += 100;
        let acc = evaluate(&trainer).test_accuracy.unwrap();
        if acc >= 0.97 || steps >= 3000 {
            break acc;
        }
    };
    eprintln!("spiral: test accuracy {accuracy} after {steps} steps");
    assert!(
        accuracy >= 0.95,
        "test accuracy {accuracy} after {steps} steps"
    );
}

#[test]
fn every_optimiser_and_the_regression_sets_reduce_the_loss() {
    for (kind, optimizer) in [
        (DatasetKind::Circles, OptimizerKind::Sgd),
        (DatasetKind::Xor, OptimizerKind::AdamW),
        (DatasetKind::Plane, OptimizerKind::Adam),
        (DatasetKind::Bump, OptimizerKind::Adam),
    ] {
        let settings = Settings {
            data: DatasetConfig {
                kind,
                ..Default::default()
            },
            train: TrainConfig {
                optimizer,
                learning_rate: 0.01,
                weight_decay: 1e-4,
                ..Default::default()
            },
            ..Default::default()
        };
        let mut trainer = Trainer::new(&settings, &Device::flex()).unwrap();
        let before = evaluate(&trainer).test_loss;
        trainer.train(300);
        let after = evaluate(&trainer);
        assert!(
            after.test_loss < 0.5 * before,
            "{kind:?}/{optimizer:?}: {before} -> {}",
            after.test_loss
        );
        assert_eq!(
            after.test_accuracy.is_some(),
            !matches!(kind, DatasetKind::Plane | DatasetKind::Bump)
        );
    }
}

#[test]
fn a_huge_learning_rate_diverges_to_a_non_finite_loss() {
    // ReLU units die rather than overflow at moderately huge rates (the loss stays finite, if
    // absurd); MSE overflows at once, and a large enough step overflows the logits too.
    for (kind, learning_rate) in [(DatasetKind::Plane, 10.0), (DatasetKind::Spiral, 1e15)] {
        let settings = Settings {
            data: DatasetConfig {
                kind,
                ..Default::default()
            },
            train: TrainConfig {
                optimizer: OptimizerKind::Sgd,
                learning_rate,
                ..Default::default()
            },
            ..Default::default()
        };
        let mut trainer = Trainer::new(&settings, &Device::flex()).unwrap();
        let curve = losses(&mut trainer, 20);
        assert!(
            curve[0].is_finite(),
            "{kind:?}: the first loss is computed before any step"
        );
        assert!(curve.iter().any(|l| !l.is_finite()), "{kind:?}: {curve:?}");
    }
}

#[test]
fn boundary_is_a_probability_per_class_per_cell() {
    let trainer = Trainer::new(&Settings::default(), &Device::flex()).unwrap();
    let grid = block_on(read_floats(trainer.boundary(10))).unwrap();
    assert_eq!(grid.len(), 10 * 10 * 2);
    for cell in grid.chunks(2) {
        assert!((cell[0] + cell[1] - 1.0).abs() < 1e-5);
    }
}

#[test]
fn bad_settings_give_a_message_not_a_panic() {
    let mut settings = Settings::default();
    settings.train.batch_size = 0;
    let err = Trainer::new(&settings, &Device::flex()).err().unwrap();
    assert_eq!(
        err.to_string(),
        "Training: batch size must be 1-5000, got 0"
    );
}
