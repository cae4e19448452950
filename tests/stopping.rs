//! Native tests of the schedules and stop conditions in the training loop (src/train/schedule.rs,
//! src/train/stopping.rs): the rate each step trains with, a step limit, and early stopping that
//! puts the weights of the best evaluation back, on an overfitting network.

mod common;

use burn::prelude::*;
use common::layer;
use futures_lite::future::block_on;
use kindling::Settings;
use kindling::data::{DatasetConfig, DatasetKind};
use kindling::model::{ActivationKind, MlpConfig};
use kindling::train::{Learning, ScheduleKind, StopReason, TrainConfig, Trainer, read_floats};

/// Few noisy points and a wide network: the test loss falls, then rises as it memorises.
fn overfitting(train: TrainConfig) -> Settings {
    Settings {
        data: DatasetConfig {
            kind: DatasetKind::Gaussian,
            classes: 2,
            points: 40,
            test_fraction: 0.5,
            noise: 1.0,
            seed: 3,
        },
        model: MlpConfig {
            hidden: vec![layer(128, ActivationKind::Relu, 0.0); 2],
            ..Default::default()
        },
        train: TrainConfig {
            batch_size: 20,
            learning_rate: 0.02,
            eval_every: 10,
            ..train
        },
    }
}

/// Evaluates as the page does: the values read back, then told to the loop.
fn evaluate(trainer: &mut Trainer) -> (f32, f32) {
    let values = block_on(read_floats(trainer.evaluate())).unwrap();
    trainer.evaluated(&values);
    (values[0], values[1])
}

#[test]
fn early_stopping_stops_and_puts_back_the_weights_of_the_best_test_loss() {
    let settings = overfitting(TrainConfig {
        patience: 3,
        restore_best: true,
        ..Default::default()
    });
    let mut trainer = Trainer::new(&settings, &Device::flex()).unwrap();
    let mut seen = Vec::new();
    while trainer.stopped().is_none() && trainer.step_count() < 3000 {
        trainer.train(10);
        trainer.take_losses();
        seen.push((trainer.step_count(), evaluate(&mut trainer).1));
    }
    let Some(StopReason::EarlyStopping {
        step,
        best_step,
        best_loss,
        restored,
        ..
    }) = trainer.stopped()
    else {
        panic!("no early stop in 3000 steps: {seen:?}");
    };
    let (best_at, best) = seen
        .iter()
        .copied()
        .fold((0, f32::INFINITY), |b, s| if s.1 < b.1 { s } else { b });
    assert!(restored);
    assert_eq!(
        (best_step, best_loss),
        (best_at, best),
        "the best of {seen:?}"
    );
    assert_eq!(
        step,
        best_step + 30,
        "three evaluations without improvement"
    );
    // The model in force now is the best one: evaluated again, its test loss is the best seen.
    let (_, now) = evaluate(&mut trainer);
    assert_eq!(now, best, "restored weights give the best test loss again");
    assert!(
        seen.last().unwrap().1 > best,
        "it had got worse before stopping"
    );
}

#[test]
fn a_step_limit_stops_training_exactly_there_and_play_stays_stopped() {
    let settings = overfitting(TrainConfig {
        stop_after: 25,
        ..Default::default()
    });
    let mut trainer = Trainer::new(&settings, &Device::flex()).unwrap();
    trainer.train(10);
    trainer.train(10);
    assert!(trainer.stopped().is_none());
    trainer.train(10);
    assert_eq!(trainer.step_count(), 25);
    assert_eq!(trainer.stopped(), Some(StopReason::AfterSteps { step: 25 }));
    trainer.resume();
    trainer.train(10);
    assert_eq!(trainer.step_count(), 25, "the limit holds after Play");
}

#[test]
fn each_step_trains_with_the_scheduled_rate() {
    let settings = overfitting(TrainConfig {
        schedule: ScheduleKind::Cosine,
        warmup_steps: 5,
        decay_steps: 40,
        cosine_floor: 0.0,
        ..Default::default()
    });
    let mut trainer = Trainer::new(&settings, &Device::flex()).unwrap();
    let mut rates = Vec::new();
    for _ in 0..45 {
        rates.push(trainer.scheduled_rate());
        trainer.train(1);
    }
    assert!(
        (rates[0] - 0.02 / 6.0).abs() < 1e-12,
        "warm-up starts low: {}",
        rates[0]
    );
    assert_eq!(rates[5], 0.02, "the base rate after the warm-up");
    assert!(
        rates[40] < 1e-12 && rates[44] < 1e-12,
        "down to the floor and flat"
    );
    assert!(
        rates[5..40].windows(2).all(|w| w[1] < w[0]),
        "falls all the way"
    );
}
