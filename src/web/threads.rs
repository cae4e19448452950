//! The threaded build's stand-ins for WebGPU (issue 20, item 4): this build trains on the CPU
//! only, on every core, through rayon's pool of web workers (`initThreadPool`, from
//! wasm-bindgen-rayon). cubecl's WebGPU handles are not `Send`, so a build with atomics cannot
//! hold them: the page loads the single-threaded build for WebGPU beside this one.

use super::js_error;
use burn::prelude::*;
use wasm_bindgen::prelude::*;

// Linked for its export: `initThreadPool(n)` starts rayon's pool of n web workers.
use wasm_bindgen_rayon as _;

const CPU_ONLY: &str =
    "this build of Kindling trains on the CPU only (its threads cannot hold WebGPU's handles)";

pub(crate) fn webgpu() -> Result<Device, JsValue> {
    Err(js_error(CPU_ONLY))
}

#[wasm_bindgen(js_name = initWebgpu)]
pub async fn init_webgpu(_tasks_max: Option<u32>) -> Result<JsValue, JsValue> {
    Err(js_error(CPU_ONLY))
}

#[wasm_bindgen(js_name = webgpuSelfCheck)]
pub async fn webgpu_self_check() -> Result<JsValue, JsValue> {
    Err(js_error(CPU_ONLY))
}

/// The threads rayon runs on (0 until `initThreadPool` has resolved).
#[wasm_bindgen(js_name = threadCount)]
pub fn thread_count() -> usize {
    rayon::current_num_threads()
}
