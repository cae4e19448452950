//! The text task's learning curve (issue 19, item 2): the char-level language model on the
//! built-in corpus with the sequences defaults, its train and test loss at each evaluation, and
//! where early stopping (patience 5, restoring the best weights) would stop it. Prints numbers;
//! asserts nothing.
//!   cargo run --release --example text_curve -- [STEPS] [TASK: text (default), reverse, sort, …]

use burn::prelude::*;
use futures_lite::future::block_on;
use kindling::SequenceSettings;
use kindling::train::{Learning, SequenceTrainer, read_floats};

fn main() {
    let steps: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1500);
    let mut settings = SequenceSettings::default();
    let task = std::env::args().nth(2).unwrap_or_else(|| "text".into());
    settings.data.task = serde_json::from_value(serde_json::json!(task)).expect("a task name");
    settings.train.patience = 5;
    let mut trainer =
        SequenceTrainer::new(&settings, &Device::flex()).expect("the defaults are valid");
    let every = settings.train.eval_every;
    let started = std::time::Instant::now();
    println!("step  train loss  test loss  ({task}, sequences defaults, eval every {every})");
    while trainer.step_count() < steps {
        trainer.train(every);
        trainer.take_losses();
        let values = block_on(read_floats(trainer.evaluate())).expect("a CPU read");
        let stopped_before = trainer.stopped().is_some();
        trainer.evaluated(&values);
        let accuracy = values[3];
        println!(
            "{:5} {:10.3} {:10.3}  test accuracy {accuracy:.3}",
            trainer.step_count(),
            values[0],
            values[1]
        );
        if let (false, Some(reason)) = (stopped_before, trainer.stopped()) {
            println!("early stopping (patience 5) would stop here: {reason:?}");
        }
    }
    println!("{steps} steps in {:.1} s", started.elapsed().as_secs_f64());
}
