//! The `kindling` command (src/bin/kindling.rs, the core in src/train/resume.rs) continues a model
//! the page exported: a model file written at step N as the page writes it, trained 100 steps by
//! the binary on the CPU, reads back (as the page's import does) at step N + 100 with the same
//! settings and a lower training loss; its link opens too; a missing input is refused. A model of
//! the user's own table is rebuilt on that file (given with --data, checked by its fingerprint)
//! with the choices the page made, and comes back the same way.

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
    let trainer = after.trainer(&Device::flex(), None).unwrap();
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
    let linked = from_link.trainer(&Device::flex(), None).unwrap();
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

/// An MLP on a user's table (iris, under another name) trained `steps` steps, as the page's
/// Export model writes it: the file's name, size, fingerprint and the page's choices in it.
fn exported_table(steps: usize) -> (Vec<u8>, Vec<u8>, f32) {
    use kindling::data::table::{FileData, TableChoices, encode, infer_schema, read_file};
    use kindling::share::{DataOrigin, UseKind, fingerprint};
    use kindling::train::DataSource;
    let csv = std::fs::read("assets/datasets/iris.csv").unwrap();
    let FileData::Table(t) = read_file("flowers.csv", &csv).unwrap() else {
        panic!("a table")
    };
    let choices = TableChoices {
        target: "species".into(),
        test_fraction: 0.3,
        ..TableChoices::default()
    };
    let encoded = encode(&t, &infer_schema(&t).unwrap(), &choices).unwrap();
    let settings = Settings::default();
    let mut trainer =
        Trainer::with_source(&settings, DataSource::Table(encoded), &Device::flex()).unwrap();
    trainer.train(steps);
    trainer.take_losses();
    let (names, shapes, values) = trainer.params();
    let params = param_values_from(names, shapes, &block_on(read_floats(values)).unwrap());
    let origin = DataOrigin {
        name: "flowers.csv".into(),
        bytes: csv.len() as u64,
        sha256: fingerprint(&csv),
        sample: false,
        kind: UseKind::Table,
        // As the page keeps them: the choices it gave, camelCase.
        choices: r#"{"choices":{"target":"species","testFraction":0.3}}"#.into(),
    };
    let json = serde_json::to_string(&settings).unwrap();
    let bytes = write_safetensors(
        &params,
        "points",
        &json,
        steps as u32,
        Some(&origin),
        &trainer.summary(),
    )
    .unwrap();
    (bytes, csv, evaluate(&trainer).unwrap().train)
}

#[test]
fn a_model_of_the_users_table_trains_on_that_file_given_with_data() {
    let dir = std::env::temp_dir().join(format!("kindling-cli-table-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (bytes, csv, loss_before) = exported_table(20);
    let input = dir.join("flowers-model.safetensors");
    std::fs::write(&input, &bytes).unwrap();
    let data = dir.join("flowers.csv");
    let out = dir.join("flowers-model.trained.safetensors");
    let train = |data_arg: Option<&std::path::Path>| {
        let mut cmd = Command::new(BIN);
        cmd.args(["train", input.to_str().unwrap(), "--steps", "100"]);
        cmd.args(["--out", out.to_str().unwrap()]);
        if let Some(d) = data_arg {
            cmd.args(["--data", d.to_str().unwrap()]);
        }
        cmd.output().unwrap()
    };
    // Without the file, and with another file, it says what it needs.
    let run = train(None);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("trained on flowers.csv"), "{stderr}");
    std::fs::write(&data, b"sepal,species\n1,a\n").unwrap();
    let run = train(Some(&data));
    assert!(!run.status.success(), "another file is refused");
    std::fs::write(&data, &csv).unwrap();
    let run = train(Some(&data));
    assert!(
        run.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let written = std::fs::read(&out).unwrap();
    let after = read_resumable(&written).unwrap();
    assert_eq!(after.step, 120);
    assert_eq!(
        after.data.as_ref().unwrap().name,
        "flowers.csv",
        "the file is still named"
    );
    let trainer = after.trainer(&Device::flex(), Some(&csv)).unwrap();
    assert_eq!(trainer.step_count(), 120);
    let loss_after = evaluate(trainer.as_ref()).unwrap().train;
    assert!(
        loss_after < loss_before,
        "training loss {loss_before} -> {loss_after}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
