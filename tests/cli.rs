//! The `kindling` command (src/bin/kindling.rs, the core in src/train/resume.rs) continues a model
//! the page exported: a model file written at step N as the page writes it, trained 100 steps by
//! the binary on the CPU, reads back (as the page's import does) at step N + 100 with the same
//! settings and a lower training loss; its link opens too; a missing input is refused.

use burn::prelude::*;
use futures_lite::future::block_on;
use kindling::Settings;
use kindling::share::{param_values_from, read_safetensors, write_safetensors};
use kindling::train::resume::{evaluate, read_resumable};
use kindling::train::{Learning, Trainer, read_floats};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_kindling");

/// The default spiral trained `steps` steps, as the page's Export model writes it.
fn exported(steps: usize) -> (Vec<u8>, f32) {
    let settings = Settings::default();
    let mut trainer = Trainer::new(&settings, &Device::flex()).unwrap();
    trainer.train(steps);
    trainer.take_losses();
    let (names, shapes, values) = trainer.params();
    let all = block_on(read_floats(values)).unwrap();
    let params = param_values_from(names, shapes, &all);
    let json = serde_json::to_string(&settings).unwrap();
    let bytes = write_safetensors(
        &params,
        "points",
        &json,
        steps as u32,
        None,
        &trainer.summary(),
    )
    .unwrap();
    let train_loss = evaluate(&trainer).unwrap().train;
    (bytes, train_loss)
}

#[test]
fn a_model_exported_at_step_n_comes_back_at_n_plus_100_with_a_lower_loss() {
    let dir = std::env::temp_dir().join(format!("kindling-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (bytes, loss_before) = exported(50);
    let input = dir.join("spiral.safetensors");
    std::fs::write(&input, &bytes).unwrap();
    let out = dir.join("spiral.trained.safetensors");
    let run = Command::new(BIN)
        .args([
            "train",
            input.to_str().unwrap(),
            "--steps",
            "100",
            "--backend",
            "cpu",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let written = std::fs::read(&out).unwrap();
    let file = read_safetensors(&written).unwrap();
    assert_eq!(file.step, 150, "step N + 100");
    assert_eq!(file.kind, "points");
    let before = read_resumable(&bytes).unwrap();
    let after = read_resumable(&written).unwrap();
    assert_eq!(after.settings, before.settings, "the same settings");
    let trainer = after.trainer(&Device::flex()).unwrap();
    assert_eq!(trainer.step_count(), 150);
    let loss_after = evaluate(trainer.as_ref()).unwrap().train;
    assert!(
        loss_after < loss_before,
        "training loss {loss_before} -> {loss_after}"
    );

    // The link it wrote opens the same model at the same step.
    let link = std::fs::read_to_string(out.with_extension("link"))
        .expect("the link beside the model file");
    let from_link = read_resumable(link.as_bytes()).unwrap();
    assert_eq!(from_link.step, 150);
    let linked = from_link.trainer(&Device::flex()).unwrap();
    let linked_loss = evaluate(linked.as_ref()).unwrap().train;
    assert!(
        (linked_loss - loss_after).abs() < 1e-3,
        "the link's model: {linked_loss} vs {loss_after}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_missing_input_is_refused_with_its_name() {
    let run = Command::new(BIN)
        .args(["train", "/nope/model.safetensors", "--steps", "1"])
        .output()
        .unwrap();
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("/nope/model.safetensors"), "{stderr}");
}
