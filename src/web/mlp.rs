//! The session's methods for an MLP: the decision boundary, and a table's encoding, points and
//! test metrics. On a transformer they throw.

use super::event_js;
use super::js_error;
use super::session::{BuiltFrom, Session, Trains};
use crate::events::Event;
use crate::inspect::units::{Units, UnitsLayout};
use crate::model::ActivationKind;
use crate::train::{Learning, read_floats};
use burn::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// How to split a readback into the values and the diagram's units: the layout, the input
/// labels and each hidden layer's activation.
type UnitsRead = Option<(UnitsLayout, Vec<String>, Vec<ActivationKind>)>;

/// Reads `read` once, and splits off the diagram's units when `layout` says it holds them.
async fn read_with_units(
    read: Tensor<1>,
    layout: UnitsRead,
) -> Result<(Vec<f32>, Option<Units>), JsValue> {
    let read = read_floats(read).await.map_err(js_error)?;
    Ok(match layout {
        Some((layout, labels, activations)) => {
            let (values, units) = layout.read(&read, labels, &activations);
            (values, Some(units))
        }
        None => (read, None),
    })
}

#[wasm_bindgen]
impl Session {
    /// The MLP: resolves to the `boundary` event, the model over a `resolution`² grid of its
    /// input plane. A table needs two inputs for it. With `units` true, the network diagram's
    /// units over the same grid too, from the same forward pass and the same readback.
    #[wasm_bindgen(unchecked_return_type = "Promise<import('../www/protocol.js').BoundaryEvent>")]
    pub fn boundary(
        &self,
        resolution: u32,
        units: Option<bool>,
    ) -> Result<js_sys::Promise, JsValue> {
        let t = self.mlp("boundary")?;
        if t.inputs() != 2 {
            return Err(js_error(format!(
                "the decision boundary needs two inputs; this table has {}",
                t.inputs()
            )));
        }
        let resolution = resolution.clamp(2, 256) as usize;
        let (step, extent) = (t.step_count(), t.extent());
        let outputs = t.dataset().task.outputs();
        let (read, layout) = if units == Some(true) {
            let (values, layout) = t.boundary_units(resolution);
            (
                values,
                Some((layout, self.input_labels(), self.activations())),
            )
        } else {
            let grid = t.boundary(resolution);
            let [cells, outputs] = grid.dims();
            (grid.reshape([cells * outputs]), None)
        };
        Ok(future_to_promise(async move {
            let (values, units) = read_with_units(read, layout).await?;
            event_js(&Event::Boundary {
                step,
                resolution,
                outputs,
                extent,
                values,
                units,
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

    /// A table: resolves to the `testMetrics` event. With `units` true and more than two
    /// inputs, the network diagram's units as histograms over the same test rows, from the same
    /// forward pass and the same readback (a table of two inputs draws them with the boundary).
    #[wasm_bindgen(js_name = testMetrics, unchecked_return_type = "Promise<import('../www/protocol.js').TestMetricsEvent>")]
    pub fn test_metrics(&self, units: Option<bool>) -> Result<js_sys::Promise, JsValue> {
        let t = self.mlp("testMetrics")?;
        let with_units = (units == Some(true) && t.inputs() != 2)
            .then(|| t.test_units())
            .flatten();
        let (read, layout) = match with_units {
            Some((values, layout)) => (
                values,
                Some((layout, self.input_labels(), self.activations())),
            ),
            None => {
                let outputs = t.test_outputs();
                let [rows, width] = outputs.dims();
                (outputs.reshape([rows * width]), None)
            }
        };
        let step = t.step_count();
        let trains = self.trains.clone();
        Ok(future_to_promise(async move {
            let (values, units) = read_with_units(read, layout).await?;
            let metrics = (trains.borrow().mlp())
                .expect("the session was checked to train an MLP")
                .test_metrics(&values);
            event_js(&Event::TestMetrics {
                step,
                metrics,
                units,
            })
        }))
    }
}

impl Session {
    /// The names of the model's inputs, as the diagram labels them: a table's columns after
    /// encoding, the input features (x, y, x², …) of a built-in dataset's points.
    fn input_labels(&self) -> Vec<String> {
        match &*self.trains.borrow() {
            Trains::Table(_, summary) => summary.inputs.clone(),
            Trains::Points(t) => t.input_labels().unwrap_or_default(),
            Trains::Sequences(_) => Vec::new(),
        }
    }

    /// Each hidden layer's activation, from the settings in force.
    fn activations(&self) -> Vec<ActivationKind> {
        match &self.settings {
            BuiltFrom::Mlp(s) => s.model.hidden.iter().map(|l| l.activation).collect(),
            BuiltFrom::Transformer(_) => Vec::new(),
        }
    }
}
