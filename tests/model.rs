//! Native tests of the model maths: each activation against its formula, and backpropagated
//! gradients against finite differences (micrograd's check).

mod common;

use burn::prelude::*;
use common::{Pick, check_gradients, erf};
use kindling::data::Task;
use kindling::model::{ActivationKind, InitKind, LayerConfig, Mlp, MlpConfig};
use kindling::train::loss;

#[test]
fn each_activation_matches_its_formula() {
    let device = Device::flex();
    let xs: Vec<f32> = (-20..=20).map(|i| i as f32 * 0.25).collect();
    type Formula = fn(f64) -> f64;
    let formulas: [(ActivationKind, Formula); 7] = [
        (ActivationKind::Relu, |x| x.max(0.0)),
        (ActivationKind::LeakyRelu, |x| {
            if x >= 0.0 { x } else { 0.01 * x }
        }),
        (
            ActivationKind::Prelu,
            |x| if x >= 0.0 { x } else { 0.25 * x },
        ),
        (ActivationKind::Gelu, |x| {
            0.5 * x * (1.0 + erf(x / 2f64.sqrt()))
        }),
        (ActivationKind::Tanh, f64::tanh),
        (ActivationKind::Sigmoid, |x| 1.0 / (1.0 + (-x).exp())),
        (ActivationKind::Linear, |x| x),
    ];
    for (kind, formula) in formulas {
        let layer = kind.config().init(&device);
        let input = Tensor::<2>::from_data(TensorData::new(xs.clone(), [1, xs.len()]), &device);
        let out = layer
            .forward(input)
            .into_data()
            .try_to_vec::<f32>()
            .unwrap();
        for (x, y) in xs.iter().zip(out) {
            let want = formula(*x as f64);
            assert!(
                (y as f64 - want).abs() < 1e-5,
                "{kind:?}({x}) = {y}, expected {want}"
            );
        }
    }
}

fn small_mlp(device: &Device) -> Mlp {
    let layer = |units, activation| LayerConfig {
        units,
        activation,
        dropout: 0.0,
    };
    MlpConfig {
        hidden: vec![
            layer(5, ActivationKind::Tanh),
            layer(4, ActivationKind::Gelu),
        ],
        init: InitKind::Uniform,
        ..Default::default()
    }
    .init(2, 3, 11, device)
}

fn batch(device: &Device) -> (Tensor<2>, Tensor<2>) {
    let x = Tensor::<2>::from_data([[0.3, -0.7], [-0.2, 0.5], [0.9, 0.1], [-0.6, -0.4]], device);
    let y = Tensor::<2>::from_data(
        [
            [1.0, 0.0, 0.0],
            [0.0, 1.0, 0.0],
            [0.0, 0.0, 1.0],
            [0.0, 1.0, 0.0],
        ],
        device,
    );
    (x, y)
}

fn loss_of(mlp: &Mlp, device: &Device) -> f64 {
    let (x, y) = batch(device);
    loss(Task::Classification { classes: 3 }, mlp.forward(x), y).into_scalar::<f32>() as f64
}

#[test]
fn gradients_match_finite_differences() {
    let device = Device::flex().autodiff();
    let mlp = small_mlp(&device);
    let (x, y) = batch(&device);
    let grads = loss(Task::Classification { classes: 3 }, mlp.forward(x), y).backward();

    // Every weight of the first hidden layer and of the output layer.
    let picks: [(&str, Pick<Mlp>); 2] = [
        ("hidden[0]", |m| &mut m.hidden[0].linear.weight),
        ("output", |m| &mut m.output.weight),
    ];
    let checked = check_gradients(&mlp, &grads, &picks, 1, 2e-2, loss_of);
    assert_eq!(checked, 2 * 5 + 4 * 3);
}
