//! Predicting on a file of new rows with the model in force (issue 19, item 1; the core in
//! src/train/trainer/predict.rs): the wasm side reads the file with the same readers and limits
//! as an upload, and reads the predictions back without holding the session.

use super::session::{Session, Trains};
use super::{js_error, to_js, user_error};
use crate::data::table::{FileData, read_file};
use crate::train::read_floats;
use js_sys::Uint8Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// Lines of the predictions shown in the page (the CSV holds them all).
const PREVIEW_ROWS: usize = 10;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Predictions {
    /// The whole table as CSV: the file's columns, then the predictions.
    csv: String,
    /// The header and the first rows, for the page to show.
    preview: Vec<Vec<String>>,
    rows: usize,
    /// Columns of the file the model does not take (the target among them).
    ignored: Vec<String>,
    imputed_cells: usize,
}

/// A typed text's classes: what the model read, and each class's probability.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TextClasses {
    /// The tokens the model reads (`<unk>` for each outside its vocabulary).
    tokens: Vec<String>,
    /// The text's tokens outside the vocabulary, each once.
    unknown: Vec<String>,
    /// Tokens past the model's length, left out.
    cut: usize,
    classes: Vec<String>,
    probabilities: Vec<f32>,
}

#[wasm_bindgen]
impl Session {
    /// A text classifier on `text`: resolves to `{ tokens, unknown, cut, classes,
    /// probabilities }`, the text read as its training texts were.
    #[wasm_bindgen(js_name = classifyText, unchecked_return_type = "Promise<import('../www/protocol.js').TextClasses>")]
    pub fn classify_text(&self, text: &str) -> Result<js_sys::Promise, JsValue> {
        let trainer = self.transformer("classifyText")?;
        let (typed, out) = trainer
            .classify_text(text)
            .ok_or_else(|| js_error("This model does not classify texts"))?;
        let classes = trainer.data().output_vocab.clone();
        Ok(future_to_promise(async move {
            let probabilities = read_floats(out.reshape([-1])).await.map_err(js_error)?;
            to_js(&TextClasses {
                tokens: typed.tokens,
                unknown: typed.unknown,
                cut: typed.cut,
                classes,
                probabilities,
            })
        }))
    }

    /// The model's output at (x, y) of the plane the decision boundary covers (the built-in
    /// points, or a table of two inputs): resolves to each class's probability, or the value.
    #[wasm_bindgen(js_name = outputAt, unchecked_return_type = "Promise<Float32Array>")]
    pub fn output_at(&self, x: f32, y: f32) -> Result<js_sys::Promise, JsValue> {
        let out = self
            .mlp("outputAt")?
            .output_at(x, y)
            .ok_or_else(|| js_error("This model's data has no plane to point at"))?;
        Ok(future_to_promise(async move {
            let values = read_floats(out.reshape([-1])).await.map_err(js_error)?;
            Ok(js_sys::Float32Array::from(&values[..]).into())
        }))
    }

    /// Predictions of the model in force (its weights now, trained or training) on the rows of a
    /// file like its training file (its feature columns, with or without the target): resolves to
    /// `{ csv, preview, rows, ignored, imputedCells }`. A missing column, an unseen category or a
    /// non-number where the model took numbers is a typed error naming it; nothing changes.
    #[wasm_bindgen(js_name = predictFile, unchecked_return_type = "Promise<import('../www/protocol.js').PredictionsFile>")]
    pub fn predict_file(&self, name: &str, bytes: &Uint8Array) -> Result<js_sys::Promise, JsValue> {
        let table = match read_file(name, &bytes.to_vec()).map_err(|e| user_error(&e))? {
            FileData::Table(t) => t,
            FileData::Text(_) => return Err(js_error(format!("{name} is not a table"))),
        };
        let (rows, out) = match self.mlp("predictFile")?.predict(&table).ok_or_else(|| {
            js_error("This model did not train on a table: nothing to predict on rows")
        })? {
            Ok(predicted) => predicted,
            Err(e) => return Err(user_error(&e)),
        };
        let trains = self.trains.clone();
        Ok(future_to_promise(async move {
            let values = read_floats(out.reshape([-1])).await.map_err(js_error)?;
            let trains = trains.borrow();
            let Trains::Table(trainer, summary) = &*trains else {
                return Err(js_error("the session changed while predicting"));
            };
            let target = &summary.target;
            let table_rows = trainer.predictions_table(&table, target, &values);
            let csv = crate::train::predictions_csv(&table_rows);
            to_js(&Predictions {
                csv,
                preview: table_rows.into_iter().take(PREVIEW_ROWS + 1).collect(),
                rows: rows.rows,
                ignored: rows.ignored,
                imputed_cells: rows.imputed_cells,
            })
        }))
    }
}
