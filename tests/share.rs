//! Share links and model files: round trips, sizes, and every malformed link refused with a
//! message (plus many thousands of random and mutated links: no panic, bounded memory).

use burn::prelude::*;
use futures_lite::future::block_on;
use kindling::SequenceSettings;
use kindling::Settings;
use kindling::data::Rng;
use kindling::share::{
    Precision, SUMMARY, Shared, decode_link, encode_link, param_values_from, read_safetensors,
    write_safetensors,
};
use kindling::train::{Learning, SequenceTrainer, Trainer, read_floats};

fn read<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    block_on(read_floats(t)).unwrap()
}

fn trained_mlp() -> Trainer {
    let mut trainer = Trainer::new(&Settings::default(), &Device::flex()).unwrap();
    trainer.train(100);
    trainer
}

fn share_mlp(trainer: &Trainer, precision: Precision) -> String {
    let (names, shapes, all) = trainer.params();
    let params = param_values_from(names, shapes, &read(all));
    let settings = serde_json::to_string(&Settings::default()).unwrap();
    let history = vec![[100.0, 0.1, 0.12, 0.97]];
    encode_link(&Shared {
        kind: 0,
        settings,
        step: trainer.step_count() as u32,
        history,
        precision,
        params,
        data: None,
    })
}

fn open_mlp(link: &str) -> Trainer {
    let shared = decode_link(link).unwrap();
    let settings: Settings = serde_json::from_str(&shared.settings).unwrap();
    let mut trainer = Trainer::new(&settings, &Device::flex()).unwrap();
    trainer.load(&shared.params, shared.step as usize).unwrap();
    trainer
}

#[test]
fn mlp_round_trips_exactly_in_f32_and_closely_in_f16_and_int8() {
    let trainer = trained_mlp();
    let expected = read(trainer.boundary(20));
    for (precision, tolerance, max_len) in [
        (Precision::F32, 0.0, 32 * 1024),
        (Precision::F16, 2e-3, 12 * 1024),
        (Precision::Int8, 5e-2, 8 * 1024),
    ] {
        let link = share_mlp(&trainer, precision);
        eprintln!("default MLP, {precision:?}: {} characters", link.len());
        assert!(
            link.len() <= max_len,
            "{precision:?}: {} characters",
            link.len()
        );
        let opened = open_mlp(&link);
        assert_eq!(opened.step_count(), 100);
        let got = read(opened.boundary(20));
        let worst = expected
            .iter()
            .zip(&got)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(
            worst <= tolerance,
            "{precision:?}: outputs differ by {worst}"
        );
    }
}

#[test]
fn an_opened_model_keeps_training() {
    let mut opened = open_mlp(&share_mlp(&trained_mlp(), Precision::F16));
    let before = opened.evaluation(&read(opened.evaluate())).train_loss;
    opened.train(100);
    let after = opened.evaluation(&read(opened.evaluate()));
    assert_eq!(after.step, 200);
    assert!(
        after.train_loss < before,
        "{before} -> {}",
        after.train_loss
    );
}

#[test]
fn the_reversal_transformer_fits_in_48_kb_and_round_trips() {
    let settings = SequenceSettings::default();
    let mut trainer = SequenceTrainer::new(&settings, &Device::flex()).unwrap();
    trainer.train(150);
    let (names, shapes, all) = trainer.params();
    let params = param_values_from(names, shapes, &read(all));
    let json = serde_json::to_string(&settings).unwrap();
    let link = encode_link(&Shared {
        kind: 1,
        settings: json,
        step: 150,
        history: vec![],
        precision: Precision::F16,
        params,
        data: None,
    });
    eprintln!(
        "default reversal transformer, F16: {} characters",
        link.len()
    );
    assert!(link.len() <= 48 * 1024, "{} characters", link.len());
    let shared = decode_link(&link).unwrap();
    let mut opened = SequenceTrainer::new(
        &serde_json::from_str(&shared.settings).unwrap(),
        &Device::flex(),
    )
    .unwrap();
    opened.load(&shared.params, 150).unwrap();
    for i in 0..4 {
        assert_eq!(
            read(opened.predict(i).unwrap()),
            read(trainer.predict(i).unwrap())
        );
    }
}

#[test]
fn every_malformed_link_has_its_message() {
    let good = share_mlp(&trained_mlp(), Precision::F16);
    let body = &good[3..];
    let cases: Vec<(String, &str)> = vec![
        ("https://example.com".into(), "not a Kindling model link"),
        (format!("k2.{body}"), "newer version of Kindling"),
        (good[..good.len() / 2].to_string(), "damaged"),
        (format!("k1.{}!!", &body[..body.len() - 2]), "not base64url"),
        ("k1.AAAA".into(), "compressed data is invalid"),
    ];
    for (link, expected) in cases {
        let err = decode_link(&link).unwrap_err().to_string();
        assert!(err.contains(expected), "{link:.40}: {err}");
    }
    // A bomb: a megabytes-long run of zeros deflates to a few kilobytes.
    let bomb = miniz_oxide::deflate::compress_to_vec(&vec![0u8; 40 << 20], 9);
    let link = format!("k1.{}", base64_url(&bomb));
    assert!(
        decode_link(&link)
            .unwrap_err()
            .to_string()
            .contains("more than 32 MB")
    );
    // Right format, wrong architecture: a tensor shape that the settings do not build.
    let mut shared = decode_link(&good).unwrap();
    shared.params.shapes[0] = vec![3, 64];
    shared.params.values[0] = vec![0.0; 192];
    let settings: Settings = serde_json::from_str(&shared.settings).unwrap();
    let mut trainer = Trainer::new(&settings, &Device::flex()).unwrap();
    let err = trainer.load(&shared.params, 0).unwrap_err();
    assert_eq!(
        err,
        "tensor 0 has shape [3, 64], the architecture needs [2, 64]"
    );
    shared.params.shapes[0] = vec![2, 64];
    let err = trainer.load(&shared.params, 0).unwrap_err();
    assert_eq!(err, "tensor 0 holds 192 values for shape [2, 64]");
    shared.params.values[0] = vec![0.0; 128];
    shared.params.shapes.pop();
    shared.params.values.pop();
    let err = trainer.load(&shared.params, 0).unwrap_err();
    assert!(err.contains("tensors stored"), "{err}");
}

#[test]
fn a_links_settings_are_completed_and_checked_before_the_page_sees_them() {
    use kindling::share::completed_settings;
    // A link that leaves fields out: the page gets every field, with its default.
    let json = completed_settings("points", r#"{"train": {"learningRate": 0.1}}"#).unwrap();
    let settings: Settings = serde_json::from_str(&json).unwrap();
    assert_eq!(settings.train.learning_rate, 0.1);
    assert_eq!(settings.model, Settings::default().model);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(value["model"]["hidden"].is_array(), "{json}");
    let json = completed_settings("sequences", "{}").unwrap();
    assert_eq!(
        serde_json::from_str::<SequenceSettings>(&json).unwrap(),
        SequenceSettings::default()
    );
    // Out of range, unknown or not JSON: refused with the reason.
    let err = completed_settings("points", r#"{"train": {"batchSize": 0}}"#).unwrap_err();
    assert!(err.contains("batch size"), "{err}");
    let err = completed_settings("points", r#"{"trian": {}}"#).unwrap_err();
    assert!(err.contains("unknown field"), "{err}");
    assert!(completed_settings("sequences", "not json").is_err());
}

#[test]
fn weights_that_are_not_finite_have_their_own_message() {
    let good = share_mlp(&trained_mlp(), Precision::F32);
    let mut shared = decode_link(&good).unwrap();
    shared.params.values[0][3] = f32::NAN;
    shared.params.values[1][0] = f32::INFINITY;
    let mut trainer = Trainer::new(&Settings::default(), &Device::flex()).unwrap();
    let err = trainer.load(&shared.params, 0).unwrap_err();
    assert!(
        err.starts_with("2 of its ") && err.contains("weights are NaN or infinite"),
        "{err}"
    );
    assert!(!err.contains("learning rate"), "{err}");
    assert_eq!(trainer.step_count(), 0, "nothing was loaded");
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[test]
fn random_and_mutated_links_never_panic() {
    let good = share_mlp(&trained_mlp(), Precision::Int8);
    let compressed = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&good[3..])
            .unwrap()
    };
    let payload = miniz_oxide::inflate::decompress_to_vec(&compressed).unwrap();
    let mut rng = Rng::new(42);
    let mut refused = 0;
    for round in 0..6000 {
        let mut bytes = payload.clone();
        match round % 3 {
            // flip a few bytes of a valid payload
            0 => (0..1 + rng.below(4)).for_each(|_| {
                let i = rng.below(bytes.len());
                bytes[i] = rng.next_u64() as u8;
            }),
            // cut it short
            1 => bytes.truncate(rng.below(bytes.len())),
            // pure noise
            _ => bytes = (0..rng.below(300)).map(|_| rng.next_u64() as u8).collect(),
        }
        let link = format!(
            "k1.{}",
            base64_url(&miniz_oxide::deflate::compress_to_vec(&bytes, 1))
        );
        if decode_link(&link).is_err() {
            refused += 1;
        }
        // raw text noise too
        let noise: String = (0..rng.below(80))
            .map(|_| (b'!' + (rng.next_u64() % 90) as u8) as char)
            .collect();
        let _ = decode_link(&format!("k1.{noise}"));
    }
    assert!(
        refused > 3000,
        "only {refused} of 6000 damaged links refused"
    );
}

#[test]
fn safetensors_export_reads_back_with_names_and_shapes() {
    let trainer = trained_mlp();
    let (names, shapes, all) = trainer.params();
    let params = param_values_from(names, shapes, &read(all));
    let settings = serde_json::to_string(&Settings::default()).unwrap();
    let summary = trainer.summary();
    let bytes = write_safetensors(&params, "points", &settings, 100, None, &summary).unwrap();
    // the summary in the metadata, as JSON a reader can parse
    let (_, header) = safetensors::SafeTensors::read_metadata(&bytes).unwrap();
    let written: serde_json::Value =
        serde_json::from_str(&header.metadata().as_ref().unwrap()[SUMMARY]).unwrap();
    assert_eq!(written["total"], trainer.parameters());
    assert_eq!(written["layers"][1]["name"], "hidden.0.linear");
    assert_eq!(
        written["layers"][1]["outputShape"],
        serde_json::json!([null, 64])
    );
    // the standard reader
    let file = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let mut found: Vec<(String, Vec<usize>)> = file
        .tensors()
        .into_iter()
        .map(|(n, v)| (n, v.shape().to_vec()))
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            ("hidden.0.linear.bias".into(), vec![64]),
            ("hidden.0.linear.weight".into(), vec![2, 64]),
            ("hidden.1.linear.bias".into(), vec![64]),
            ("hidden.1.linear.weight".into(), vec![64, 64]),
            ("output.bias".into(), vec![2]),
            ("output.weight".into(), vec![64, 2]),
        ]
    );
    let read = read_safetensors(&bytes).unwrap();
    assert_eq!(
        (read.kind.as_str(), read.settings, read.step, read.data),
        ("points", settings, 100, None)
    );
    assert_eq!(
        read.tensors["output.bias"].1,
        params.values[params
            .names
            .iter()
            .position(|n| n == "output.bias")
            .unwrap()]
    );
    assert!(
        read_safetensors(b"not a file")
            .unwrap_err()
            .starts_with("not a safetensors file")
    );
}

#[test]
fn a_model_file_without_a_summary_still_reads() {
    // as files written before the summary were: the same metadata less `kindling.summary`
    let trainer = trained_mlp();
    let (names, shapes, all) = trainer.params();
    let params = param_values_from(names, shapes, &read(all));
    let settings = serde_json::to_string(&Settings::default()).unwrap();
    let bytes =
        write_safetensors(&params, "points", &settings, 7, None, &trainer.summary()).unwrap();
    let file = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let (_, header) = safetensors::SafeTensors::read_metadata(&bytes).unwrap();
    let mut metadata = header.metadata().clone().unwrap();
    assert!(metadata.remove(SUMMARY).is_some());
    let views: Vec<(String, safetensors::tensor::TensorView)> = file.tensors();
    let old = safetensors::serialize(views, Some(metadata)).unwrap();
    let read = read_safetensors(&old).unwrap();
    assert_eq!((read.kind.as_str(), read.step), ("points", 7));
    assert_eq!(read.tensors.len(), params.names.len());
}
