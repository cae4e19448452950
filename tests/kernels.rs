//! The fused CPU kernels (src/kernels) against Burn's own operations, values and gradients, on
//! flex with autodiff (training) and without (evaluation).

mod common;

use burn::prelude::*;
use burn::tensor::activation::{log_softmax, softmax as burn_softmax};
use common::erf;
use kindling::kernels::{cross_entropy, gelu, layer_norm, softmax};

fn tracked() -> Device {
    Device::flex().autodiff()
}

/// Deterministic values in about [-scale, scale].
fn values(n: usize, seed: u64, scale: f32) -> Vec<f32> {
    let mut rng = kindling::data::Rng::new(seed);
    (0..n)
        .map(|_| (rng.uniform() * 2.0 - 1.0) * scale)
        .collect()
}

fn tensor<const D: usize>(values: Vec<f32>, shape: [usize; D], device: &Device) -> Tensor<D> {
    Tensor::from_data(TensorData::new(values, shape), device)
}

fn read<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().try_to_vec::<f32>().unwrap()
}

fn assert_close(actual: &[f32], expected: &[f32], tolerance: f32, what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: lengths");
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert!(
            (a - e).abs() <= tolerance * (1.0 + e.abs()),
            "{what}[{i}]: {a}, expected {e}"
        );
    }
}

/// GELU against the exact one, x·Φ(x), and its backpropagated slope against Φ(x) + x·φ(x), both in
/// f64; the evaluation path gives the training path's values.
#[test]
fn gelu_is_the_exact_gelu_and_backpropagates_its_slope() {
    let xs: Vec<f32> = (-300..=300).map(|i| i as f32 * 0.04).collect(); // -12..12, and 0
    let x = tensor(xs.clone(), [xs.len()], &tracked()).require_grad();
    let y = gelu(x.clone());
    let grads = (y.clone() * 1.0).sum().backward();
    let values = read(y);
    let slopes = read(x.grad(&grads).unwrap());
    for ((x, y), dy) in xs.iter().zip(&values).zip(slopes) {
        let x = *x as f64;
        let cdf = 0.5 * (1.0 + erf(x / 2f64.sqrt()));
        let pdf = (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt();
        assert!(
            (*y as f64 - x * cdf).abs() < 4e-6,
            "gelu({x}) = {y}, expected {}",
            x * cdf
        );
        let slope = cdf + x * pdf;
        assert!(
            (dy as f64 - slope).abs() < 4e-6,
            "gelu'({x}) = {dy}, expected {slope}"
        );
    }
    let plain = read(gelu(tensor(xs.clone(), [xs.len()], &Device::flex())));
    assert_eq!(plain, values);
    // Saturation far out, no NaN at the ends of f32, and slopes 0 and 1 there.
    let far = tensor(vec![-1e30, -50.0, 50.0, 1e30], [4], &tracked()).require_grad();
    let y = gelu(far.clone());
    let grads = y.clone().sum().backward();
    assert_eq!(read(y), [0.0, 0.0, 50.0, 1e30]);
    assert_eq!(read(far.grad(&grads).unwrap()), [0.0, 0.0, 1.0, 1.0]);
}

/// LayerNorm against `burn::tensor::module::layer_norm`: output, and the gradients of a weighted
/// sum of it with respect to x, γ and β.
#[test]
fn layer_norm_matches_burn_forward_and_backward() {
    let (rows, d) = (6, 10);
    let device = tracked();
    let run = |fused: bool| {
        let x = tensor(values(rows * d, 1, 3.0), [2, rows / 2, d], &device).require_grad();
        let gamma = tensor(values(d, 2, 1.5), [d], &device).require_grad();
        let beta = tensor(values(d, 3, 0.5), [d], &device).require_grad();
        let y = if fused {
            layer_norm(x.clone(), gamma.clone(), beta.clone(), 1e-5)
        } else {
            burn::tensor::module::layer_norm(x.clone(), gamma.clone(), Some(beta.clone()), 1e-5)
        };
        let weights = tensor(values(rows * d, 4, 1.0), [2, rows / 2, d], &device);
        let grads = (y.clone() * weights).sum().backward();
        [
            read(y),
            read(x.grad(&grads).unwrap()),
            read(gamma.grad(&grads).unwrap()),
            read(beta.grad(&grads).unwrap()),
        ]
    };
    let (fused, burn) = (run(true), run(false));
    for (what, (a, b)) in ["y", "dx", "dγ", "dβ"].iter().zip(fused.iter().zip(&burn)) {
        assert_close(a, b, 2e-5, what);
    }
    let plain = Device::flex();
    let y = layer_norm(
        tensor(values(rows * d, 1, 3.0), [2, rows / 2, d], &plain),
        tensor(values(d, 2, 1.5), [d], &plain),
        tensor(values(d, 3, 0.5), [d], &plain),
        1e-5,
    );
    assert_eq!(read(y), fused[0]);
}

/// softmax against Burn's over the last dimension, with a masked (−∞) entry giving exactly 0.
#[test]
fn softmax_matches_burn_forward_and_backward() {
    let device = tracked();
    let mut xs = values(3 * 4 * 5, 5, 6.0);
    xs[7] = f32::NEG_INFINITY;
    let run = |fused: bool| {
        let x = tensor(xs.clone(), [3, 4, 5], &device).require_grad();
        let y = if fused {
            softmax(x.clone())
        } else {
            burn_softmax(x.clone(), 2)
        };
        let weights = tensor(values(60, 6, 1.0), [3, 4, 5], &device);
        let grads = (y.clone() * weights).sum().backward();
        [read(y), read(x.grad(&grads).unwrap())]
    };
    let (fused, burn) = (run(true), run(false));
    assert_close(&fused[0], &burn[0], 1e-6, "y");
    assert_close(&fused[1], &burn[1], 1e-6, "dx");
    assert_eq!(fused[0][7], 0.0);
    for row in fused[0].chunks(5) {
        assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-6);
    }
    let plain = softmax(tensor(xs.clone(), [3, 4, 5], &Device::flex()));
    assert_eq!(read(plain), fused[0]);
}

/// Cross-entropy against −mean(Σ y·log_softmax(z)), one-hot and soft targets (one row's mass is
/// not 1), and its gradient with respect to the logits, scaled by an upstream factor.
#[test]
fn cross_entropy_matches_burn_forward_and_backward() {
    let device = tracked();
    let (rows, classes) = (7, 4);
    let mut targets = vec![0.0f32; rows * classes];
    for r in 0..rows - 2 {
        targets[r * classes + r % classes] = 1.0;
    }
    targets[(rows - 2) * classes..(rows - 1) * classes].copy_from_slice(&[0.1, 0.2, 0.3, 0.4]);
    targets[(rows - 1) * classes..].copy_from_slice(&[0.5, 0.0, 1.0, 0.0]);
    let run = |fused: bool| {
        let z = tensor(values(rows * classes, 7, 8.0), [rows, classes], &device).require_grad();
        let y = tensor(targets.clone(), [rows, classes], &device);
        let loss = if fused {
            cross_entropy(z.clone(), y)
        } else {
            (log_softmax(z.clone(), 1) * y).sum_dim(1).mean().neg()
        };
        let grads = (loss.clone() * 3.0).backward();
        [read(loss), read(z.grad(&grads).unwrap())]
    };
    let (fused, burn) = (run(true), run(false));
    assert_close(&fused[0], &burn[0], 1e-6, "loss");
    assert_close(&fused[1], &burn[1], 1e-6, "dz");
    let plain = Device::flex();
    let loss = cross_entropy(
        tensor(values(rows * classes, 7, 8.0), [rows, classes], &plain),
        tensor(targets.clone(), [rows, classes], &plain),
    );
    assert_eq!(read(loss), fused[0]);
}

/// The fused Adam against Burn's Adam, with and without weight decay: the same parameters after
/// five steps of the same model and data.
#[test]
fn fused_adam_matches_burns_adam() {
    use burn::nn::{Linear, LinearConfig};
    use burn::optim::decay::WeightDecayConfig;
    use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
    use kindling::train::FusedAdam;

    let device = tracked();
    for decay in [None, Some(0.01f32)] {
        let start = LinearConfig::new(3, 4).init(&device);
        let x = tensor(values(15, 8, 2.0), [5, 3], &device);
        let train = |mut optimizer: ModuleOptimizer| {
            let mut model: Linear = start.clone();
            for _ in 0..5 {
                let loss = model.forward(x.clone()).powi_scalar(2).mean();
                let grads = GradientsParams::from_grads(loss.backward(), &model);
                model = optimizer.step(0.05, model, grads);
            }
            let bias = model.bias.unwrap().val();
            [read(model.weight.val()), read(bias)]
        };
        let fused = train(ModuleOptimizer::from(FusedAdam::new(decay)));
        let burn = train(
            AdamConfig::new()
                .with_weight_decay(decay.map(WeightDecayConfig::new))
                .init(),
        );
        assert_close(&fused[0], &burn[0], 1e-6, "weight");
        assert_close(&fused[1], &burn[1], 1e-6, "bias");
        assert_ne!(fused[0], read(start.weight.val()), "the weights moved");
    }
}
