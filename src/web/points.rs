//! The MLP session of the points playground.

use super::{device_for, js_error, set, settings_from_js, share, to_js};
use crate::data::EXTENT;
use crate::train::TrainingSession;
use crate::train::{Trainer, read_floats};
use js_sys::{Float32Array, Object};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

#[wasm_bindgen]
pub struct Session {
    trainer: Rc<RefCell<Trainer>>,
    backend: &'static str,
    /// The settings it was built from, as JSON, for links and files.
    settings: String,
    /// Recent projection frames (the projection view).
    projector: Rc<RefCell<super::projection::Projector>>,
}

#[wasm_bindgen]
impl Session {
    /// `backend`: "webgpu" or "cpu".
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue, backend: &str) -> Result<Session, JsError> {
        let settings = settings_from_js(settings)?;
        let (device, backend) = device_for(backend)?;
        let trainer = Trainer::new(&settings, &device).map_err(|e| js_error(&e.0))?;
        let settings = serde_json::to_string(&settings).expect("settings serialise to JSON");
        Ok(Session {
            trainer: Rc::new(RefCell::new(trainer)),
            backend,
            settings,
            projector: Rc::default(),
        })
    }

    /// Runs `steps` optimiser steps. No readback.
    pub fn train(&self, steps: u32) -> Result<(), JsError> {
        super::train(&self.trainer, steps)
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
    pub fn read_losses(&self) -> js_sys::Promise {
        super::read_losses(&self.trainer)
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

    /// The labels and colourings of the points of a projection source (docs/projection.md).
    #[wasm_bindgen(js_name = projectionLabels)]
    pub fn projection_labels(&self, source: &str, block: u32) -> Result<JsValue, JsError> {
        super::projection::labels(&self.trainer, source, block)
    }

    /// Resolves to a projection frame: PCA coordinates, or the vectors (docs/projection.md).
    pub fn project(
        &self,
        source: &str,
        block: u32,
        method: &str,
    ) -> Result<js_sys::Promise, JsError> {
        super::projection::project(&self.trainer, &self.projector, source, block, method)
    }

    /// Resolves to the `k` nearest neighbours of point `index` by cosine similarity in the
    /// vectors of the frame at `step` (docs/projection.md).
    pub fn neighbours(
        &self,
        source: &str,
        block: u32,
        step: u32,
        index: u32,
        k: u32,
    ) -> Result<js_sys::Promise, JsError> {
        super::projection::neighbours(&self.projector, source, block, step, index, k)
    }

    /// Resolves to the link text (docs/share-format.md). `precision`: "f32" | "f16" | "int8";
    /// `history`: the evaluations so far, [[step, train loss, test loss, test accuracy], ...].
    pub fn share(&self, precision: &str, history: JsValue) -> Result<js_sys::Promise, JsError> {
        share::share(&self.trainer, &self.settings, precision, history)
    }

    /// Replaces the weights and step by those of a link made for these settings.
    #[wasm_bindgen(js_name = loadLink)]
    pub fn load_link(&self, link: &str) -> Result<(), JsError> {
        share::load_link(&self.trainer, link)
    }

    /// Resolves to the bytes of a .safetensors file of this model.
    #[wasm_bindgen(js_name = exportSafetensors)]
    pub fn export_safetensors(&self) -> js_sys::Promise {
        share::export_safetensors(&self.trainer, &self.settings)
    }

    /// Replaces the weights and step by those of a .safetensors file made for these settings.
    #[wasm_bindgen(js_name = loadSafetensors)]
    pub fn load_safetensors(&self, bytes: &[u8]) -> Result<(), JsError> {
        share::load_safetensors(&self.trainer, bytes)
    }
}
