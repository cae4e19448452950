//! The transformer session of the sequences playground.

use super::{device_for, js_error, set, strings, to_js};
use crate::data::{Rng, SequenceDataConfig, SequenceKind};
use crate::train::TrainingSession;
use crate::train::{SequenceSettings, SequenceTrainer, read_floats, sample};
use js_sys::{Float32Array, Object};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

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
    /// The settings it was built from, as JSON, for links and files.
    settings: String,
    /// The user's file it trains on (None: a built-in task), for links and files.
    data: Option<crate::share::SharedData>,
    /// Recent projection frames (the projection view).
    projector: Rc<RefCell<super::projection::Projector>>,
}

super::session_methods!(SequenceSession);
super::sharing_methods!(SequenceSession);

#[wasm_bindgen]
impl SequenceSession {
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue, backend: &str) -> Result<SequenceSession, JsError> {
        let settings: SequenceSettings = serde_wasm_bindgen::from_value(settings)
            .map_err(|e| js_error(format!("Invalid settings: {e}")))?;
        let (device, backend) = device_for(backend)?;
        let trainer = SequenceTrainer::new(&settings, &device).map_err(|e| js_error(&e.0))?;
        let settings = serde_json::to_string(&settings).expect("settings serialise to JSON");
        Ok(SequenceSession {
            trainer: Rc::new(RefCell::new(trainer)),
            backend,
            settings,
            data: None,
            projector: Rc::default(),
        })
    }

    #[wasm_bindgen(getter, js_name = testExamples)]
    pub fn test_examples(&self) -> u32 {
        self.trainer.borrow().data().test.len() as u32
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

impl SequenceSession {
    /// A session on data made from a user's file (src/web/table.rs) rather than `settings.data`.
    pub(crate) fn from_data(
        settings: SequenceSettings,
        data: crate::data::SequenceData,
        origin: crate::share::SharedData,
        backend: &str,
    ) -> Result<SequenceSession, JsError> {
        let (device, backend) = device_for(backend)?;
        let trainer =
            SequenceTrainer::with_data(&settings, data, &device).map_err(|e| js_error(&e.0))?;
        let settings = serde_json::to_string(&settings).expect("settings serialise to JSON");
        Ok(SequenceSession {
            trainer: Rc::new(RefCell::new(trainer)),
            backend,
            settings,
            data: Some(origin),
            projector: Rc::default(),
        })
    }
}
