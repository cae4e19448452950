//! The training recipe's checks (src/train/recipe/) on Burn's CPU backend: the loss at init, the
//! output bias at the prior, overfitting one batch without touching the user's model, the
//! zero-input baseline, dropout in train and eval mode, and a seed that reproduces a run.
//! (Zero init's symmetry: tests/training.rs, `zero_init_keeps_the_units_of_a_layer_identical`.)

use burn::prelude::*;
use futures_lite::future::block_on;
use kindling::Settings;
use kindling::data::Rng;
use kindling::data::table::{FileData, TableChoices, encode, infer_schema, read_file};
use kindling::model::{ActivationKind, InitKind, LayerConfig, OutputBias};
use kindling::train::recipe::{
    Baseline, OVERFIT_CHUNK, OVERFIT_TARGET, OverfitBatch, OverfitReport, OverfitVerdict,
};
use kindling::train::{DataSource, Learning, Trainer, read_floats};

fn read(t: Tensor<1>) -> Vec<f32> {
    block_on(read_floats(t)).unwrap()
}

fn losses(trainer: &mut Trainer, steps: usize) -> Vec<f32> {
    trainer.train(steps);
    read(trainer.take_losses().unwrap())
}

fn train_loss(trainer: &Trainer) -> f32 {
    trainer.evaluation(&read(trainer.evaluate())).train_loss
}

fn params(trainer: &Trainer) -> Vec<u32> {
    read(trainer.params().2)
        .iter()
        .map(|v| v.to_bits())
        .collect()
}

/// Runs the check to its end, as the page does: chunks of steps, each read back.
fn overfit(trainer: &Trainer, settings: &Settings) -> OverfitReport {
    let mut run = OverfitBatch::new(trainer, &settings.train);
    loop {
        let chunk = run.train(trainer, OVERFIT_CHUNK.min(run.left()));
        if run.record(&read(chunk)) {
            return run.report();
        }
    }
}

/// A table of `rows` rows generated here: a feature `x` and a label that is "rare" for one row
/// in `rare_every` (so classes are imbalanced), and a numeric target `y`.
fn table(rows: usize, rare_every: usize, target: &str) -> DataSource {
    let mut rng = Rng::new(7);
    let mut csv = String::from("x,label,y\n");
    for i in 0..rows {
        let x = rng.range(-2.0, 2.0);
        let label = if i % rare_every == 0 {
            "rare"
        } else {
            "common"
        };
        let y = 3.0 * x + 10.0 + rng.range(-1.0, 1.0);
        csv.push_str(&format!("{x},{label},{y}\n"));
    }
    let FileData::Table(t) = read_file("gen.csv", csv.as_bytes()).unwrap() else {
        panic!("a CSV reads as a table");
    };
    let schema = infer_schema(&t).unwrap();
    let choices = TableChoices {
        target: target.into(),
        features: Some(vec!["x".into()]),
        ..Default::default()
    };
    DataSource::Table(encode(&t, &schema, &choices).unwrap())
}

fn zeros_with_prior() -> Settings {
    let mut settings = Settings::default();
    settings.model.init = InitKind::Zeros;
    settings.model.output_bias = OutputBias::Prior;
    settings
}

#[test]
fn the_default_spiral_starts_at_ln_2() {
    let settings = Settings::default();
    let trainer = Trainer::new(&settings, &Device::flex()).unwrap();
    let measured = read(trainer.initial_loss(&settings))[0];
    let check = trainer.initial_loss_check(&settings, measured);
    eprintln!("loss at init {measured}, expected {}", check.expected);
    assert_eq!(check.verdict, "ok");
    assert!((measured - 2f32.ln()).abs() < 0.05, "{measured}");
    // The same model the session started from: its own loss at step 0.
    assert_eq!(measured, train_loss(&trainer));
    // A far too wide init is caught.
    let mut wide = settings.clone();
    wide.model.init = InitKind::Uniform;
    wide.model.hidden = vec![
        LayerConfig {
            units: 256,
            ..Default::default()
        };
        3
    ];
    let trainer = Trainer::new(&wide, &Device::flex()).unwrap();
    let measured = read(trainer.initial_loss(&wide))[0];
    assert_eq!(
        trainer.initial_loss_check(&wide, measured).verdict,
        "high",
        "{measured}"
    );
}

#[test]
fn the_output_bias_at_the_prior_gives_the_priors_cross_entropy_at_step_0() {
    let settings = zeros_with_prior();
    let trainer =
        Trainer::with_source(&settings, table(200, 10, "label"), &Device::flex()).unwrap();
    let y = &trainer.dataset().train.y;
    let share = y.iter().filter(|v| **v == 0.0).count() as f64 / y.len() as f64;
    let rare = share.min(1.0 - share);
    assert!((0.05..0.2).contains(&rare), "imbalanced: {rare}");
    let entropy = -(rare * rare.ln() + (1.0 - rare) * (1.0 - rare).ln()) as f32;
    let at_step_0 = train_loss(&trainer);
    assert!(
        (at_step_0 - entropy).abs() < 1e-5,
        "{at_step_0} vs {entropy}"
    );
    let check = trainer.initial_loss_check(&settings, at_step_0);
    assert!((check.expected - entropy).abs() < 1e-6);
    assert_eq!(check.verdict, "ok");
    // A zero bias starts at ln 2 instead, well above the prior's entropy.
    let mut zero = settings.clone();
    zero.model.output_bias = OutputBias::Zero;
    let plain = Trainer::with_source(&zero, table(200, 10, "label"), &Device::flex()).unwrap();
    assert!((train_loss(&plain) - 2f32.ln()).abs() < 1e-6);
    // With random output weights (Kaiming) the prior is only approximate, but close.
    let mut kaiming = settings.clone();
    kaiming.model.init = InitKind::Kaiming;
    let t = Trainer::with_source(&kaiming, table(200, 10, "label"), &Device::flex()).unwrap();
    assert!(
        (train_loss(&t) - entropy).abs() < 0.15,
        "{}",
        train_loss(&t)
    );
}

#[test]
fn the_output_bias_at_the_mean_gives_the_targets_variance_at_step_0() {
    let settings = zeros_with_prior();
    let trainer = Trainer::with_source(&settings, table(200, 10, "y"), &Device::flex()).unwrap();
    let y = &trainer.dataset().train.y;
    let mean = y.iter().map(|v| *v as f64).sum::<f64>() / y.len() as f64;
    let variance =
        (y.iter().map(|v| (*v as f64 - mean).powi(2)).sum::<f64>() / y.len() as f64) as f32;
    let mse = train_loss(&trainer);
    assert!(
        (mse - variance).abs() < 1e-5 * variance.max(1.0),
        "{mse} vs {variance}"
    );
}

#[test]
fn one_batch_is_memorised_and_the_model_is_left_as_it_was() {
    let settings = Settings::default();
    let mut trainer = Trainer::new(&settings, &Device::flex()).unwrap();
    let mut twin = Trainer::new(&settings, &Device::flex()).unwrap();
    // Part-way through training, with the optimiser's moments warm.
    assert_eq!(losses(&mut trainer, 30), losses(&mut twin, 30));
    let before = params(&trainer);
    let report = overfit(&trainer, &settings);
    eprintln!("overfit: {report:?}");
    assert_eq!(report.verdict, OverfitVerdict::Reached);
    assert!(report.final_loss < OVERFIT_TARGET && report.steps <= 2000);
    assert_eq!(report.rows, 64);
    assert_eq!(params(&trainer), before, "the weights, bit for bit");
    // The optimiser state and batch order too: the next steps are the twin's, bit for bit.
    let bits = |v: Vec<f32>| v.iter().map(|l| l.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(losses(&mut trainer, 20)), bits(losses(&mut twin, 20)));
}

#[test]
fn a_failure_to_overfit_names_its_cause() {
    let mut tiny = Settings::default();
    tiny.model.hidden = vec![LayerConfig {
        units: 1,
        activation: ActivationKind::Tanh,
        dropout: 0.0,
    }];
    let trainer = Trainer::new(&tiny, &Device::flex()).unwrap();
    let report = overfit(&trainer, &tiny);
    assert_eq!(report.verdict, OverfitVerdict::Plateau, "{report:?}");
    let mut hot = Settings::default();
    hot.train.learning_rate = 50.0;
    let trainer = Trainer::new(&hot, &Device::flex()).unwrap();
    let report = overfit(&trainer, &hot);
    assert!(
        matches!(
            report.verdict,
            OverfitVerdict::Diverged | OverfitVerdict::Oscillating
        ),
        "{report:?}"
    );
}

#[test]
fn the_zero_input_baseline_learns_only_the_prior() {
    let settings = Settings::default();
    let mut trainer = Trainer::new(&settings, &Device::flex()).unwrap();
    let mut twin = Trainer::new(&settings, &Device::flex()).unwrap();
    let mut baseline = Baseline::new(&trainer, &settings);
    trainer.train_with_baseline(400, &mut baseline);
    let real = read(trainer.take_losses().unwrap());
    let base = read(baseline.take_losses().unwrap());
    assert_eq!((real.len(), base.len()), (400, 400));
    // Both start from the same weights on the same batch.
    assert_eq!(real[0], losses(&mut twin, 1)[0]);
    let tail = |v: &[f32]| v[350..].iter().sum::<f32>() / 50.0;
    eprintln!(
        "after 400 steps: real {}, baseline {}",
        tail(&real),
        tail(&base)
    );
    assert!(
        (tail(&base) - 2f32.ln()).abs() < 0.05,
        "baseline {}",
        tail(&base)
    );
    assert!(tail(&real) < 0.4, "real {}", tail(&real));
    // The baseline leaves the real run as it would be without it.
    let rest = losses(&mut twin, 399);
    assert_eq!(&real[1..], &rest[..]);
}

#[test]
fn dropout_is_on_in_train_mode_and_off_in_eval_mode() {
    let mut settings = Settings::default();
    let trainer = Trainer::new(&settings, &Device::flex()).unwrap();
    let check = trainer.dropout_check(64, &read(trainer.dropout_losses(64)));
    assert!(!check.has_dropout);
    // The same network both ways (the train-mode mean of 8 equal passes rounds in its last bit).
    assert!(
        (check.train_mode - check.eval_mode).abs() < 1e-6,
        "{check:?}"
    );
    for layer in &mut settings.model.hidden {
        layer.dropout = 0.5;
    }
    let mut trainer = Trainer::new(&settings, &Device::flex()).unwrap();
    trainer.train(200);
    let check = trainer.dropout_check(64, &read(trainer.dropout_losses(64)));
    eprintln!("{check:?}");
    assert!(check.has_dropout);
    assert!(check.train_max > check.train_min, "each pass its own masks");
    assert!(check.train_mode > check.eval_mode, "{check:?}");
}

#[test]
fn the_same_seed_reproduces_200_steps_bit_for_bit() {
    let run = |seed: u64| {
        let mut settings = Settings::default();
        settings.train.seed = seed;
        let mut trainer = Trainer::new(&settings, &Device::flex()).unwrap();
        losses(&mut trainer, 200)
            .iter()
            .map(|l| l.to_bits())
            .collect::<Vec<_>>()
    };
    assert_eq!(run(5), run(5));
    assert_ne!(run(5), run(6));
}
