//! The model summary: its rows' parameters add up to Burn's own count of the model, and its
//! shapes are those a forward pass gives.

mod common;

use burn::module::Module;
use burn::prelude::*;
use common::layer;
use kindling::model::transformer::Head;
use kindling::model::{
    ActivationKind, InitKind, MlpConfig, Positional, TransformerConfig, mlp_summary, shape_text,
    transformer_summary,
};

#[test]
fn an_mlp_summary_adds_up_to_the_model_and_its_shapes_are_the_forward_pass() {
    let device = Device::flex();
    let mut with_features = MlpConfig::default();
    with_features.features.x_squared = true;
    with_features.features.sin_y = true;
    let configs = [
        (MlpConfig::default(), 2),
        (with_features.clone(), with_features.features.count()),
        (
            MlpConfig {
                hidden: vec![],
                ..Default::default()
            },
            2,
        ),
        (
            MlpConfig {
                hidden: vec![
                    layer(5, ActivationKind::Prelu, 0.3),
                    layer(9, ActivationKind::Tanh, 0.0),
                    layer(3, ActivationKind::LeakyRelu, 0.5),
                ],
                init: InitKind::Xavier,
                ..Default::default()
            },
            7,
        ),
    ];
    for (config, inputs) in configs {
        let mlp = config.init(inputs, 3, 1, &device);
        let summary = mlp_summary(&mlp);
        let sum: usize = summary.layers.iter().map(|l| l.parameters).sum();
        assert_eq!(sum, mlp.num_params(), "{config:?}");
        assert_eq!(summary.total, mlp.num_params());
        assert_eq!(summary.trainable, summary.total);
        // input, three rows per hidden layer, output
        assert_eq!(summary.layers.len(), 2 + 3 * config.hidden.len());
        assert_eq!(summary.layers[0].output_shape, [None, Some(inputs)]);
        let mut x = Tensor::<2>::ones([4, inputs], &device);
        for (i, hidden) in mlp.hidden.iter().enumerate() {
            x = hidden.forward(x);
            let row = &summary.layers[1 + 3 * i];
            assert_eq!(row.name, format!("hidden.{i}.linear"));
            assert_eq!(row.output_shape, [None, Some(x.dims()[1])]);
        }
        let out = mlp.forward(Tensor::ones([4, inputs], &device));
        let last = summary.layers.last().unwrap();
        assert_eq!(
            (last.name.as_str(), last.kind.as_str()),
            ("output", "Linear")
        );
        assert_eq!(last.output_shape, [None, Some(out.dims()[1])]);
    }
}

#[test]
fn a_transformer_summary_adds_up_to_the_model_and_its_shapes_are_the_forward_pass() {
    let device = Device::flex();
    let (vocab, outputs, seq) = (11, 6, 9);
    for positional in [Positional::Learned, Positional::Sinusoidal] {
        for (layers, heads, d_model) in [(1, 1, 16), (2, 4, 16), (2, 2, 12)] {
            for head in [Head::PerPosition, Head::Pooled] {
                let config = TransformerConfig {
                    d_model,
                    heads,
                    layers,
                    mlp_ratio: 2,
                    positional,
                    ..Default::default()
                };
                let model = config.init(vocab, outputs, seq, head, 1, &device);
                let summary = transformer_summary(&model);
                let sum: usize = summary.layers.iter().map(|l| l.parameters).sum();
                assert_eq!(sum, model.num_params(), "{config:?} {head:?}");
                assert_eq!(summary.total, model.num_params());
                let positions = &summary.layers[1];
                assert_eq!(positions.name, "positional");
                let table = if positional == Positional::Learned {
                    seq * d_model
                } else {
                    0
                };
                assert_eq!(positions.parameters, table);
                // per block: 2 norms, Q, K, V, output, expand, contract
                let pool = usize::from(head == Head::Pooled);
                assert_eq!(summary.layers.len(), 2 + 8 * layers + 2 + pool);
                let ids: Vec<i64> = (0..2 * seq).map(|i| (i % vocab) as i64).collect();
                let ids = Tensor::<2, Int>::from_data(TensorData::new(ids, [2, seq]), &device);
                let blocks = model.block_outputs(ids.clone());
                let contract = summary
                    .layers
                    .iter()
                    .find(|l| l.name == "blocks.0.contract")
                    .unwrap();
                let real: Vec<Option<usize>> =
                    blocks[0].dims()[1..].iter().map(|d| Some(*d)).collect();
                assert_eq!(contract.output_shape[1..], real[..]);
                let logits = model.forward(ids).logits.dims();
                let last = summary.layers.last().unwrap();
                assert_eq!(last.name, "head");
                let real: Vec<Option<usize>> = logits[1..].iter().map(|d| Some(*d)).collect();
                assert_eq!(last.output_shape[1..], real[..]);
            }
        }
    }
}

#[test]
fn the_text_form_reads_as_keras_writes_it() {
    let mlp = MlpConfig::default().init(2, 2, 1, &Device::flex());
    let summary = mlp_summary(&mlp);
    let text = summary.text();
    assert!(text.starts_with("Layer (type)"));
    assert!(text.contains("hidden.0.linear (Linear)"));
    assert!(text.contains("(None, 64)"));
    assert!(text.ends_with(&format!("Trainable params: {}\n", mlp.num_params())));
    assert_eq!(shape_text(&[None, Some(12), Some(3)]), "(None, 12, 3)");
}
