//! The only file that knows about the browser: wasm-bindgen exports over the core, WebGPU
//! start-up, async readbacks, and logging to the console. Shapes: see docs/wasm-api.md.

use crate::data::EXTENT;
use crate::data::{Rng, SequenceDataConfig, SequenceKind};
use crate::train::{
    SelfCheck, SequenceSettings, SequenceTrainer, Trainer, compare_backends, read_floats, sample,
};
use crate::{Settings, data::DatasetConfig};
use burn::prelude::*;
use burn::tensor::wgpu::WgpuBackend;
use js_sys::{Float32Array, Object, Reflect};
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

thread_local! {
    /// The WebGPU device, once `initWebgpu` has succeeded. Burn's runtime is global too.
    static WEBGPU: RefCell<Option<Device>> = const { RefCell::new(None) };
}

#[wasm_bindgen(start)]
pub fn start() {
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

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|e| JsError::new(&e.to_string()))
}

fn settings_from_js(settings: JsValue) -> Result<Settings, JsError> {
    serde_wasm_bindgen::from_value(settings)
        .map_err(|e| JsError::new(&format!("Invalid settings: {e}")))
}

fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    Reflect::set(object, &key.into(), &value.into())
        .expect("setting a field of a fresh object should succeed");
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn webgpu() -> Result<Device, JsError> {
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
    let view = Object::new();
    let (task, classes) = match dataset.task {
        crate::data::Task::Classification { classes } => ("classification", classes),
        crate::data::Task::Regression => ("regression", 1),
    };
    set(&view, "task", task);
    set(&view, "classes", classes as u32);
    set(&view, "extent", to_js(&EXTENT)?);
    set(&view, "trainX", Float32Array::from(&dataset.train.x[..]));
    set(&view, "trainY", Float32Array::from(&dataset.train.y[..]));
    set(&view, "testX", Float32Array::from(&dataset.test.x[..]));
    set(&view, "testY", Float32Array::from(&dataset.test.y[..]));
    Ok(view)
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
#[wasm_bindgen]
pub struct Session {
    trainer: Rc<RefCell<Trainer>>,
    backend: &'static str,
}

#[wasm_bindgen]
impl Session {
    /// `backend`: "webgpu" or "cpu".
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue, backend: &str) -> Result<Session, JsError> {
        let settings = settings_from_js(settings)?;
        let (device, backend) = match backend {
            "cpu" => (Device::flex(), "cpu"),
            "webgpu" => (webgpu()?, "webgpu"),
            other => {
                return Err(JsError::new(&format!(
                    "unknown backend '{other}': use 'webgpu' or 'cpu'"
                )));
            }
        };
        let trainer = Trainer::new(&settings, &device).map_err(|e| JsError::new(&e.0))?;
        Ok(Session {
            trainer: Rc::new(RefCell::new(trainer)),
            backend,
        })
    }

    /// Runs `steps` optimiser steps. No readback.
    pub fn train(&self, steps: u32) -> Result<(), JsError> {
        let mut trainer = self
            .trainer
            .try_borrow_mut()
            .map_err(|_| JsError::new("the session is busy"))?;
        trainer.train(steps as usize);
        Ok(())
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
        self.trainer.borrow().model().parameters() as u32
    }

    /// Resolves to a Float32Array with the train loss of each step since the last read.
    #[wasm_bindgen(js_name = readLosses)]
    pub fn read_losses(&self) -> js_sys::Promise {
        let losses = self.trainer.borrow_mut().take_losses();
        future_to_promise(async move {
            let values = match losses {
                Some(t) => read_floats(t).await.map_err(|e| JsError::new(&e))?,
                None => Vec::new(),
            };
            Ok(Float32Array::from(&values[..]).into())
        })
    }

    /// Resolves to `{ step, trainLoss, testLoss, trainAccuracy, testAccuracy }`.
    pub fn evaluate(&self) -> js_sys::Promise {
        let values = self.trainer.borrow().evaluate();
        let trainer = self.trainer.clone();
        future_to_promise(async move {
            let values = read_floats(values).await.map_err(|e| JsError::new(&e))?;
            let evaluation = trainer.borrow().evaluation(&values);
            Ok(to_js(&evaluation)?)
        })
    }

    /// Resolves to `{ resolution, outputs, extent, values: Float32Array }`.
    pub fn boundary(&self, resolution: u32) -> js_sys::Promise {
        let resolution = resolution.clamp(2, 256) as usize;
        let grid = self.trainer.borrow().boundary(resolution);
        let outputs = grid.dims()[1];
        future_to_promise(async move {
            let values = read_floats(grid).await.map_err(|e| JsError::new(&e))?;
            let view = Object::new();
            set(&view, "resolution", resolution as u32);
            set(&view, "outputs", outputs as u32);
            set(&view, "extent", to_js(&EXTENT)?);
            set(&view, "values", Float32Array::from(&values[..]));
            Ok(view.into())
        })
    }
}

fn js_error(message: impl AsRef<str>) -> JsError {
    JsError::new(message.as_ref())
}

fn strings(values: &[String]) -> js_sys::Array {
    values.iter().map(|v| JsValue::from_str(v)).collect()
}

fn device_for(backend: &str) -> Result<(Device, &'static str), JsError> {
    match backend {
        "cpu" => Ok((Device::flex(), "cpu")),
        "webgpu" => Ok((webgpu()?, "webgpu")),
        other => Err(js_error(format!(
            "unknown backend '{other}': use 'webgpu' or 'cpu'"
        ))),
    }
}

#[wasm_bindgen(js_name = defaultSequenceSettings)]
pub fn default_sequence_settings() -> Result<JsValue, JsError> {
    to_js(&SequenceSettings::default())
}

/// What a sequence dataset holds, for the page to show before training (docs/wasm-api-sequences.md).
#[wasm_bindgen(js_name = describeSequenceData)]
pub fn describe_sequence_data(data: JsValue) -> Result<Object, JsError> {
    let config: SequenceDataConfig = serde_wasm_bindgen::from_value(data)
        .map_err(|e| js_error(format!("Invalid data settings: {e}")))?;
    let data = config
        .generate()
        .map_err(|e| js_error(format!("Data: {e}")))?;
    let view = Object::new();
    let kind = match data.kind {
        SequenceKind::Seq2seq => "seq2seq",
        SequenceKind::Classification => "classification",
        SequenceKind::Lm => "lm",
    };
    set(&view, "task", kind);
    set(&view, "inputVocab", strings(&data.input_vocab));
    set(&view, "outputVocab", strings(&data.output_vocab));
    set(&view, "length", data.length as u32);
    set(&view, "train", data.train.len() as u32);
    set(&view, "test", data.test.len() as u32);
    let examples: js_sys::Array = data
        .test
        .iter()
        .take(8)
        .map(|e| {
            let example = Object::new();
            set(&example, "input", tokens(&data.input_vocab, &e.input));
            set(&example, "target", tokens(&data.output_vocab, &e.target));
            JsValue::from(example)
        })
        .collect();
    set(&view, "examples", examples);
    let text = (data.kind == SequenceKind::Lm)
        .then(|| crate::data::CORPUS.chars().take(2000).collect::<String>());
    set(
        &view,
        "text",
        text.map(JsValue::from).unwrap_or(JsValue::NULL),
    );
    Ok(view)
}

fn tokens(vocab: &[String], ids: &[u32]) -> js_sys::Array {
    ids.iter()
        .map(|t| JsValue::from_str(&vocab[*t as usize]))
        .collect()
}

/// A transformer training on a sequence task, on one backend (docs/wasm-api-sequences.md).
#[wasm_bindgen]
pub struct SequenceSession {
    trainer: Rc<RefCell<SequenceTrainer>>,
    backend: &'static str,
}

#[wasm_bindgen]
impl SequenceSession {
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue, backend: &str) -> Result<SequenceSession, JsError> {
        let settings: SequenceSettings = serde_wasm_bindgen::from_value(settings)
            .map_err(|e| js_error(format!("Invalid settings: {e}")))?;
        let (device, backend) = device_for(backend)?;
        let trainer = SequenceTrainer::new(&settings, &device).map_err(|e| js_error(&e.0))?;
        Ok(SequenceSession {
            trainer: Rc::new(RefCell::new(trainer)),
            backend,
        })
    }

    pub fn train(&self, steps: u32) -> Result<(), JsError> {
        let mut trainer = self
            .trainer
            .try_borrow_mut()
            .map_err(|_| js_error("the session is busy"))?;
        trainer.train(steps as usize);
        Ok(())
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
        self.trainer.borrow().model().parameters() as u32
    }

    #[wasm_bindgen(getter, js_name = testExamples)]
    pub fn test_examples(&self) -> u32 {
        self.trainer.borrow().data().test.len() as u32
    }

    #[wasm_bindgen(js_name = readLosses)]
    pub fn read_losses(&self) -> js_sys::Promise {
        let losses = self.trainer.borrow_mut().take_losses();
        future_to_promise(async move {
            let values = match losses {
                Some(t) => read_floats(t).await.map_err(js_error)?,
                None => Vec::new(),
            };
            Ok(Float32Array::from(&values[..]).into())
        })
    }

    pub fn evaluate(&self) -> js_sys::Promise {
        let values = self.trainer.borrow().evaluate();
        let trainer = self.trainer.clone();
        future_to_promise(async move {
            let values = read_floats(values).await.map_err(js_error)?;
            let evaluation = trainer.borrow().evaluation(&values);
            Ok(to_js(&evaluation)?)
        })
    }

    /// Resolves to `{ layers, heads, length, tokens, values }` for test example `index`.
    pub fn attention(&self, index: u32) -> js_sys::Promise {
        let trainer = self.trainer.clone();
        future_to_promise(async move {
            let (weights, tokens) = {
                let t = trainer.borrow();
                let weights = t.attention(index as usize).map_err(js_error)?;
                let example = t.test_example(index as usize).map_err(js_error)?;
                (weights, self::tokens(&t.data().input_vocab, &example.input))
            };
            let [layers, heads, length, _] = weights.dims();
            let values = read_floats(weights).await.map_err(js_error)?;
            let view = Object::new();
            set(&view, "layers", layers as u32);
            set(&view, "heads", heads as u32);
            set(&view, "length", length as u32);
            set(&view, "tokens", tokens);
            set(&view, "values", Float32Array::from(&values[..]));
            Ok(view.into())
        })
    }

    /// Resolves to `{ input, target, output }` (token texts) for test example `index`.
    pub fn predict(&self, index: u32) -> js_sys::Promise {
        let trainer = self.trainer.clone();
        future_to_promise(async move {
            let predicted = trainer.borrow().predict(index as usize).map_err(js_error)?;
            let ids = read_floats(predicted).await.map_err(js_error)?;
            let t = trainer.borrow();
            let example = t.test_example(index as usize).map_err(js_error)?;
            let data = t.data();
            let output: Vec<u32> = ids.iter().map(|v| *v as u32).collect();
            let view = Object::new();
            set(&view, "input", tokens(&data.input_vocab, &example.input));
            set(&view, "target", tokens(&data.output_vocab, &example.target));
            set(&view, "output", tokens(&data.output_vocab, &output));
            Ok(view.into())
        })
    }

    /// Continues `prompt` by `length` characters sampled at `temperature` (language models).
    pub fn generate(
        &self,
        prompt: String,
        length: u32,
        temperature: f32,
        seed: u32,
    ) -> js_sys::Promise {
        let trainer = self.trainer.clone();
        future_to_promise(async move {
            let mut context = trainer.borrow().encode(&prompt);
            let mut rng = Rng::new(u64::from(seed));
            let mut text = String::new();
            for _ in 0..length.min(1000) {
                // The borrow ends before the read: the worker may queue other calls meanwhile.
                let probabilities = trainer
                    .borrow()
                    .next_token(&context, temperature)
                    .map_err(js_error)?;
                let probabilities = read_floats(probabilities).await.map_err(js_error)?;
                let next = sample(&probabilities, &mut rng);
                context.push(next);
                text.push_str(&trainer.borrow().data().input_vocab[next as usize]);
            }
            Ok(JsValue::from(text))
        })
    }
}
