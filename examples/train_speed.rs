//! Native training speed of the bench's workloads on Burn's CPU backend (flex), one thread:
//! the reference the wasm CPU path is compared with (issue 7), and a target for `perf`.
//!   cargo run --release --example train_speed [seconds per workload] [mlp|transformer] [steps per read]

use burn::prelude::*;
use futures_lite::future::block_on;
use kindling::Settings;
use kindling::train::{SequenceSettings, SequenceTrainer, Trainer, read_floats};
use std::time::{Duration, Instant};

fn main() {
    let seconds: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    let budget = Duration::from_secs_f64(seconds);
    let device = Device::flex();
    let only = std::env::args().nth(2);
    let run = |name: &str| only.as_deref().is_none_or(|o| o == name || o == "all");
    let per_read: usize = std::env::args()
        .nth(3)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);

    if run("mlp") {
        let mut settings = Settings::default();
        settings.train.batch_size = 256; // 2 -> 64 -> 64 -> 2, Adam, as the browser bench
        let mut mlp = Trainer::new(&settings, &device).unwrap();
        report("spiral MLP, batch 256", budget, per_read, |steps| {
            mlp.train(steps);
            last(mlp.take_losses())
        });
    }
    if run("transformer") {
        let settings = SequenceSettings::default(); // reversal: vocab 16, length 8, d_model 32
        let mut seq = SequenceTrainer::new(&settings, &device).unwrap();
        report(
            "reversal transformer, batch 64",
            budget,
            per_read,
            |steps| {
                seq.train(steps);
                last(seq.take_losses())
            },
        );
    }
}

fn last(losses: Option<Tensor<1>>) -> f32 {
    let values = block_on(read_floats(losses.expect("steps were taken"))).unwrap();
    *values.last().expect("one loss per step")
}

/// Steps in batches of `per_read` (10 as the page trains) with one loss readback each, for `budget`.
fn report(name: &str, budget: Duration, per_read: usize, mut train: impl FnMut(usize) -> f32) {
    let first = train(per_read);
    let start = Instant::now();
    let mut steps = 0;
    let mut loss = first;
    while start.elapsed() < budget {
        loss = train(per_read);
        steps += per_read;
    }
    let rate = steps as f64 / start.elapsed().as_secs_f64();
    println!(
        "{name}: {rate:.0} steps/s, loss read every {per_read} (loss {first:.3} -> {loss:.3}, {steps} steps)"
    );
}
