//! The memory budget, measured: for a range of models, the estimate (`kindling::train::memory`)
//! beside the peak of live bytes really allocated natively on the CPU (a counting allocator
//! around building the trainer, 3 steps and an evaluation), and the largest batch the CPU's
//! budget allows for the default transformer and for the one of issue 15's link (length 128,
//! 8 heads), with its measured peak.
//!
//! `cargo run --release --example memory_budget`

#[path = "../tests/common/peak.rs"]
mod peak;

use peak::transformer;

use kindling::train::budget::{Budget, check_transformer};
use kindling::train::memory::{self, SequenceShape, human};
use kindling::{SequenceSettings, Settings};

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn row(name: &str, estimate: u64, measured: usize) {
    println!(
        "{name:<50} {:>10} {:>10} {:>6.2}",
        mib(estimate),
        mib(measured as u64),
        measured as f64 / estimate as f64
    );
}

/// The largest batch size that the CPU's budget allows for `s`, from the refusal of batch 5000.
fn largest_batch(s: &SequenceSettings) -> usize {
    let mut s = s.clone();
    s.train.batch_size = 5000;
    let shape = SequenceShape::of(&s.data.generate().expect("valid data"));
    match check_transformer(&s, &shape, &Budget::CPU) {
        Ok(()) => memory::effective_batch(5000, shape.train),
        // "Training: … The largest batch size that fits is N.": N is the inner error's value.
        Err(e) => match e.cause.as_deref().and_then(|c| c.field("value")) {
            Some(kindling::error::Field::Text(n)) => n.parse().expect("a number"),
            _ => panic!("no batch size fits: {e}"),
        },
    }
}

fn main() {
    // Once per process, not per model: lazily built statics (thread pools, kernels' scratch).
    peak::mlp_peak(&Settings::default(), 3);
    peak::transformer_peak(&SequenceSettings::default(), 3);
    println!(
        "{:<50} {:>10} {:>10} {:>6}",
        "model", "estimate", "measured", "ratio"
    );
    for (units, layers, batch, points) in
        [(64, 2, 64, 600), (256, 2, 1000, 5000), (256, 6, 2500, 5000)]
    {
        let mut s = Settings::default();
        s.model.hidden = vec![s.model.hidden[0].clone(); layers];
        s.model.hidden.iter_mut().for_each(|l| l.units = units);
        s.train.batch_size = batch;
        s.data.points = points;
        let data = memory::MlpData::of(&s.data.generate().unwrap());
        let estimate = memory::mlp(&s.model, &s.train, &data).peak();
        row(
            &format!("MLP {layers}×{units}, batch {batch}, {points} points"),
            estimate,
            peak::mlp_peak(&s, 3),
        );
    }
    for (d, h, layers, length, batch) in [
        (32, 1, 1, 8, 64),
        (64, 4, 2, 32, 128),
        (128, 8, 2, 64, 64),
        (64, 8, 1, 128, 64),
    ] {
        let s = transformer(d, h, layers, length, batch);
        let shape = SequenceShape::of(&s.data.generate().unwrap());
        let estimate = memory::transformer(&s.model, &s.train, &shape).peak();
        let name = format!("transformer d{d} h{h} ×{layers}, length {length}, batch {batch}");
        row(&name, estimate, peak::transformer_peak(&s, 3));
    }
    println!();
    for (name, s) in [
        ("default transformer", SequenceSettings::default()),
        ("length 128, 8 heads", transformer(32, 8, 1, 128, 64)),
    ] {
        let batch = largest_batch(&s);
        let mut s = s;
        s.train.batch_size = batch;
        let shape = SequenceShape::of(&s.data.generate().unwrap());
        let estimate = memory::transformer(&s.model, &s.train, &shape);
        let measured = peak::transformer_peak(&s, 2);
        println!(
            "{name}: largest batch on the CPU {batch} (train set {}); needs {} with the allocator's overhead (budget {}); live estimate {}, measured peak {}",
            shape.train,
            human(Budget::needed(&estimate)),
            human(Budget::CPU.total),
            mib(estimate.peak()),
            mib(measured as u64)
        );
    }
}
