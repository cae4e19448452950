//! The only module that knows about the browser: wasm-bindgen exports over the core, WebGPU
//! start-up, async readbacks, and logging to the console. Shapes: docs/wasm-api.md,
//! docs/wasm-api-sequences.md; links and files: docs/share-format.md.
//!
//! `session` (the one training session, over what it trains; `mlp` and `transformer` its methods
//! for one kind; `recipe` the MLP's training-recipe checks), `sequences` (the sequence tasks' data), `table` (a user's files), `share`
//! (links and model files) and `projection` (the projection view) split it by what changes
//! together.

// WebGPU in the single-threaded build; the threaded build (CPU only) has stand-ins.
#[cfg(not(kindling_threads))]
mod gpu;
#[cfg(not(kindling_threads))]
pub(crate) use gpu::webgpu;
mod mlp;
mod predict;
mod projection;
mod recipe;
mod sequences;
mod session;
mod share;
mod table;
#[cfg(kindling_threads)]
mod threads;
#[cfg(kindling_threads)]
pub(crate) use threads::webgpu;
mod transformer;

use crate::Settings;
use crate::data::{DatasetConfig, EXTENT};
use crate::error::UserError;
use crate::events::Event;
use crate::settings::{DATASET, in_section};
use burn::prelude::*;
use js_sys::{Float32Array, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

unsafe extern "C" {
    /// The static constructors (cubecl registers its IR dialects with `inventory`), made by the
    /// linker.
    fn __wasm_call_ctors();
}

/// Which build this is: "threads" (CPU only, every core) or "single" (CPU and WebGPU).
#[wasm_bindgen(js_name = buildKind)]
pub fn build_kind() -> String {
    if cfg!(kindling_threads) {
        "threads"
    } else {
        "single"
    }
    .into()
}

#[wasm_bindgen(start)]
pub fn start() {
    // Run the static constructors once, here. Without an explicit call, wasm-ld treats the
    // module as a "command" and wraps *every* export so that it runs all constructors first:
    // measured 0.3 ms per call into the wasm (a getter, `train`, each future's poll), the fixed
    // cost that made reading the loss after every step 4-15 ms (docs: BENCHMARKS.md, issue 7).
    // An explicit call anywhere in the input turns that wrapping off (llvm.org/D81689).
    // In the threaded build every worker of rayon's pool instantiates the module on the same
    // memory and runs this start too: the constructors and the hook are the memory's, once.
    static STARTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if STARTED.swap(true, std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    // SAFETY: called once, by wasm-bindgen's start, before any other export runs.
    unsafe { __wasm_call_ctors() };
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        // Once the instance has trapped nothing in it can be asked, so the worker finds the
        // panic's message here, to tell the user what failed rather than "unreachable".
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| info.to_string());
        let at = info
            .location()
            .map(|l| format!(" (at {}:{})", l.file(), l.line()))
            .unwrap_or_default();
        let _ = Reflect::set(
            &js_sys::global(),
            &"kindlingPanic".into(),
            &format!("{message}{at}").into(),
        );
    }));
    // wgpu and cubecl report shader and device errors through `log`; without a logger they
    // vanish and a broken backend looks merely slow or wrong.
    let _ = log::set_logger(&CONSOLE_LOGGER).map(|()| log::set_max_level(log::LevelFilter::Warn));
}

struct ConsoleLogger;
static CONSOLE_LOGGER: ConsoleLogger = ConsoleLogger;

impl log::Log for ConsoleLogger {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::Level::Warn
    }

    fn log(&self, record: &log::Record) {
        let line = JsValue::from(format!("[{}] {}", record.target(), record.args()));
        match record.level() {
            log::Level::Error => web_sys::console::error_1(&line),
            _ => web_sys::console::warn_1(&line),
        }
    }

    fn flush(&self) {}
}

pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|e| js_error(e.to_string()))
}

pub(crate) fn settings_from_js(settings: JsValue) -> Result<Settings, JsValue> {
    serde_wasm_bindgen::from_value(settings).map_err(|e| js_error(format!("Invalid settings: {e}")))
}

pub(crate) fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    Reflect::set(object, &key.into(), &value.into())
        .expect("setting a field of a fresh object should succeed");
}

/// The learning rate of training settings `train` over the steps worth drawing, `points` of them:
/// `{ steps, rates }` (src/train/schedule.rs).
#[wasm_bindgen(js_name = scheduleCurve, unchecked_return_type = "{ steps: number[], rates: number[] }")]
pub fn schedule_curve(train: JsValue, points: u32) -> Result<JsValue, JsValue> {
    let train: crate::train::TrainConfig = serde_wasm_bindgen::from_value(train)
        .map_err(|e| js_error(format!("Invalid training settings: {e}")))?;
    to_js(&train.schedule_curve(points as usize))
}

#[wasm_bindgen(js_name = defaultSettings)]
pub fn default_settings() -> Result<JsValue, JsValue> {
    to_js(&Settings::default())
}

/// The `dataset` event of a built-in dataset, for drawing before (and while) anything trains.
#[wasm_bindgen(js_name = generateDataset, unchecked_return_type = "import('../www/protocol.js').DatasetEvent")]
pub fn generate_dataset(data: JsValue) -> Result<JsValue, JsValue> {
    let config: DatasetConfig = serde_wasm_bindgen::from_value(data)
        .map_err(|e| js_error(format!("Invalid dataset settings: {e}")))?;
    let dataset = config
        .generate()
        .map_err(|e| user_error(&in_section(&DATASET)(e)))?;
    event_js(&Event::dataset(&dataset, EXTENT, false))
}

/// `event` as the worker posts it (www/protocol.js): its fields by serde, its dense arrays
/// attached as Float32Arrays of their own (so the worker can transfer them).
pub(crate) fn event_js(event: &Event) -> Result<JsValue, JsValue> {
    let view: Object = to_js(event)?.into();
    for (name, values) in event.dense() {
        set(&view, name, Float32Array::from(values));
    }
    Ok(view.into())
}

/// Panics with `message`: the test hook that proves a crash is not the end (the worker routes
/// it only when the page was opened with `?testhooks`).
#[wasm_bindgen(js_name = panicForTest)]
pub fn panic_for_test(message: &str) {
    panic!("{message}");
}

/// A JS `Error` with `message`, as every export throws.
pub(crate) fn js_error(message: impl AsRef<str>) -> JsValue {
    js_sys::Error::new(message.as_ref()).into()
}

/// A JS `Error` the page can word in the user's language (www/i18n.js `errorText`): `message`
/// the English, with `code`, `fields` and `cause` as `UserError` serialises them (a count a
/// number, a term or a sized phrase an error of its own, the wrapped error its `cause`).
pub(crate) fn user_error(e: &UserError) -> JsValue {
    let error = js_sys::Error::new(&e.to_string());
    if let Ok(detail) = to_js(e) {
        Object::assign(&error, &detail.unchecked_into());
    }
    error.into()
}

/// The device of `backend` ("cpu" | "webgpu", once `initWebgpu` has succeeded; "threads" in the
/// threaded build: the CPU on rayon's pool) and its name.
pub(crate) fn device_for(backend: &str) -> Result<(Device, &'static str), JsValue> {
    match backend {
        "cpu" => Ok((Device::flex(), "cpu")),
        "webgpu" => Ok((webgpu()?, "webgpu")),
        #[cfg(kindling_threads)]
        "threads" => Ok((Device::flex(), "threads")),
        #[cfg(not(kindling_threads))]
        "threads" => Err(js_error(
            "this build of Kindling runs on one thread: 'threads' is the threaded build's (pkg-threads/)",
        )),
        other => Err(js_error(format!(
            "unknown backend '{other}': use 'webgpu' or 'cpu'"
        ))),
    }
}
