//! The network diagram's units (src/inspect/units.rs) against the model's own modules: each
//! hidden layer's output over the boundary's grid, computed layer by layer with Burn's Linear
//! and activation, the boundary itself, the weights; and a table's histograms and dead units.

use burn::prelude::*;
use futures_lite::future::block_on;
use kindling::Settings;
use kindling::data::table::{FileData, TableChoices, encode, infer_schema, read_file};
use kindling::inspect::units::{DRAWN_UNITS, HISTOGRAM_BINS, UnitView, units_pass};
use kindling::model::{ActivationKind, InitKind, LayerConfig, MlpConfig};
use kindling::train::{DataSource, Learning, Trainer, read_floats};

fn layer(units: usize, activation: ActivationKind) -> LayerConfig {
    LayerConfig {
        units,
        activation,
        dropout: 0.0,
    }
}

fn settings(hidden: Vec<LayerConfig>) -> Settings {
    let mut s = Settings::default();
    s.model.hidden = hidden;
    s
}

fn floats<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    block_on(read_floats(t)).unwrap()
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn unit_activations_are_the_models_hidden_outputs_on_the_grid() {
    // A layer wider than the diagram draws, and dropout that eval mode must switch off.
    let mut hidden = vec![
        layer(5, ActivationKind::Tanh),
        layer(20, ActivationKind::Relu),
    ];
    hidden[1].dropout = 0.3;
    let activations: Vec<_> = hidden.iter().map(|l| l.activation).collect();
    let mut trainer = Trainer::new(&settings(hidden), &Device::flex()).unwrap();
    trainer.train(30);
    let resolution = 7;
    let (read, layout) = trainer.boundary_units(resolution);
    let read = floats(read);
    let (boundary, units) = layout.read(&read, vec!["x".into(), "y".into()], &activations);

    // The boundary is that same pass's output.
    let expected = floats(trainer.boundary(resolution));
    assert_eq!(boundary.len(), expected.len());
    assert!(boundary.iter().zip(&expected).all(|(a, b)| close(*a, *b)));

    // Layer by layer with the model's own modules (Burn's Linear::forward, its activation).
    let model = trainer.eval_model();
    let grid = kindling::inspect::boundary_grid_over(
        resolution,
        trainer.extent(),
        &trainer.plain_device(),
    );
    let rows = resolution * resolution;
    assert_eq!((units.view, units.rows), (UnitView::Plane, rows));
    let widths: Vec<_> = units.layers.iter().map(|l| (l.units, l.drawn)).collect();
    assert_eq!(widths, [(2, 2), (5, 5), (20, DRAWN_UNITS), (2, 2)]);
    let mut h = grid;
    let mut at = 0;
    for (l, hidden) in model.hidden.iter().enumerate() {
        h = hidden.activation.forward(hidden.linear.forward(h));
        let own = floats(h.clone());
        let (width, drawn) = widths[l + 1];
        for u in 0..drawn {
            for r in 0..rows {
                let (got, want) = (units.values[at + r * drawn + u], own[r * width + u]);
                assert!(
                    close(got, want),
                    "layer {l} unit {u} cell {r}: {got} vs {want}"
                );
            }
            let mean = (0..rows).map(|r| own[r * width + u]).sum::<f32>() / rows as f32;
            assert!((units.means[at / rows + u] - mean).abs() < 1e-5);
        }
        at += drawn * rows;
    }
    assert_eq!(units.values.len(), at);

    // The weights and biases of the units drawn, link layer by link layer.
    let linears: Vec<_> = model
        .hidden
        .iter()
        .map(|h| &h.linear)
        .chain([&model.output])
        .collect();
    let (mut w_at, mut b_at) = (0, 0);
    for (l, linear) in linears.iter().enumerate() {
        let (d_in, d_out) = (widths[l].1, widths[l + 1].1);
        let full_out = widths[l + 1].0;
        let w = floats(linear.weight.val());
        let b = floats(linear.bias.as_ref().unwrap().val());
        for i in 0..d_in {
            for j in 0..d_out {
                assert_eq!(units.weights[w_at + i * d_out + j], w[i * full_out + j]);
            }
        }
        assert_eq!(&units.biases[b_at..b_at + d_out], &b[..d_out]);
        (w_at, b_at) = (w_at + d_in * d_out, b_at + d_out);
    }
    assert_eq!((units.weights.len(), units.biases.len()), (w_at, b_at));
    let activation = units.layers[2].activation;
    assert_eq!(activation, Some(ActivationKind::Relu));
}

#[test]
fn a_tables_units_are_histograms_over_its_test_rows() {
    let text = std::fs::read("assets/datasets/iris.csv").unwrap();
    let FileData::Table(table) = read_file("iris.csv", &text).unwrap() else {
        panic!("iris is a table")
    };
    let schema = infer_schema(&table).unwrap();
    let encoded = encode(&table, &schema, &TableChoices::default()).unwrap();
    let labels = encoded.inputs.clone();
    let hidden = vec![
        layer(6, ActivationKind::Relu),
        layer(3, ActivationKind::Gelu),
    ];
    let mut trainer = Trainer::with_source(
        &settings(hidden),
        DataSource::Table(encoded),
        &Device::flex(),
    )
    .unwrap();
    trainer.train(20);
    let (read, layout) = trainer.test_units().unwrap();
    let (outputs, units) = layout.read(
        &floats(read),
        labels.clone(),
        &[ActivationKind::Relu, ActivationKind::Gelu],
    );
    let expected = floats(trainer.test_outputs());
    assert!(outputs.iter().zip(&expected).all(|(a, b)| close(*a, *b)));
    assert_eq!(units.input_labels, labels);
    let rows = units.rows;
    assert_eq!(rows, trainer.dataset().test.len());

    // Each drawn unit's bins count every test row once, and its active rows are those where
    // the model's own layer output is not 0.
    let model = trainer.eval_model();
    let x = Tensor::<2>::from_data(
        TensorData::new(trainer.dataset().test.x.clone(), [rows, 4]),
        &trainer.plain_device(),
    );
    let first = floats(model.hidden[0].forward(x));
    for u in 0..6 {
        let bins = &units.histograms[u * HISTOGRAM_BINS..(u + 1) * HISTOGRAM_BINS];
        assert_eq!(bins.iter().sum::<f32>(), rows as f32, "unit {u}: {bins:?}");
        let on = (0..rows).filter(|r| first[r * 6 + u] != 0.0).count();
        assert_eq!(units.active[u], on as f32);
        let lo = (0..rows)
            .map(|r| first[r * 6 + u])
            .fold(f32::INFINITY, f32::min);
        assert!(close(units.ranges[2 * u], lo));
    }
    let dead = (0..6).filter(|u| units.active[*u] == 0.0).count();
    assert_eq!(units.layers[1].dead, Some(dead));
}

#[test]
fn relu_units_that_never_fire_are_counted_dead() {
    // Zero weights: every ReLU unit outputs 0 on every row, so none of them can learn.
    let device = Device::flex();
    let model = MlpConfig {
        hidden: vec![
            layer(4, ActivationKind::Relu),
            layer(3, ActivationKind::Tanh),
        ],
        init: InitKind::Zeros,
        ..Default::default()
    }
    .init(5, 2, 1, &device);
    let x = Tensor::<2>::ones([9, 5], &device);
    let (read, layout) = units_pass(&model, x, 4, UnitView::Histograms, |o| o);
    let labels: Vec<String> = (1..=5).map(|i| format!("c{i}")).collect();
    let (outputs, units) = layout.read(
        &floats(read),
        labels,
        &[ActivationKind::Relu, ActivationKind::Tanh],
    );
    assert_eq!(outputs.len(), 9 * 2);
    assert_eq!(units.layers[1].dead, Some(4));
    assert_eq!(units.layers[2].dead, Some(3)); // tanh(0) is 0 too
    assert!(units.active.iter().all(|a| *a == 0.0));
    assert_eq!(units.layers[0].dead, None);
}
