//! The session's methods for an MLP: the decision boundary, and a table's encoding, points and
//! test metrics. On a transformer they throw.

use super::event_js;
use super::js_error;
use super::session::{Session, Trains};
use crate::events::Event;
use crate::train::{Learning, read_floats};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

#[wasm_bindgen]
impl Session {
    /// The MLP: resolves to the `boundary` event, the model over a `resolution`² grid of its
    /// input plane. A table needs two inputs for it.
    #[wasm_bindgen(unchecked_return_type = "Promise<import('../www/protocol.js').BoundaryEvent>")]
    pub fn boundary(&self, resolution: u32) -> Result<js_sys::Promise, JsValue> {
        let t = self.mlp("boundary")?;
        if t.inputs() != 2 {
            return Err(js_error(format!(
                "the decision boundary needs two inputs; this table has {}",
                t.inputs()
            )));
        }
        let resolution = resolution.clamp(2, 256) as usize;
        let grid = t.boundary(resolution);
        let (step, extent) = (t.step_count(), t.extent());
        let outputs = grid.dims()[1];
        Ok(future_to_promise(async move {
            let values = read_floats(grid).await.map_err(js_error)?;
            event_js(&Event::Boundary {
                step,
                resolution,
                outputs,
                extent,
                values,
            })
        }))
    }

    /// A table: the `tableData` event (how it was encoded); throws on other sessions.
    #[wasm_bindgen(js_name = tableData, unchecked_return_type = "import('../www/protocol.js').TableDataEvent")]
    pub fn table_data(&self) -> Result<JsValue, JsValue> {
        match &*self.trains.borrow() {
            Trains::Table(_, summary) => event_js(&Event::TableData {
                file: self
                    .data
                    .as_ref()
                    .map_or("", |d| &d.origin.name)
                    .to_string(),
                summary: summary.clone(),
            }),
            _ => Err(js_error(
                "Session.tableData: only a table's MLP has it; this session trains none",
            )),
        }
    }

    /// A table of two inputs: its points in the plane the boundary covers (inputs
    /// standardised), as the `dataset` event with `fromTable`; null for other tables and kinds.
    #[wasm_bindgen(js_name = tablePoints, unchecked_return_type = "import('../www/protocol.js').DatasetEvent | null")]
    pub fn table_points(&self) -> Result<JsValue, JsValue> {
        match &*self.trains.borrow() {
            Trains::Table(t, _) if t.inputs() == 2 => {
                event_js(&Event::dataset(t.dataset(), t.extent(), true))
            }
            _ => Ok(JsValue::NULL),
        }
    }

    /// A table: resolves to the `testMetrics` event.
    #[wasm_bindgen(js_name = testMetrics, unchecked_return_type = "Promise<import('../www/protocol.js').TestMetricsEvent>")]
    pub fn test_metrics(&self) -> Result<js_sys::Promise, JsValue> {
        let t = self.mlp("testMetrics")?;
        let outputs = t.test_outputs();
        let step = t.step_count();
        let trains = self.trains.clone();
        Ok(future_to_promise(async move {
            let values = read_floats(outputs).await.map_err(js_error)?;
            let metrics = (trains.borrow().mlp())
                .expect("the session was checked to train an MLP")
                .test_metrics(&values);
            event_js(&Event::TestMetrics { step, metrics })
        }))
    }
}
