//! The fused CPU kernels (src/kernels) against Burn's own operations, values and gradients, on
//! flex with autodiff (training) and without (evaluation).

mod common;

use burn::prelude::*;
use burn::tensor::activation::{log_softmax, softmax as burn_softmax};
use common::erf;
use kindling::kernels::{cross_entropy, gelu, layer_norm, linear, matmul, softmax};

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
    let fused = layer_norm_against_burn(tracked(), 2e-5);
    let plain = Device::flex();
    let y = layer_norm(
        tensor(values(rows * d, 1, 3.0), [2, rows / 2, d], &plain),
        tensor(values(d, 2, 1.5), [d], &plain),
        tensor(values(d, 3, 0.5), [d], &plain),
        1e-5,
    );
    assert_eq!(read(y), fused[0]);
}

/// The same on the GPU backend, where LayerNorm is one autodiff node of Burn's own operations.
#[cfg(feature = "gpu")]
#[test]
fn layer_norm_on_the_gpu_matches_burn_forward_and_backward() {
    if let Some(device) = common::vulkan() {
        let x = tensor(values(4, 1, 1.0), [4], &device.clone().autodiff());
        assert!(
            kindling::kernels::is_tracked_gpu(&x),
            "the GPU node's path is the one tested"
        );
        layer_norm_against_burn(device.autodiff(), 2e-5);
    }
}

/// The kernel's output and the gradients of a weighted sum of it (x, γ, β) against Burn's
/// LayerNorm on `device` (with autodiff), x of [2, 3, 10]; returns the kernel's.
fn layer_norm_against_burn(device: Device, tolerance: f32) -> [Vec<f32>; 4] {
    let (rows, d) = (6, 10);
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
        assert_close(a, b, tolerance, what);
    }
    fused
}

/// The linear layer against `burn::tensor::module::linear`: output, and the gradients of a
/// weighted sum of it with respect to x, W and b, for shapes that fill the 4×8 tiles of the wasm
/// product exactly and for ragged ones; x used twice (its gradient accumulates) or not tracked
/// at all (a network's input).
#[test]
fn linear_matches_burn_forward_and_backward() {
    let device = tracked();
    for (rows, d_in, d_out) in [(64, 32, 16), (13, 9, 6), (1, 3, 1)] {
        for x_tracked in [true, false] {
            let run = |fused: bool| {
                let x = tensor(values(rows * d_in, 1, 2.0), [rows, d_in], &device);
                let x = if x_tracked { x.require_grad() } else { x };
                let w = tensor(values(d_in * d_out, 2, 1.0), [d_in, d_out], &device).require_grad();
                let b = tensor(values(d_out, 3, 0.5), [d_out], &device).require_grad();
                let y = if fused {
                    linear(x.clone(), w.clone(), b.clone())
                } else {
                    burn::tensor::module::linear(x.clone(), w.clone(), Some(b.clone()))
                };
                let weights = tensor(values(rows * d_out, 4, 1.0), [rows, d_out], &device);
                let loss = (y.clone() * weights).sum() + (x.clone() * x.clone()).sum();
                let grads = loss.backward();
                let dx = x.grad(&grads).map(read);
                assert_eq!(
                    dx.is_some(),
                    x_tracked,
                    "a gradient for x only where x is tracked"
                );
                [
                    read(y),
                    dx.unwrap_or_default(),
                    read(w.grad(&grads).unwrap()),
                    read(b.grad(&grads).unwrap()),
                ]
            };
            let (fused, burn) = (run(true), run(false));
            for (what, (a, b)) in ["y", "dx", "dW", "db"].iter().zip(fused.iter().zip(&burn)) {
                assert_close(a, b, 1e-5, &format!("{what} for {rows}×{d_in}→{d_out}"));
            }
            let plain = Device::flex();
            let y = linear(
                tensor(values(rows * d_in, 1, 2.0), [rows, d_in], &plain),
                tensor(values(d_in * d_out, 2, 1.0), [d_in, d_out], &plain),
                tensor(values(d_out, 3, 0.5), [d_out], &plain),
            );
            assert_eq!(read(y), fused[0]);
        }
    }
}

/// Batched products against `Tensor::matmul`: values, and the gradients of a weighted sum with
/// respect to both operands, for attention's two shapes (B a transposed view, as Kᵀ is) and
/// ragged ones; a broadcast batch is left to Burn.
#[test]
fn matmul_matches_burn_forward_and_backward() {
    let device = tracked();
    for ([batch, heads, m, k, n], b_transposed) in [
        ([3, 2, 8, 32, 8], true),
        ([3, 2, 8, 8, 32], false),
        ([2, 3, 5, 7, 9], true),
        ([1, 1, 1, 3, 1], false),
    ] {
        let run = |fused: bool| {
            let a = tensor(
                values(batch * heads * m * k, 5, 1.0),
                [batch, heads, m, k],
                &device,
            )
            .require_grad();
            let b_stored = if b_transposed {
                [batch, heads, n, k]
            } else {
                [batch, heads, k, n]
            };
            let b = tensor(values(batch * heads * k * n, 6, 1.0), b_stored, &device).require_grad();
            let b_view = if b_transposed {
                b.clone().transpose()
            } else {
                b.clone()
            };
            let c = if fused {
                matmul(a.clone(), b_view)
            } else {
                a.clone().matmul(b_view)
            };
            let weights = tensor(
                values(batch * heads * m * n, 7, 1.0),
                [batch, heads, m, n],
                &device,
            );
            let grads = (c.clone() * weights).sum().backward();
            [
                read(c),
                read(a.grad(&grads).unwrap()),
                read(b.grad(&grads).unwrap()),
            ]
        };
        let (fused, burn) = (run(true), run(false));
        for (what, (x, y)) in ["C", "dA", "dB"].iter().zip(fused.iter().zip(&burn)) {
            assert_close(
                x,
                y,
                1e-5,
                &format!("{what} for {batch}×{heads}×{m}×{k}·{n} (B transposed {b_transposed})"),
            );
        }
        // Without autodiff: the same values as with.
        let plain = Device::flex();
        let a = tensor(
            values(batch * heads * m * k, 5, 1.0),
            [batch, heads, m, k],
            &plain,
        );
        let b_stored = if b_transposed {
            [batch, heads, n, k]
        } else {
            [batch, heads, k, n]
        };
        let b = tensor(values(batch * heads * k * n, 6, 1.0), b_stored, &plain);
        let b_view = if b_transposed { b.transpose() } else { b };
        assert_eq!(read(matmul(a, b_view)), fused[0]);
    }
    let a = tensor(values(2 * 3 * 4, 8, 1.0), [2, 3, 4], &device);
    let b = tensor(values(4 * 5, 9, 1.0), [1, 4, 5], &device);
    assert_close(
        &read(matmul(a.clone(), b.clone())),
        &read(a.matmul(b)),
        1e-6,
        "broadcast",
    );
}

/// softmax against Burn's over the last dimension, with a masked (−∞) entry giving exactly 0.
#[test]
fn softmax_matches_burn_forward_and_backward() {
    let fused = softmax_against_burn(tracked(), 1e-6);
    let plain = softmax(tensor(softmax_inputs(), [3, 4, 5], &Device::flex()));
    assert_eq!(read(plain), fused[0]);
}

/// The same on the GPU backend, where softmax is one autodiff node of Burn's own operations.
#[cfg(feature = "gpu")]
#[test]
fn softmax_on_the_gpu_matches_burn_forward_and_backward() {
    if let Some(device) = common::vulkan() {
        let x = tensor(softmax_inputs(), [3, 4, 5], &device.clone().autodiff());
        assert!(
            kindling::kernels::is_tracked_gpu(&x),
            "the GPU node's path is the one tested"
        );
        softmax_against_burn(device.autodiff(), 1e-6);
    }
}

/// [3, 4, 5] values, one of them −∞ (a mask).
fn softmax_inputs() -> Vec<f32> {
    let mut xs = values(3 * 4 * 5, 5, 6.0);
    xs[7] = f32::NEG_INFINITY;
    xs
}

/// The kernel's output and the gradient of a weighted sum of it against Burn's softmax on
/// `device` (with autodiff); returns the kernel's.
fn softmax_against_burn(device: Device, tolerance: f32) -> [Vec<f32>; 2] {
    let run = |fused: bool| {
        let x = tensor(softmax_inputs(), [3, 4, 5], &device).require_grad();
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
    assert_close(&fused[0], &burn[0], tolerance, "y");
    assert_close(&fused[1], &burn[1], tolerance, "dx");
    assert_eq!(fused[0][7], 0.0);
    for row in fused[0].chunks(5) {
        assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-6);
    }
    fused
}

/// Cross-entropy against −mean(Σ y·log_softmax(z)), one-hot and soft targets (one row's mass is
/// not 1), and its gradient with respect to the logits, scaled by an upstream factor.
#[test]
fn cross_entropy_matches_burn_forward_and_backward() {
    let fused = cross_entropy_against_burn(tracked(), 1e-6);
    let plain = Device::flex();
    let (z, y) = cross_entropy_inputs(&plain);
    assert_eq!(read(cross_entropy(z, y)), fused[0]);
}

/// The same on the GPU backend (wgpu on Vulkan: lavapipe in CI), where cross-entropy is one
/// autodiff node of Burn's own operations (src/kernels/gpu.rs) instead of the CPU's loop.
#[cfg(feature = "gpu")]
#[test]
fn cross_entropy_on_the_gpu_matches_burn_forward_and_backward() {
    if let Some(device) = common::vulkan() {
        let (z, _) = cross_entropy_inputs(&device.clone().autodiff());
        assert!(
            kindling::kernels::is_tracked_gpu(&z),
            "the GPU node's path is the one tested"
        );
        cross_entropy_against_burn(device.autodiff(), 1e-5);
    }
}

/// Logits of every sign and targets one-hot, spread and of a mass other than one, [7, 4].
fn cross_entropy_inputs(device: &Device) -> (Tensor<2>, Tensor<2>) {
    let (rows, classes) = (7, 4);
    let mut targets = vec![0.0f32; rows * classes];
    for r in 0..rows - 2 {
        targets[r * classes + r % classes] = 1.0;
    }
    targets[(rows - 2) * classes..(rows - 1) * classes].copy_from_slice(&[0.1, 0.2, 0.3, 0.4]);
    targets[(rows - 1) * classes..].copy_from_slice(&[0.5, 0.0, 1.0, 0.0]);
    (
        tensor(values(rows * classes, 7, 8.0), [rows, classes], device),
        tensor(targets, [rows, classes], device),
    )
}

/// The kernel's loss and gradient (for an upstream gradient of 3) against Burn's log-softmax on
/// `device` (with autodiff); returns the kernel's.
fn cross_entropy_against_burn(device: Device, tolerance: f32) -> [Vec<f32>; 2] {
    let run = |fused: bool| {
        let (z, y) = cross_entropy_inputs(&device);
        let z = z.require_grad();
        let loss = if fused {
            cross_entropy(z.clone(), y)
        } else {
            (log_softmax(z.clone(), 1) * y).sum_dim(1).mean().neg()
        };
        let grads = (loss.clone() * 3.0).backward();
        [read(loss), read(z.grad(&grads).unwrap())]
    };
    let (fused, burn) = (run(true), run(false));
    assert_close(&fused[0], &burn[0], tolerance, "loss");
    assert_close(&fused[1], &burn[1], tolerance, "dz");
    fused
}

/// The GPU's row kernels (src/kernels/rows.rs) at a model's sizes and on strided inputs: 600 rows
/// of 128 read through a transposition (more rows than a cube has units) through LayerNorm and
/// softmax, and 2,500 rows of 65 classes through cross-entropy, against Burn's operations.
#[cfg(feature = "gpu")]
#[test]
fn the_gpu_row_kernels_hold_at_model_sizes_and_on_strided_inputs() {
    let Some(device) = common::vulkan() else {
        return;
    };
    let device = device.autodiff();
    let (d, seq) = (128, 300);
    let run = |fused: bool| {
        let x = tensor(values(2 * d * seq, 1, 3.0), [2, d, seq], &device).require_grad();
        let gamma = tensor(values(d, 2, 1.5), [d], &device).require_grad();
        let beta = tensor(values(d, 3, 0.5), [d], &device).require_grad();
        let rows = x.clone().swap_dims(1, 2);
        let (y, weights) = if fused {
            let y = layer_norm(rows, gamma.clone(), beta.clone(), 1e-5);
            (y.clone(), softmax(y * 4.0))
        } else {
            let y = burn::tensor::module::layer_norm(rows, gamma.clone(), Some(beta.clone()), 1e-5);
            (y.clone(), burn_softmax(y * 4.0, 2))
        };
        let mix = tensor(values(2 * d * seq, 4, 1.0), [2, seq, d], &device);
        let grads = (weights.clone() * mix).sum().backward();
        [
            read(y),
            read(weights),
            read(x.grad(&grads).unwrap()),
            read(gamma.grad(&grads).unwrap()),
            read(beta.grad(&grads).unwrap()),
        ]
    };
    let (ours, burn) = (run(true), run(false));
    for (what, (a, b)) in ["y", "softmax", "dx", "dγ", "dβ"]
        .iter()
        .zip(ours.iter().zip(&burn))
    {
        assert_close(a, b, 1e-4, what);
    }

    let (rows, classes) = (2_500, 65);
    let mut targets = vec![0.0f32; rows * classes];
    for r in 0..rows {
        targets[r * classes + (r * 7) % classes] = 1.0;
    }
    let run = |fused: bool| {
        let z = tensor(values(rows * classes, 5, 6.0), [classes, rows], &device).require_grad();
        let logits = z.clone().transpose();
        let y = tensor(targets.clone(), [rows, classes], &device);
        let loss = if fused {
            cross_entropy(logits, y)
        } else {
            (log_softmax(logits, 1) * y).sum_dim(1).mean().neg()
        };
        let grads = loss.clone().backward();
        [read(loss), read(z.grad(&grads).unwrap())]
    };
    let (ours, burn) = (run(true), run(false));
    assert_close(&ours[0], &burn[0], 1e-5, "loss");
    assert_close(&ours[1], &burn[1], 1e-5, "dz");
}

/// The fused Adam against Burn's Adam, with and without weight decay: the same parameters after
/// five steps of the same model and data, and a parameter without a gradient left alone.
#[test]
fn fused_adam_matches_burns_adam() {
    use burn::nn::{Linear, LinearConfig};
    use burn::optim::decay::WeightDecayConfig;
    use burn::optim::{AdamConfig, GradientsParams};
    use kindling::train::FusedAdam;

    let device = tracked();
    for decay in [None, Some(0.01f32)] {
        // Two layers, the second unused by the loss: it has no gradient and must not move.
        let start: Vec<Linear> = (0..2)
            .map(|_| LinearConfig::new(3, 4).init(&device))
            .collect();
        let x = tensor(values(15, 8, 2.0), [5, 3], &device);
        let loss = |model: &[Linear]| model[0].forward(x.clone()).powi_scalar(2).mean();
        let weights = |model: &[Linear]| -> Vec<Vec<f32>> {
            let bias = |l: &Linear| read(l.bias.as_ref().unwrap().val());
            model
                .iter()
                .flat_map(|l| [read(l.weight.val()), bias(l)])
                .collect()
        };
        let mut fused = FusedAdam::new(decay);
        let mut burn = AdamConfig::new()
            .with_weight_decay(decay.map(WeightDecayConfig::new))
            .init();
        let (mut a, mut b) = (start.clone(), start.clone());
        for _ in 0..5 {
            a = fused.step(0.05, a.clone(), &mut loss(&a).backward());
            let grads = GradientsParams::from_grads(loss(&b).backward(), &b);
            b = burn.step(0.05, b.clone(), grads);
        }
        for (i, (x, y)) in weights(&a).iter().zip(&weights(&b)).enumerate() {
            assert_close(x, y, 1e-6, &format!("parameter {i}"));
        }
        assert_ne!(weights(&a)[0], weights(&start)[0], "the first layer moved");
        assert_eq!(
            weights(&a)[2..],
            weights(&start)[2..],
            "the unused layer did not"
        );
        // Still parameters the next forward pass differentiates, through the fused kernels.
        assert!(a[0].weight.val().is_require_grad());
    }
}
