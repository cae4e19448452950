//! The one training session the page drives (docs/wasm-api.md): whatever it trains, the MLP on
//! built-in points or on a user's table, or the transformer on a task, a text or a text column,
//! behind one exported class, and what every kind does (train, losses, evaluate). A method that
//! fits one kind only (mlp.rs: the boundary, a table's metrics; transformer.rs: attention maps,
//! predictions, generation) throws a clear error on the others.
//!
//! Async methods read from the device without holding the session borrowed, so the worker may
//! queue the next call; it must not run two at once.

use super::projection::{Projectable, Projector};
use super::{device_for, event_js, js_error, settings_from_js, to_js, user_error};
use crate::SequenceSettings;
use crate::data::SequenceData;
use crate::data::table::EncodingSummary;
use crate::events::Event;
use crate::share::SharedData;
use crate::train::recipe::Baseline;
use crate::train::{Learning, SequenceTrainer, Trainer, read_floats};
use std::cell::{Ref, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// What a session trains.
pub(crate) enum Trains {
    /// The MLP on a built-in dataset.
    Points(Trainer),
    /// The MLP on a user's table, with how the table was encoded.
    Table(Trainer, EncodingSummary),
    /// A transformer on a built-in task, an uploaded text or a table's text column (the
    /// session's `data` says which file).
    Sequences(SequenceTrainer),
}

impl Trains {
    pub(super) fn learning(&self) -> &(dyn Learning + 'static) {
        match self {
            Trains::Points(t) | Trains::Table(t, _) => t,
            Trains::Sequences(t) => t,
        }
    }

    pub(super) fn learning_mut(&mut self) -> &mut (dyn Learning + 'static) {
        match self {
            Trains::Points(t) | Trains::Table(t, _) => t,
            Trains::Sequences(t) => t,
        }
    }

    /// The MLP, if this is one.
    pub(super) fn mlp(&self) -> Option<&Trainer> {
        match self {
            Trains::Points(t) | Trains::Table(t, _) => Some(t),
            Trains::Sequences(_) => None,
        }
    }

    /// The transformer, if this is one.
    pub(super) fn transformer(&self) -> Option<&SequenceTrainer> {
        match self {
            Trains::Sequences(t) => Some(t),
            _ => None,
        }
    }

    pub(crate) fn projectable(&self) -> &dyn Projectable {
        match self {
            Trains::Points(t) | Trains::Table(t, _) => t,
            Trains::Sequences(t) => t,
        }
    }
}

/// The settings a session was built from and retuned to: typed, so that the wasm needs no
/// JSON reader for them (links and files get them written as JSON; the page through `to_js`).
#[derive(Debug, Clone)]
pub(crate) enum BuiltFrom {
    Mlp(crate::Settings),
    Transformer(SequenceSettings),
}

impl BuiltFrom {
    /// As links and files hold them.
    pub(super) fn json(&self) -> String {
        match self {
            BuiltFrom::Mlp(s) => serde_json::to_string(s),
            BuiltFrom::Transformer(s) => serde_json::to_string(s),
        }
        .expect("settings serialise to JSON")
    }

    /// As the page gets every settings object (as `defaultSettings`).
    fn js(&self) -> Result<JsValue, JsValue> {
        match self {
            BuiltFrom::Mlp(s) => to_js(s),
            BuiltFrom::Transformer(s) => to_js(s),
        }
    }
}

impl From<&crate::Settings> for BuiltFrom {
    fn from(settings: &crate::Settings) -> Self {
        BuiltFrom::Mlp(settings.clone())
    }
}

impl From<&SequenceSettings> for BuiltFrom {
    fn from(settings: &SequenceSettings) -> Self {
        BuiltFrom::Transformer(settings.clone())
    }
}

/// A training session on one backend.
#[wasm_bindgen]
pub struct Session {
    pub(super) trains: Rc<RefCell<Trains>>,
    backend: &'static str,
    /// The settings it was built from, for links, files and the page.
    pub(super) settings: BuiltFrom,
    /// The user's file it trains on (None: a built-in dataset or task), for links and files.
    pub(super) data: Option<SharedData>,
    /// Recent projection frames (the projection view).
    pub(super) projector: Rc<RefCell<Projector>>,
    /// The recipe's zero-input baseline, trained beside an MLP while its check is on.
    pub(super) baseline: RefCell<Option<Baseline>>,
    /// The baseline's losses of the last `readLosses`, read in the same readback as the model's.
    pub(super) baseline_losses: Rc<RefCell<Vec<f32>>>,
}

impl Session {
    /// `trains` on `backend`, built from `settings`.
    pub(crate) fn new(
        trains: Trains,
        backend: &'static str,
        settings: impl Into<BuiltFrom>,
        data: Option<SharedData>,
    ) -> Session {
        Session {
            trains: Rc::new(RefCell::new(trains)),
            backend,
            settings: settings.into(),
            data,
            projector: Rc::default(),
            baseline: RefCell::default(),
            baseline_losses: Rc::default(),
        }
    }

    /// A transformer session on data made from a user's file (src/web/table.rs).
    pub(crate) fn on_sequences(
        settings: SequenceSettings,
        data: SequenceData,
        origin: SharedData,
        backend: &str,
    ) -> Result<Session, JsValue> {
        let (device, backend) = device_for(backend)?;
        let trainer =
            SequenceTrainer::with_data(&settings, data, &device).map_err(|e| user_error(&e))?;
        Ok(Session::new(
            Trains::Sequences(trainer),
            backend,
            &settings,
            Some(origin),
        ))
    }

    pub(super) fn learning(&self) -> Ref<'_, dyn Learning> {
        Ref::map(self.trains.borrow(), Trains::learning)
    }

    /// The MLP, or an error naming what needs it.
    pub(super) fn mlp(&self, what: &str) -> Result<Ref<'_, Trainer>, JsValue> {
        Ref::filter_map(self.trains.borrow(), Trains::mlp).map_err(|_| {
            js_error(format!(
                "Session.{what}: only an MLP has it; this session trains a transformer"
            ))
        })
    }

    /// The transformer, or an error naming what needs it.
    pub(super) fn transformer(&self, what: &str) -> Result<Ref<'_, SequenceTrainer>, JsValue> {
        Ref::filter_map(self.trains.borrow(), Trains::transformer).map_err(|_| {
            js_error(format!(
                "Session.{what}: only a transformer has it; this session trains an MLP"
            ))
        })
    }
}

#[wasm_bindgen]
impl Session {
    /// The MLP on the built-in dataset of `settings` (Settings), on `backend` ("webgpu" | "cpu").
    pub fn points(settings: JsValue, backend: &str) -> Result<Session, JsValue> {
        let settings = settings_from_js(settings)?;
        let (device, backend) = device_for(backend)?;
        let trainer = Trainer::new(&settings, &device).map_err(|e| user_error(&e))?;
        Ok(Session::new(
            Trains::Points(trainer),
            backend,
            &settings,
            None,
        ))
    }

    /// A transformer on the built-in task of `settings` (SequenceSettings), on `backend`.
    pub fn sequences(settings: JsValue, backend: &str) -> Result<Session, JsValue> {
        let settings: SequenceSettings = serde_wasm_bindgen::from_value(settings)
            .map_err(|e| js_error(format!("Invalid settings: {e}")))?;
        let (device, backend) = device_for(backend)?;
        let trainer = SequenceTrainer::new(&settings, &device).map_err(|e| user_error(&e))?;
        Ok(Session::new(
            Trains::Sequences(trainer),
            backend,
            &settings,
            None,
        ))
    }

    /// "points" (an MLP, on points or a table) or "sequences" (a transformer): the page's mode.
    #[wasm_bindgen(getter, unchecked_return_type = "import('../www/protocol.js').Mode")]
    pub fn mode(&self) -> String {
        self.learning().kind_name().into()
    }

    /// The settings in force, as Rust completed and checked them (every field present): what
    /// the page shows and keeps, never the raw object a link or file or URL gave.
    #[wasm_bindgen(getter, unchecked_return_type = "Record<string, any>")]
    pub fn settings(&self) -> Result<JsValue, JsValue> {
        self.settings.js()
    }

    #[wasm_bindgen(getter, unchecked_return_type = "import('../www/protocol.js').Backend")]
    pub fn backend(&self) -> String {
        self.backend.into()
    }

    #[wasm_bindgen(getter)]
    pub fn step(&self) -> u32 {
        self.learning().step_count() as u32
    }

    /// Epochs done, fractional.
    #[wasm_bindgen(getter)]
    pub fn epoch(&self) -> f64 {
        self.learning().epoch()
    }

    /// The learning rate of the next step, as the schedule has it.
    #[wasm_bindgen(getter, js_name = learningRate)]
    pub fn learning_rate(&self) -> f64 {
        self.learning().scheduled_rate()
    }

    /// Why training stopped by itself (`{ kind: 'afterSteps' | 'targetLoss' | 'earlyStopping',
    /// step, … }`), or null; it stays until `resume`.
    #[wasm_bindgen(getter, js_name = stopReason, unchecked_return_type = "import('../www/protocol.js').StopReason | null")]
    pub fn stop_reason(&self) -> Result<JsValue, JsValue> {
        match self.learning().stopped() {
            Some(reason) => to_js(&reason),
            None => Ok(JsValue::NULL),
        }
    }

    /// Play again after a stop (the stop conditions are checked afresh from here).
    pub fn resume(&self) {
        self.trains.borrow_mut().learning_mut().resume();
    }

    /// Number of trainable scalars.
    #[wasm_bindgen(getter)]
    pub fn parameters(&self) -> u32 {
        self.learning().parameters() as u32
    }

    /// The model's layers as Keras's `summary()`: `{ layers: [{ name, kind, outputShape,
    /// parameters }], total, trainable }`, `outputShape`'s null the batch.
    #[wasm_bindgen(unchecked_return_type = "import('../www/protocol.js').ModelSummary")]
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        to_js(&self.learning().summary())
    }

    /// Puts `settings` (of this session's mode) in force on the model as it is, from the next
    /// step, when it can take them (training settings and dropout: src/train/retune.rs); returns
    /// the `retuned` event, or null when they need a new model, and then nothing changed.
    #[wasm_bindgen(unchecked_return_type = "import('../www/protocol.js').RetunedEvent | null")]
    pub fn retune(&mut self, settings: JsValue) -> Result<JsValue, JsValue> {
        let mut trains = self
            .trains
            .try_borrow_mut()
            .map_err(|_| js_error("the session is busy"))?;
        let step = trains.learning().step_count();
        let (retuned, next) = match (&mut *trains, &self.settings) {
            (Trains::Points(t) | Trains::Table(t, _), BuiltFrom::Mlp(current)) => {
                let next = settings_from_js(settings)?;
                next.validate().map_err(|e| user_error(&e))?;
                let retuned = t.retune(current, &next).map_err(|e| user_error(&e))?;
                (retuned, BuiltFrom::Mlp(next))
            }
            (Trains::Sequences(t), BuiltFrom::Transformer(current)) => {
                let next: SequenceSettings = serde_wasm_bindgen::from_value(settings)
                    .map_err(|e| js_error(format!("Invalid settings: {e}")))?;
                next.validate().map_err(|e| user_error(&e))?;
                let retuned = t.retune(current, &next).map_err(|e| user_error(&e))?;
                (retuned, BuiltFrom::Transformer(next))
            }
            _ => unreachable!("a session's settings are of its own kind"),
        };
        let Some(retuned) = retuned else {
            return Ok(JsValue::NULL);
        };
        self.settings = next;
        event_js(&Event::Retuned {
            step,
            changes: retuned.changes,
            optimizer_restarted: retuned.optimizer_restarted,
        })
    }

    /// Runs `steps` optimiser steps (and the recipe's baseline's, when it is on). No readback.
    pub fn train(&self, steps: u32) -> Result<(), JsValue> {
        let mut trains = self
            .trains
            .try_borrow_mut()
            .map_err(|_| js_error("the session is busy"))?;
        let mut baseline = self.baseline.borrow_mut();
        super::recipe::train(&mut trains, baseline.as_mut(), steps as usize);
        Ok(())
    }

    /// Resolves to a Float32Array with the train loss of each step since the last read (one
    /// async readback; the session is not borrowed while it waits). With the recipe's baseline
    /// on, its losses come in the same readback and wait for `takeBaselineLosses`.
    #[wasm_bindgen(js_name = readLosses, unchecked_return_type = "Promise<Float32Array>")]
    pub fn read_losses(&self) -> js_sys::Promise {
        let losses = self.trains.borrow_mut().learning_mut().take_losses();
        let model_steps = losses.as_ref().map_or(0, |t| t.dims()[0]);
        let baseline = (self.baseline.borrow_mut().as_mut()).and_then(Baseline::take_losses);
        let both = match (losses, baseline) {
            (Some(model), Some(baseline)) => {
                Some(burn::tensor::Tensor::cat(vec![model, baseline], 0))
            }
            (model, baseline) => model.or(baseline),
        };
        let baseline_losses = self.baseline_losses.clone();
        future_to_promise(async move {
            let mut values = match both {
                Some(t) => read_floats(t).await.map_err(js_error)?,
                None => Vec::new(),
            };
            *baseline_losses.borrow_mut() = values.split_off(model_steps);
            Ok(js_sys::Float32Array::from(&values[..]).into())
        })
    }

    /// Resolves to the `eval` event of the model now (www/protocol.js).
    #[wasm_bindgen(unchecked_return_type = "Promise<import('../www/protocol.js').EvalEvent>")]
    pub fn evaluate(&self) -> js_sys::Promise {
        let values = self.learning().evaluate();
        let trains = self.trains.clone();
        future_to_promise(async move {
            let values = read_floats(values).await.map_err(js_error)?;
            let evaluation = trains.borrow().learning().evaluation_event(&values);
            // The stop conditions see it after the event is made: an early stop may put the
            // best weights back, which the page then evaluates anew.
            trains.borrow_mut().learning_mut().evaluated(&values);
            event_js(&evaluation)
        })
    }
}
