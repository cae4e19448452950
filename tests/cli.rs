//! The `kindling` command (src/bin/kindling.rs, the core in src/train/resume.rs) continues a model
//! the page exported: a model file written at step N as the page writes it, trained 100 steps by
//! the binary on the CPU, reads back (as the page's import does) at step N + 100 with the same
//! settings and a lower training loss; its link opens too; a missing input is refused. A model of
//! the user's own table is rebuilt on that file (given with --data, checked by its fingerprint)
//! with the choices the page made, and comes back the same way. Built with `--features gpu`
//! (as `cargo xtask test` builds it), the command trains on Vulkan as on the CPU, evaluation for
//! evaluation, wherever a Vulkan driver is installed (Mesa's lavapipe in CI).

mod common;

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
    let json = serde_json::to_string(&settings).unwrap();
    (
        model_file(&mut trainer, &json),
        evaluate(&trainer).unwrap().train,
    )
}

/// The model file of `learning` (trained with the settings `json`), as Export model writes it.
fn model_file(learning: &mut dyn Learning, json: &str) -> Vec<u8> {
    learning.take_losses();
    let (names, shapes, values) = learning.params();
    let all = block_on(read_floats(values)).unwrap();
    let params = param_values_from(names, shapes, &all);
    let step = learning.step_count() as u32;
    let summary = learning.summary();
    write_safetensors(&params, learning.kind_name(), json, step, None, &summary).unwrap()
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

/// The evaluations the command prints ("step 60: train loss 0.6512, test loss 0.6631, test
/// accuracy 71.0%"), as (step, [train loss, test loss, accuracy or NaN]).
#[cfg(feature = "gpu")]
fn evaluations(stdout: &str) -> Vec<(usize, Vec<f64>)> {
    let number = |s: &str| s.trim_end_matches([',', '%']).parse::<f64>().ok();
    stdout
        .lines()
        .filter_map(|line| {
            let (step, rest) = line.strip_prefix("step ")?.split_once(": train loss ")?;
            let words: Vec<&str> = rest.split_whitespace().collect();
            let mut values = vec![number(words.first()?)?, number(words.get(3)?)?];
            values.push(words.get(6).and_then(|w| number(w)).unwrap_or(f64::NAN));
            Some((step.parse().ok()?, values))
        })
        .collect()
}

#[cfg(feature = "gpu")]
#[test]
fn on_vulkan_the_command_trains_as_on_the_cpu() {
    // Where a driver is installed (CI installs Mesa's lavapipe) the command must open it.
    if common::vulkan().is_none() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("kindling-vulkan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut sequences = kindling::SequenceSettings::default();
    sequences.model.layers = 2;
    sequences.model.heads = 2;
    let mut transformer =
        kindling::train::SequenceTrainer::new(&sequences, &Device::flex()).unwrap();
    transformer.train(20);
    let models = [
        ("spiral", exported(50).0, 50),
        (
            "reversal",
            model_file(
                &mut transformer,
                &serde_json::to_string(&sequences).unwrap(),
            ),
            20,
        ),
    ];
    for (name, bytes, step) in models {
        let input = dir.join(format!("{name}.safetensors"));
        std::fs::write(&input, &bytes).unwrap();
        let [cpu, vulkan] = ["cpu", "vulkan"].map(|backend| {
            let out = dir.join(format!("{name}.{backend}.safetensors"));
            let run = Command::new(BIN)
                .args(["train", input.to_str().unwrap(), "--steps", "30"])
                .args(["--eval-every", "10", "--backend", backend])
                .arg("--out")
                .arg(&out)
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
            let stderr = String::from_utf8_lossy(&run.stderr);
            assert!(
                run.status.success(),
                "{name} on {backend}: {stdout}\n{stderr}"
            );
            println!("{name} on {backend}:\n{stdout}");
            assert_eq!(
                read_safetensors(&std::fs::read(&out).unwrap())
                    .unwrap()
                    .step,
                step as u32 + 30
            );
            evaluations(&stdout)
        });
        let steps: Vec<usize> = vulkan.iter().map(|(s, _)| *s).collect();
        assert_eq!(
            steps,
            [0, 10, 20, 30].map(|k| step + k),
            "{name}: evaluations at"
        );
        for ((at, on_cpu), (_, on_vulkan)) in cpu.iter().zip(&vulkan) {
            for (what, (a, b)) in ["train loss", "test loss", "accuracy"]
                .iter()
                .zip(on_cpu.iter().zip(on_vulkan))
            {
                // Losses print to 4 decimals; an accuracy may flip one test example near the edge.
                let tolerance = if *what == "accuracy" {
                    1.5
                } else {
                    2e-3 * a.abs().max(1.0)
                };
                assert!(
                    (a.is_nan() && b.is_nan()) || (a - b).abs() <= tolerance,
                    "{name}, step {at}, {what}: {a} on the CPU, {b} on Vulkan"
                );
            }
        }
        let (first, last) = (&vulkan[0].1[0], &vulkan[vulkan.len() - 1].1[0]);
        assert!(
            last < first,
            "{name} on Vulkan: train loss {first} -> {last}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
