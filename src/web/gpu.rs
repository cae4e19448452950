//! The browser's WebGPU device (the single-threaded build's; the threaded build, CPU only, has
//! `threads.rs` instead): created once by `initWebgpu`, checked against the CPU by
//! `webgpuSelfCheck`.

use super::{js_error, set, to_js};
use crate::train::{SelfCheck, compare_backends};
use burn::prelude::*;
use burn::tensor::wgpu::WgpuBackend;
use js_sys::Object;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The WebGPU device, once `initWebgpu` has succeeded. Burn's runtime is global too.
    static WEBGPU: RefCell<Option<Device>> = const { RefCell::new(None) };
}

pub(crate) fn webgpu() -> Result<Device, JsValue> {
    WEBGPU
        .with(|d| d.borrow().clone())
        .ok_or_else(|| js_error("WebGPU is not initialised: call initWebgpu first"))
}

/// Creates Burn's WebGPU device. Call once, before any WebGPU tensor exists.
/// `tasks_max`: kernels batched into one GPU submission (Burn's default is 32).
/// Resolves to `{ adapter, ms }`.
#[wasm_bindgen(js_name = initWebgpu)]
pub async fn init_webgpu(tasks_max: Option<u32>) -> Result<JsValue, JsValue> {
    if WEBGPU.with(|d| d.borrow().is_some()) {
        return Err(js_error("WebGPU is already initialised"));
    }
    let start = now_ms();
    let mut options = Device::wgpu_options().graphics_api(WgpuBackend::WebGpu);
    if let Some(tasks) = tasks_max {
        options = options.tasks_max(tasks as usize);
    }
    let (device, setup) = options
        .init_with_setup_async()
        .await
        .map_err(|e| js_error(format!("WebGPU could not start: {e}")))?;
    // Every tensor is a storage buffer: the smaller limit bounds the largest (train/budget.rs).
    let limits = setup.device.limits();
    crate::train::budget::set_webgpu_buffer_limit(
        limits
            .max_buffer_size
            .min(limits.max_storage_buffer_binding_size),
    );
    WEBGPU.with(|d| *d.borrow_mut() = Some(device));
    let info = Object::new();
    set(&info, "adapter", setup.adapter.get_info().name);
    set(&info, "ms", now_ms() - start);
    Ok(info.into())
}

/// Trains the same small model on WebGPU and on the CPU and compares.
/// Resolves to `{ ok, maxDiff, ms, reason }`.
#[wasm_bindgen(js_name = webgpuSelfCheck)]
pub async fn webgpu_self_check() -> Result<JsValue, JsValue> {
    let gpu = webgpu()?;
    let start = now_ms();
    let check: SelfCheck = compare_backends(&Device::flex(), &gpu).await;
    if let Some(reason) = &check.reason {
        web_sys::console::warn_1(&format!("WebGPU self-check failed: {reason}").into());
    }
    let report: Object = to_js(&check)?.into();
    set(&report, "ms", now_ms() - start);
    Ok(report.into())
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}
