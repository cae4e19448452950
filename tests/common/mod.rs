//! Helpers shared by the native test files.
// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use burn::module::Param;
use burn::prelude::*;
use burn::tensor::Gradients;
use kindling::data::table::{FileData, Schema, Table, infer_schema, read_file};
use kindling::model::{ActivationKind, LayerConfig};

/// A file read as the page reads an upload, and its schema; the message when it is refused or
/// read as text.
pub fn load(name: &str, bytes: &[u8]) -> Result<(Table, Schema), String> {
    match read_file(name, bytes).map_err(|e| e.to_string())? {
        FileData::Table(t) => {
            let s = infer_schema(&t).map_err(|e| e.to_string())?;
            Ok((t, s))
        }
        FileData::Text(_) => Err("read as text".into()),
    }
}

/// erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7) in f64, for GELU's exact form:
/// independent of the 7.1.28 form the GELU kernel uses.
pub fn erf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let y = 1.0 - poly * (-x * x).exp();
    if x >= 0.0 { y } else { -y }
}

/// One weight matrix of a model, as a gradient check reaches it.
pub type Pick<M> = fn(&mut M) -> &mut Param<Tensor<2>>;

/// Backpropagation against finite differences (micrograd's check). For every `stride`-th entry
/// w of each picked weight, the central difference (L(w + ε) − L(w − ε)) / 2ε with ε = 1e-2,
/// taken with `loss_of` on a plain (no autodiff) copy of `tracked`, must agree with w's gradient
/// in `grads` to within `tolerance` of the larger of the two (or of 1e-2, where both are
/// smaller). `grads` is the backward pass of the same loss through `tracked`. Returns how many
/// entries were checked.
pub fn check_gradients<M: Module>(
    tracked: &M,
    grads: &Gradients,
    picks: &[(&str, Pick<M>)],
    stride: usize,
    tolerance: f64,
    loss_of: impl Fn(&M, &Device) -> f64,
) -> usize {
    let plain = Device::flex();
    let base = tracked.valid();
    let eps = 1e-2f32;
    let mut checked = 0;
    for (name, pick) in picks {
        let analytic = pick(&mut tracked.clone())
            .grad(grads)
            .unwrap()
            .into_data()
            .try_to_vec::<f32>()
            .unwrap();
        let mut probe = base.clone();
        let weight = pick(&mut probe).val();
        let shape = weight.dims();
        let values = weight.into_data().try_to_vec::<f32>().unwrap();
        for (k, g) in analytic.iter().enumerate().step_by(stride) {
            let mut shifted = |delta: f32| {
                let mut v = values.clone();
                v[k] += delta;
                *pick(&mut probe) =
                    Param::from_tensor(Tensor::from_data(TensorData::new(v, shape), &plain));
                loss_of(&probe, &plain)
            };
            let numeric = (shifted(eps) - shifted(-eps)) / (2.0 * eps as f64);
            let scale = numeric.abs().max(g.abs() as f64).max(1e-2);
            assert!(
                (numeric - *g as f64).abs() / scale < tolerance,
                "{name}[{k}]: backprop {g} vs finite difference {numeric}"
            );
            checked += 1;
        }
    }
    checked
}

/// A hidden layer of the MLP's settings.
pub fn layer(units: usize, activation: ActivationKind, dropout: f64) -> LayerConfig {
    LayerConfig {
        units,
        activation,
        dropout,
    }
}

/// A GPU device through wgpu on Vulkan (Mesa's lavapipe in CI) for the tests of the GPU backend,
/// built with `--features gpu`; `None`, with a line saying why, where no Vulkan driver is
/// installed. Where one is, failing to open it fails the test.
#[cfg(feature = "gpu")]
pub fn vulkan() -> Option<Device> {
    use burn::tensor::wgpu::WgpuBackend;
    let manifest = |dir: &str| {
        std::fs::read_dir(dir).is_ok_and(|mut files| {
            files.any(|f| f.is_ok_and(|f| f.path().extension().is_some_and(|e| e == "json")))
        })
    };
    let installed = std::env::var_os("VK_ICD_FILENAMES").is_some()
        || ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d"]
            .into_iter()
            .any(manifest);
    if !installed {
        eprintln!("skipped: no Vulkan driver installed (Debian: mesa-vulkan-drivers)");
        return None;
    }
    // Opened once per test binary: wgpu's runtime registers once, and the tests run in threads.
    static DEVICE: std::sync::OnceLock<Result<Device, String>> = std::sync::OnceLock::new();
    let device = DEVICE.get_or_init(|| {
        let device = Device::wgpu_options()
            .graphics_api(WgpuBackend::Vulkan)
            .init();
        device.map_err(|e| e.to_string())
    });
    match device {
        Ok(device) => Some(device.clone()),
        Err(e) => panic!("a Vulkan driver is installed, but wgpu cannot open it: {e}"),
    }
}
