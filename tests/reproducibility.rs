//! Same seed, same settings, CPU backend: the same loss curve, bit for bit.
//!
//! Alone in its own test binary on purpose: Burn's CPU generator is process-wide, and tests
//! running on other threads would draw from it between our seeding and our use.

use burn::prelude::*;
use futures_lite::future::block_on;
use kindling::Settings;
use kindling::train::{Learning, Trainer, read_floats};

#[test]
fn same_seed_same_curve_bit_for_bit() {
    let mut settings = Settings::default();
    settings.model.hidden[0].dropout = 0.3;
    let run = |settings: &Settings| {
        let mut trainer = Trainer::new(settings, &Device::flex()).unwrap();
        trainer.train(30);
        let curve = block_on(read_floats(trainer.take_losses().unwrap())).unwrap();
        let eval = trainer.evaluation(&block_on(read_floats(trainer.evaluate())).unwrap());
        (
            curve.iter().map(|l| l.to_bits()).collect::<Vec<_>>(),
            eval.test_loss.to_bits(),
        )
    };
    assert_eq!(run(&settings), run(&settings));
    let mut other = settings.clone();
    other.train.seed = 2;
    assert_ne!(run(&settings).0, run(&other).0);
}
