//! The only module that knows about the browser: wasm-bindgen exports over the core, WebGPU
//! start-up, async readbacks, and logging to the console. Shapes: docs/wasm-api.md,
//! docs/wasm-api-sequences.md; links and files: docs/share-format.md.
//!
//! `points` (the MLP session), `sequences` (the transformer session), `share` (links and
//! model files for both) and `projection` (the projection view, for both) split it by what
//! changes together.

/// The wasm methods every session (`Session`, `SequenceSession`, `TableSession`) has, alike on
/// each: training, progress, the losses, and projections (docs/projection.md). wasm-bindgen
/// exports methods per struct, so one macro writes them for each; the struct needs the fields
/// `trainer: Rc<RefCell<trainer>>`, `backend: &'static str` and `projector`.
macro_rules! session_methods {
    ($session:ident) => {
        #[::wasm_bindgen::prelude::wasm_bindgen]
        impl $session {
            /// Resolves to the evaluation of the model now: the MLP's `{ step, trainLoss,
            /// testLoss, trainAccuracy, testAccuracy }`, or the transformer's.
            pub fn evaluate(&self) -> ::js_sys::Promise {
                crate::web::evaluate(&self.trainer)
            }

            /// Runs `steps` optimiser steps. No readback.
            pub fn train(&self, steps: u32) -> Result<(), ::wasm_bindgen::JsError> {
                crate::web::train(&self.trainer, steps)
            }

            #[wasm_bindgen(getter)]
            pub fn step(&self) -> u32 {
                self.trainer.borrow().step_count() as u32
            }

            #[wasm_bindgen(getter)]
            pub fn epoch(&self) -> f64 {
                self.trainer.borrow().epoch()
            }

            #[wasm_bindgen(getter)]
            pub fn backend(&self) -> String {
                self.backend.into()
            }

            #[wasm_bindgen(getter)]
            pub fn parameters(&self) -> u32 {
                self.trainer.borrow().parameters() as u32
            }

            /// Resolves to a Float32Array with the train loss of each step since the last read.
            #[wasm_bindgen(js_name = readLosses)]
            pub fn read_losses(&self) -> ::js_sys::Promise {
                crate::web::read_losses(&self.trainer)
            }

            /// The labels and colourings of the points of a projection source.
            #[wasm_bindgen(js_name = projectionLabels)]
            pub fn projection_labels(
                &self,
                source: &str,
                block: u32,
            ) -> Result<::wasm_bindgen::JsValue, ::wasm_bindgen::JsError> {
                crate::web::projection::labels(&self.trainer, source, block)
            }

            /// Resolves to a projection frame: PCA coordinates, or the vectors.
            pub fn project(
                &self,
                source: &str,
                block: u32,
                method: &str,
            ) -> Result<::js_sys::Promise, ::wasm_bindgen::JsError> {
                crate::web::projection::project(
                    &self.trainer,
                    &self.projector,
                    source,
                    block,
                    method,
                )
            }

            /// Resolves to the `k` nearest neighbours of point `index` by cosine similarity in
            /// the vectors of the frame at `step`.
            pub fn neighbours(
                &self,
                source: &str,
                block: u32,
                step: u32,
                index: u32,
                k: u32,
            ) -> Result<::js_sys::Promise, ::wasm_bindgen::JsError> {
                crate::web::projection::neighbours(&self.projector, source, block, step, index, k)
            }
        }
    };
}
pub(crate) use session_methods;

/// Links and model files (docs/share-format.md), for every session. The struct needs the fields
/// `trainer`, `settings` (its settings as JSON) and `data` (the user's file it trains on, if any).
macro_rules! sharing_methods {
    ($session:ident) => {
        #[::wasm_bindgen::prelude::wasm_bindgen]
        impl $session {
            /// Resolves to the link text. `precision`: "f32" | "f16" | "int8"; `history`: the
            /// evaluations so far, [[step, train loss, test loss, test accuracy], ...].
            pub fn share(
                &self,
                precision: &str,
                history: ::wasm_bindgen::JsValue,
            ) -> Result<::js_sys::Promise, ::wasm_bindgen::JsError> {
                crate::web::share::share(
                    &self.trainer,
                    &self.settings,
                    self.data.as_ref(),
                    precision,
                    history,
                )
            }

            /// Replaces the weights and step by those of a link made for these settings.
            #[wasm_bindgen(js_name = loadLink)]
            pub fn load_link(&self, link: &str) -> Result<(), ::wasm_bindgen::JsError> {
                crate::web::share::load_link(&self.trainer, self.data.as_ref(), link)
            }

            /// Resolves to the bytes of a .safetensors file of this model.
            #[wasm_bindgen(js_name = exportSafetensors)]
            pub fn export_safetensors(&self) -> ::js_sys::Promise {
                crate::web::share::export_safetensors(
                    &self.trainer,
                    &self.settings,
                    self.data.as_ref(),
                )
            }

            /// Replaces the weights and step by those of a .safetensors file made for these
            /// settings.
            #[wasm_bindgen(js_name = loadSafetensors)]
            pub fn load_safetensors(&self, bytes: &[u8]) -> Result<(), ::wasm_bindgen::JsError> {
                crate::web::share::load_safetensors(&self.trainer, self.data.as_ref(), bytes)
            }
        }
    };
}
pub(crate) use sharing_methods;

mod file_data;
mod points;
mod projection;
mod sequences;
mod share;
mod table;
mod table_session;

use crate::Settings;
use crate::data::EXTENT;
use crate::data::{Dataset, DatasetConfig};
use crate::train::{SelfCheck, TrainingSession, compare_backends};
use burn::prelude::*;
use burn::tensor::wgpu::WgpuBackend;
use js_sys::{Float32Array, Object, Reflect};
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The WebGPU device, once `initWebgpu` has succeeded. Burn's runtime is global too.
    static WEBGPU: RefCell<Option<Device>> = const { RefCell::new(None) };
}

unsafe extern "C" {
    /// The static constructors (cubecl registers its IR dialects with `inventory`), made by the
    /// linker.
    fn __wasm_call_ctors();
}

#[wasm_bindgen(start)]
pub fn start() {
    // Run the static constructors once, here. Without an explicit call, wasm-ld treats the
    // module as a "command" and wraps *every* export so that it runs all constructors first:
    // measured 0.3 ms per call into the wasm (a getter, `train`, each future's poll), the fixed
    // cost that made reading the loss after every step 4-15 ms (docs: BENCHMARKS.md, issue 7).
    // An explicit call anywhere in the input turns that wrapping off (llvm.org/D81689).
    // SAFETY: called once, by wasm-bindgen's start, before any other export runs.
    unsafe { __wasm_call_ctors() };
    console_error_panic_hook::set_once();
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

pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|e| JsError::new(&e.to_string()))
}

pub(crate) fn settings_from_js(settings: JsValue) -> Result<Settings, JsError> {
    serde_wasm_bindgen::from_value(settings)
        .map_err(|e| JsError::new(&format!("Invalid settings: {e}")))
}

pub(crate) fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    Reflect::set(object, &key.into(), &value.into())
        .expect("setting a field of a fresh object should succeed");
}

pub(crate) fn now_ms() -> f64 {
    js_sys::Date::now()
}

pub(crate) fn webgpu() -> Result<Device, JsError> {
    WEBGPU
        .with(|d| d.borrow().clone())
        .ok_or_else(|| JsError::new("WebGPU is not initialised: call initWebgpu first"))
}

#[wasm_bindgen(js_name = defaultSettings)]
pub fn default_settings() -> Result<JsValue, JsError> {
    to_js(&Settings::default())
}

/// The points of a dataset, for drawing before (and while) anything trains.
#[wasm_bindgen(js_name = generateDataset)]
pub fn generate_dataset(data: JsValue) -> Result<Object, JsError> {
    let config: DatasetConfig = serde_wasm_bindgen::from_value(data)
        .map_err(|e| JsError::new(&format!("Invalid dataset settings: {e}")))?;
    let dataset = config
        .generate()
        .map_err(|e| JsError::new(&format!("Dataset: {e}")))?;
    points_view(&dataset, EXTENT)
}

/// A dataset's points in a plane, as the page draws them: `{ task, classes, extent, trainX,
/// trainY, testX, testY }` (a generated dataset, or a table of two inputs).
pub(crate) fn points_view(dataset: &Dataset, extent: [f32; 4]) -> Result<Object, JsError> {
    let view = Object::new();
    let (task, classes) = match dataset.task {
        crate::data::Task::Classification { classes } => ("classification", classes),
        crate::data::Task::Regression => ("regression", 1),
    };
    set(&view, "task", task);
    set(&view, "classes", classes as u32);
    set(&view, "extent", to_js(&extent)?);
    set(&view, "trainX", Float32Array::from(&dataset.train.x[..]));
    set(&view, "trainY", Float32Array::from(&dataset.train.y[..]));
    set(&view, "testX", Float32Array::from(&dataset.test.x[..]));
    set(&view, "testY", Float32Array::from(&dataset.test.y[..]));
    Ok(view)
}

/// Resolves to a decision-boundary grid read off the device: `{ resolution, outputs, extent,
/// values: Float32Array }`, `grid` being [resolution², outputs] over `extent`.
pub(crate) fn boundary_view(
    grid: Tensor<2>,
    resolution: usize,
    extent: [f32; 4],
) -> js_sys::Promise {
    let outputs = grid.dims()[1];
    wasm_bindgen_futures::future_to_promise(async move {
        let values = crate::train::read_floats(grid).await.map_err(js_error)?;
        let view = Object::new();
        set(&view, "resolution", resolution as u32);
        set(&view, "outputs", outputs as u32);
        set(&view, "extent", to_js(&extent)?);
        set(&view, "values", Float32Array::from(&values[..]));
        Ok(view.into())
    })
}

/// Creates Burn's WebGPU device. Call once, before any WebGPU tensor exists.
/// `tasks_max`: kernels batched into one GPU submission (Burn's default is 32).
/// Resolves to `{ adapter, ms }`.
#[wasm_bindgen(js_name = initWebgpu)]
pub async fn init_webgpu(tasks_max: Option<u32>) -> Result<JsValue, JsError> {
    if WEBGPU.with(|d| d.borrow().is_some()) {
        return Err(JsError::new("WebGPU is already initialised"));
    }
    let start = now_ms();
    let mut options = Device::wgpu_options().graphics_api(WgpuBackend::WebGpu);
    if let Some(tasks) = tasks_max {
        options = options.tasks_max(tasks as usize);
    }
    let (device, setup) = options
        .init_with_setup_async()
        .await
        .map_err(|e| JsError::new(&format!("WebGPU could not start: {e}")))?;
    WEBGPU.with(|d| *d.borrow_mut() = Some(device));
    let info = Object::new();
    set(&info, "adapter", setup.adapter.get_info().name);
    set(&info, "ms", now_ms() - start);
    Ok(info.into())
}

/// Trains the same small model on WebGPU and on the CPU and compares.
/// Resolves to `{ ok, maxDiff, ms, reason }`.
#[wasm_bindgen(js_name = webgpuSelfCheck)]
pub async fn webgpu_self_check() -> Result<JsValue, JsError> {
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

/// A training session on one backend. Async methods read from the device without holding
/// the session borrowed, so the worker may queue the next call; it must not run two at once.
pub(crate) fn js_error(message: impl AsRef<str>) -> JsError {
    JsError::new(message.as_ref())
}

pub(crate) fn strings(values: &[String]) -> js_sys::Array {
    values.iter().map(|v| JsValue::from_str(v)).collect()
}

pub(crate) fn device_for(backend: &str) -> Result<(Device, &'static str), JsError> {
    match backend {
        "cpu" => Ok((Device::flex(), "cpu")),
        "webgpu" => Ok((webgpu()?, "webgpu")),
        other => Err(js_error(format!(
            "unknown backend '{other}': use 'webgpu' or 'cpu'"
        ))),
    }
}

/// `steps` optimiser steps on either session. No readback.
pub(crate) fn evaluate<T: TrainingSession + 'static>(trainer: &Rc<RefCell<T>>) -> js_sys::Promise {
    let values = trainer.borrow().evaluate();
    let trainer = trainer.clone();
    wasm_bindgen_futures::future_to_promise(async move {
        let values = crate::train::read_floats(values).await.map_err(js_error)?;
        let evaluation = trainer.borrow().evaluation(&values);
        Ok(to_js(&evaluation)?)
    })
}

pub(crate) fn train<T: TrainingSession>(
    trainer: &Rc<RefCell<T>>,
    steps: u32,
) -> Result<(), JsError> {
    let mut trainer = trainer
        .try_borrow_mut()
        .map_err(|_| js_error("the session is busy"))?;
    trainer.train(steps as usize);
    Ok(())
}

/// Resolves to a Float32Array with the train loss of each step since the last read (one
/// async readback; the session is not borrowed while it waits).
pub(crate) fn read_losses<T: TrainingSession>(trainer: &Rc<RefCell<T>>) -> js_sys::Promise {
    let losses = trainer.borrow_mut().take_losses();
    wasm_bindgen_futures::future_to_promise(async move {
        let values = match losses {
            Some(t) => crate::train::read_floats(t).await.map_err(js_error)?,
            None => Vec::new(),
        };
        Ok(Float32Array::from(&values[..]).into())
    })
}
