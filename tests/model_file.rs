//! A model file's size and its header's length are checked before it is read: the limit is the
//! largest model the settings allow, which these tests build to check that it fits.

use burn::module::Module;
use burn::prelude::*;
use kindling::data::table::{MAX_COLUMNS, ONE_HOT_MAX};
use kindling::data::text::VOCAB_MAX;
use kindling::model::transformer::{
    Head, MAX_D_MODEL, MAX_HEADS, MAX_LAYERS, MAX_LENGTH, Positional, TransformerConfig,
};
use kindling::model::{ActivationKind, InitKind, LayerConfig, MlpConfig};
use kindling::share::{
    MAX_HEADER_BYTES, MAX_MODEL_FILE_BYTES, MAX_MODEL_VALUES, check_model_file, read_safetensors,
};

#[test]
fn the_largest_models_fit_under_the_limit() {
    let device = Device::flex();
    let transformer = TransformerConfig {
        d_model: MAX_D_MODEL,
        heads: MAX_HEADS,
        layers: MAX_LAYERS,
        mlp_ratio: 8,
        dropout: 0.0,
        positional: Positional::Learned,
        causal: false,
    };
    transformer.validate().unwrap();
    let vocab = VOCAB_MAX + 2;
    let model = transformer.init(vocab, vocab, MAX_LENGTH, Head::PerPosition, 1, &device);
    let n = model.num_params();
    assert!(
        n <= MAX_MODEL_VALUES,
        "{n} parameters, over {MAX_MODEL_VALUES}"
    );
    // The bound is the largest model, not far above it.
    assert!(n * 10 >= MAX_MODEL_VALUES * 9, "{n} of {MAX_MODEL_VALUES}");
    let layer = LayerConfig {
        units: 256,
        activation: ActivationKind::Relu,
        dropout: 0.0,
    };
    let mlp = MlpConfig {
        hidden: vec![layer; 6],
        init: InitKind::Uniform,
        ..Default::default()
    };
    mlp.validate().unwrap();
    let n = mlp
        .init(MAX_COLUMNS * ONE_HOT_MAX, 50, 1, &device)
        .num_params();
    assert!(
        n <= MAX_MODEL_VALUES,
        "{n} parameters, over {MAX_MODEL_VALUES}"
    );
}

#[test]
fn a_file_over_the_limit_is_refused_before_it_is_read() {
    let bytes = vec![0u8; MAX_MODEL_FILE_BYTES + 1];
    let message = read_safetensors(&bytes).unwrap_err();
    assert!(
        message.starts_with("the model file is ") && message.contains("; the limit is "),
        "{message}"
    );
    assert!(
        message.contains("the largest model the settings allow"),
        "{message}"
    );
}

#[test]
fn a_header_length_is_checked_before_it_is_used() {
    let header = |n: u64, rest: usize| {
        let mut b = n.to_le_bytes().to_vec();
        b.resize(8 + rest, b' ');
        b
    };
    // Longer than the file.
    assert_eq!(
        check_model_file(&header(1 << 40, 16)).unwrap_err(),
        format!(
            "not a safetensors file: its header claims {} bytes; the file has 16 after the \
             length, and the limit is {MAX_HEADER_BYTES}",
            1u64 << 40
        )
    );
    // Within the file but over the limit.
    let n = MAX_HEADER_BYTES as u64 + 1;
    assert!(check_model_file(&header(n, n as usize)).is_err());
    assert!(read_safetensors(&header(n, n as usize)).is_err());
    assert!(
        check_model_file(b"short")
            .unwrap_err()
            .contains("8-byte header length")
    );
    // A header within both is left to the reader.
    assert!(check_model_file(&header(2, 2)).is_ok());
}
