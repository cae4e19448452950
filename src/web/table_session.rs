//! The MLP on a table the user brought (`DataFile::tableSession` builds it): training, the
//! test metrics, and for a table of two inputs its points and decision boundary.

use super::{js_error, to_js};
use crate::data::table::EncodingSummary;
use crate::share::SharedData;
use crate::train::{Trainer, TrainingSession, read_floats};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// The MLP on an uploaded table. As `Session`, less the decision boundary (a table's inputs
/// are not a plane), plus test metrics; its links name (and, when small, carry) the file.
#[wasm_bindgen]
pub struct TableSession {
    pub(super) trainer: Rc<RefCell<Trainer>>,
    pub(super) backend: &'static str,
    /// The settings it was built from, as JSON, for links and files.
    pub(super) settings: String,
    /// The file it trains on, for links and files.
    pub(super) data: Option<SharedData>,
    pub(super) summary: EncodingSummary,
    /// Recent projection frames (the projection view): the last hidden layer, as `Session`.
    pub(super) projector: Rc<RefCell<super::projection::Projector>>,
}

super::session_methods!(TableSession);
super::sharing_methods!(TableSession);

#[wasm_bindgen]
impl TableSession {
    /// `{ target, task, inputs, classes, trainRows, testRows, droppedRows, imputedCells }`.
    pub fn summary(&self) -> Result<JsValue, JsError> {
        to_js(&self.summary)
    }

    /// A table of two inputs only: its points in the plane the boundary covers, as
    /// `generateDataset` gives them (inputs standardised): `{ task, classes, extent, trainX,
    /// trainY, testX, testY }`; null for other widths.
    pub fn points(&self) -> Result<JsValue, JsError> {
        let t = self.trainer.borrow();
        if t.inputs() != 2 {
            return Ok(JsValue::NULL);
        }
        Ok(super::points_view(t.dataset(), t.extent())?.into())
    }

    /// A table of two inputs only: as `Session.boundary`, over the table's plane.
    pub fn boundary(&self, resolution: u32) -> Result<js_sys::Promise, JsError> {
        let t = self.trainer.borrow();
        if t.inputs() != 2 {
            return Err(js_error(format!(
                "the decision boundary needs two inputs; this table has {}",
                t.inputs()
            )));
        }
        let resolution = resolution.clamp(2, 256) as usize;
        Ok(super::boundary_view(
            t.boundary(resolution),
            resolution,
            t.extent(),
        ))
    }

    /// Resolves to the test metrics: `{ kind: 'classification', classes, accuracy, confusion,
    /// precision, recall }` or `{ kind: 'regression', rmse, mae, r2, predicted, actual }`.
    #[wasm_bindgen(js_name = testMetrics)]
    pub fn test_metrics(&self) -> js_sys::Promise {
        let outputs = self.trainer.borrow().test_outputs();
        let trainer = self.trainer.clone();
        future_to_promise(async move {
            let values = read_floats(outputs).await.map_err(js_error)?;
            let metrics = trainer.borrow().test_metrics(&values);
            Ok(to_js(&metrics)?)
        })
    }
}
