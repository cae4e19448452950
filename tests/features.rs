//! TF Playground's input features on the built-in points (src/model/features.rs): the network
//! takes the chosen functions of (x, y), so its input layer, its parameter count and the
//! decision boundary follow them; with x² and y² a network without a hidden layer separates the
//! circles, which on x and y alone it cannot; a link keeps the features.

use burn::prelude::*;
use futures_lite::future::block_on;
use kindling::Settings;
use kindling::data::{DatasetConfig, DatasetKind};
use kindling::inspect::{EXTENT, boundary_points};
use kindling::model::{InputFeatures, MlpConfig};
use kindling::train::{Learning, Trainer, read_floats};

fn evaluate(trainer: &Trainer) -> kindling::train::Evaluation {
    trainer.evaluation(&block_on(read_floats(trainer.evaluate())).unwrap())
}

fn squares() -> InputFeatures {
    InputFeatures {
        x_squared: true,
        y_squared: true,
        ..Default::default()
    }
}

#[test]
fn the_input_layer_and_the_parameter_count_follow_the_features() {
    let plain = Trainer::new(&Settings::default(), &Device::flex()).unwrap();
    let mut settings = Settings::default();
    settings.model.features = squares();
    let wider = Trainer::new(&settings, &Device::flex()).unwrap();
    assert_eq!((plain.model_inputs(), wider.model_inputs()), (2, 4));
    // Two more inputs, each with a weight into every unit of the first hidden layer (64).
    assert_eq!(wider.parameters() - plain.parameters(), 2 * 64);
    // The points are drawn as they are, whatever the network takes of them.
    assert_eq!(wider.inputs(), 2);
    assert_eq!(wider.drawn(), plain.drawn());
    assert_eq!(wider.dataset().train.width(), 4);
    assert_eq!(wider.input_labels().unwrap(), ["x", "y", "x²", "y²"]);
}

#[test]
fn the_boundary_is_the_network_on_the_features_of_each_cell() {
    let mut settings = Settings::default();
    settings.model.features = InputFeatures {
        x: false,
        sin_x: true,
        x_times_y: true,
        ..Default::default()
    };
    let mut trainer = Trainer::new(&settings, &Device::flex()).unwrap();
    trainer.train(20);
    let boundary = block_on(read_floats(trainer.boundary(6))).unwrap();
    // The same cells through the features by hand, and the model in eval mode over them.
    let grid = settings.model.features.expand(&boundary_points(6, EXTENT));
    let x = Tensor::<2>::from_data(TensorData::new(grid, [36, 3]), &trainer.plain_device());
    let by_hand = burn::tensor::activation::softmax(trainer.eval_model().forward(x), 1);
    let by_hand = block_on(read_floats(by_hand)).unwrap();
    assert_eq!(boundary.len(), 36 * 2);
    for (a, b) in boundary.iter().zip(&by_hand) {
        assert!((a - b).abs() < 1e-6, "{a} vs {b}");
    }
}

/// The circles, learnt by a network with no hidden layer: a logistic regression.
fn circles_without_hidden_layers(features: InputFeatures) -> f32 {
    let settings = Settings {
        data: DatasetConfig {
            kind: DatasetKind::Circles,
            ..Default::default()
        },
        model: MlpConfig {
            hidden: vec![],
            features,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut trainer = Trainer::new(&settings, &Device::flex()).unwrap();
    trainer.train(600);
    evaluate(&trainer).test_accuracy.unwrap()
}

#[test]
fn squares_let_a_linear_model_draw_a_circle() {
    let plain = circles_without_hidden_layers(InputFeatures::default());
    let squared = circles_without_hidden_layers(squares());
    eprintln!("circles, no hidden layer: x, y {plain}; x², y² {squared}");
    assert!(squared > 0.95, "x² and y²: {squared}");
    assert!(plain < 0.75, "x and y alone: {plain}");
}

#[test]
fn a_link_keeps_the_features() {
    let mut settings = Settings::default();
    settings.model.features = squares();
    let json = serde_json::to_string(&settings).unwrap();
    assert!(json.contains(r#""xSquared":true"#), "{json}");
    let back = kindling::share::completed_settings("points", &json).unwrap();
    let back: Settings = serde_json::from_str(&back).unwrap();
    assert_eq!(back.model.features, squares());
    // Settings from before the features existed take the default, x and y.
    let old: Settings =
        serde_json::from_str(r#"{"model": {"hidden": [], "init": "xavier"}}"#).unwrap();
    assert_eq!(old.model.features, InputFeatures::default());
}
