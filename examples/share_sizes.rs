//! Link sizes and encode/decode times of the default models in each precision (issue 6's
//! measurement). Run by `cargo xtask bench`; prints a table and writes bench/share.json.
//! Native, on Burn's CPU backend: the link bytes are the same on every backend.

use burn::prelude::*;
use futures_lite::future::block_on;
use kindling::SequenceSettings;
use kindling::Settings;
use kindling::share::{Precision, Shared, decode_link, encode_link, param_values_from};
use kindling::train::{Learning, SequenceTrainer, Trainer, read_floats};
use std::time::Instant;

fn main() {
    let mut mlp_settings = Settings::default();
    mlp_settings.train.batch_size = 256; // the bench's spiral MLP: 2 -> 64 -> 64 -> 2, Adam
    let mut mlp = Trainer::new(&mlp_settings, &Device::flex()).unwrap();
    mlp.train(300);
    let seq_settings = SequenceSettings::default();
    let mut seq = SequenceTrainer::new(&seq_settings, &Device::flex()).unwrap();
    seq.train(300);

    let models = [
        (
            "spiral MLP (4,482 parameters)",
            0u8,
            serde_json::to_string(&mlp_settings).unwrap(),
            mlp.params(),
        ),
        (
            "reversal transformer (14,064 parameters)",
            1u8,
            serde_json::to_string(&seq_settings).unwrap(),
            seq.params(),
        ),
    ];
    let mut rows = Vec::new();
    println!("| model | precision | link characters | encode | decode |\n|---|---|---:|---:|---:|");
    for (name, kind, settings, (names, shapes, all)) in models {
        let params = param_values_from(names, shapes, &block_on(read_floats(all)).unwrap());
        for precision in [Precision::F32, Precision::F16, Precision::Int8] {
            let shared = Shared {
                kind,
                settings: settings.clone(),
                step: 300,
                history: vec![],
                precision,
                params: params.clone(),
                data: None,
            };
            let reps = 50;
            let t = Instant::now();
            let mut link = String::new();
            for _ in 0..reps {
                link = encode_link(&shared);
            }
            let encode_ms = t.elapsed().as_secs_f64() * 1000.0 / reps as f64;
            let t = Instant::now();
            for _ in 0..reps {
                decode_link(&link).unwrap();
            }
            let decode_ms = t.elapsed().as_secs_f64() * 1000.0 / reps as f64;
            println!(
                "| {name} | {precision:?} | {} | {encode_ms:.2} ms | {decode_ms:.2} ms |",
                link.len()
            );
            rows.push(serde_json::json!({
                "model": name, "precision": format!("{precision:?}"), "linkChars": link.len(),
                "encodeMs": encode_ms, "decodeMs": decode_ms,
            }));
        }
    }
    std::fs::create_dir_all("bench").unwrap();
    std::fs::write(
        "bench/share.json",
        serde_json::to_string_pretty(&rows).unwrap() + "\n",
    )
    .unwrap();
    println!("wrote bench/share.json");
}
