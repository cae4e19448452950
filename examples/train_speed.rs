//! Native training speed of the bench's workloads, one thread on Burn's CPU backend (flex), or on a
//! GPU through wgpu (the WGSL shaders the browser runs, on Vulkan): the reference the wasm CPU path
//! is compared with (issue 7), a target for `perf`, and the GPU-against-CPU comparison of the char
//! LM where a GPU is at hand.
//!   cargo run --release --example train_speed [seconds] [mlp|transformer|charlm|all] [steps per read]
//!   cargo run --release --features gpu --example train_speed 5 charlm 10 gpu
//! The GPU run first trains the self-check's small models on both backends and compares them.

use burn::prelude::*;
use futures_lite::future::block_on;
use kindling::SequenceSettings;
use kindling::Settings;
use kindling::data::SequenceTask;
use kindling::train::{Learning, SequenceTrainer, Trainer, read_floats};
use std::time::{Duration, Instant};

fn main() {
    let arg = |n: usize| std::env::args().nth(n);
    let seconds: f64 = arg(1).and_then(|s| s.parse().ok()).unwrap_or(3.0);
    let budget = Duration::from_secs_f64(seconds);
    let only = arg(2);
    let run = |name: &str| only.as_deref().is_none_or(|o| o == name || o == "all");
    let per_read: usize = arg(3).and_then(|s| s.parse().ok()).unwrap_or(10);
    let device = match arg(4).as_deref() {
        None | Some("cpu") => Device::flex(),
        Some("gpu") => gpu(),
        Some(other) => panic!("device must be cpu or gpu, got {other}"),
    };

    if run("mlp") {
        let mut settings = Settings::default();
        settings.train.batch_size = 256; // 2 -> 64 -> 64 -> 2, Adam, as the browser bench
        let mut mlp = Trainer::new(&settings, &device).unwrap();
        report("spiral MLP, batch 256", budget, per_read, |steps| {
            mlp.train(steps);
            last(mlp.take_losses())
        });
    }
    // reversal: vocab 16, length 8, d_model 32 (the defaults)
    let workloads = [
        ("transformer", "reversal transformer, batch 64", false),
        (
            "charlm",
            "char LM (sonnets, d_model 128, 4 heads, 2 blocks, length 64), batch 32",
            true,
        ),
    ];
    for (name, title, char_lm) in workloads {
        if !run(name) {
            continue;
        }
        let mut settings = SequenceSettings::default();
        if char_lm {
            // as tests/bench's 'char LM'
            settings.data.task = SequenceTask::Text;
            settings.data.length = 64;
            (
                settings.model.d_model,
                settings.model.heads,
                settings.model.layers,
            ) = (128, 4, 2);
            settings.train.batch_size = 32;
        }
        let mut seq = SequenceTrainer::new(&settings, &device).unwrap();
        report(title, budget, per_read, |steps| {
            seq.train(steps);
            last(seq.take_losses())
        });
    }
}

#[cfg(feature = "gpu")]
fn gpu() -> Device {
    use burn::tensor::wgpu::WgpuBackend;
    let device = Device::wgpu_options()
        .graphics_api(WgpuBackend::Vulkan)
        .init()
        .unwrap_or_else(|e| panic!("no GPU through wgpu on Vulkan: {e}"));
    println!("GPU: wgpu on Vulkan (WGSL shaders)");
    let check = block_on(kindling::train::compare_backends(&Device::flex(), &device));
    println!(
        "self-check against the CPU: {} (max diff {:e}){}",
        if check.ok { "ok" } else { "FAILED" },
        check.max_diff,
        check.reason.map(|r| format!(": {r}")).unwrap_or_default()
    );
    device
}

#[cfg(not(feature = "gpu"))]
fn gpu() -> Device {
    panic!("built without the GPU: cargo run --release --features gpu --example train_speed …")
}

fn last(losses: Option<Tensor<1>>) -> f32 {
    let values = block_on(read_floats(losses.expect("steps were taken"))).unwrap();
    *values.last().expect("one loss per step")
}

/// Steps in batches of `per_read` (10 as the page trains) with one loss readback each, for `budget`.
fn report(name: &str, budget: Duration, per_read: usize, mut train: impl FnMut(usize) -> f32) {
    let first_start = Instant::now();
    let first = train(per_read);
    let first_ms = first_start.elapsed().as_secs_f64() * 1e3;
    let start = Instant::now();
    let mut steps = 0;
    let mut loss = first;
    while start.elapsed() < budget {
        loss = train(per_read);
        steps += per_read;
    }
    let rate = steps as f64 / start.elapsed().as_secs_f64();
    println!(
        "{name}: {rate:.1} steps/s, loss read every {per_read} (first {per_read} steps {first_ms:.0} ms; loss {first:.3} -> {loss:.3}, {steps} steps)"
    );
}
