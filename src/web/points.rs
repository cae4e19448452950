//! The MLP session of the points playground.

use super::{device_for, js_error, settings_from_js};
use crate::data::EXTENT;
use crate::train::Trainer;
use crate::train::TrainingSession;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Session {
    trainer: Rc<RefCell<Trainer>>,
    backend: &'static str,
    /// The settings it was built from, as JSON, for links and files.
    settings: String,
    /// Always None: the built-in datasets are regenerated from the settings. (The sharing
    /// methods read it, as they do on the sessions of a user's file.)
    data: Option<crate::share::SharedData>,
    /// Recent projection frames (the projection view).
    projector: Rc<RefCell<super::projection::Projector>>,
}

super::session_methods!(Session);
super::sharing_methods!(Session);

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
            data: None,
            projector: Rc::default(),
        })
    }

    /// Resolves to `{ resolution, outputs, extent, values: Float32Array }`.
    pub fn boundary(&self, resolution: u32) -> js_sys::Promise {
        let resolution = resolution.clamp(2, 256) as usize;
        let grid = self.trainer.borrow().boundary(resolution);
        super::boundary_view(grid, resolution, EXTENT)
    }
}
