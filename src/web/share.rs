//! Links and model files (docs/share-format.md): the session's sharing methods, and what a link
//! or file holds before any session exists. Reading weights off the device is async: a sync
//! read on WebGPU would trap the wasm instance.

use super::session::{Session, Trains};
use super::{js_error, set, to_js, user_error};
use crate::error::{UserError, Wording};
use crate::share::{
    DataOrigin, ModelFile, Precision, Shared, SharedData, check_model_file_size, decode_link,
    encode_link_fitted, kind_name, param_values_from, params_by_name, read_safetensors,
    write_safetensors,
};
use crate::share::{FILE_SETTINGS, LINK_SETTINGS, ScriptData, TokenScript};
use crate::train::read_floats;
use js_sys::{Object, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

fn precision(name: &str) -> Result<Precision, JsValue> {
    match name {
        "f32" => Ok(Precision::F32),
        "f16" => Ok(Precision::F16),
        "int8" => Ok(Precision::Int8),
        other => Err(js_error(format!(
            "unknown precision '{other}': use f32, f16 or int8"
        ))),
    }
}

#[wasm_bindgen]
impl Session {
    /// Resolves to the link text. `precision`: "f32" | "f16" | "int8"; `history`: the
    /// evaluations so far, [[step, train loss, test loss, test accuracy], ...].
    #[wasm_bindgen(unchecked_return_type = "Promise<string>")]
    pub fn share(
        &self,
        precision_name: &str,
        history: JsValue,
    ) -> Result<js_sys::Promise, JsValue> {
        let precision = precision(precision_name)?;
        let history: Vec<[f32; 4]> = if history.is_undefined() || history.is_null() {
            Vec::new()
        } else {
            serde_wasm_bindgen::from_value(history)
                .map_err(|e| js_error(format!("invalid history: {e}")))?
        };
        let learning = self.learning();
        let (names, shapes, values) = learning.params();
        let (kind, step) = (learning.kind(), learning.step_count() as u32);
        let settings = self.settings.json();
        let data = self.data.clone();
        Ok(future_to_promise(async move {
            let all = read_floats(values).await.map_err(js_error)?;
            let params = param_values_from(names, shapes, &all);
            let link = encode_link_fitted(Shared {
                kind,
                settings,
                step,
                history,
                precision,
                params,
                data,
            });
            Ok(JsValue::from(link))
        }))
    }

    /// Replaces the weights and step by those of a link made for these settings.
    #[wasm_bindgen(js_name = loadLink)]
    pub fn load_link(&self, link: &str) -> Result<(), JsValue> {
        let shared = decode_link(link).map_err(|e| user_error(&e))?;
        check_same_data(shared.data.as_ref().map(|d| &d.origin), self.data.as_ref())?;
        let mut trains = self.trains.borrow_mut();
        let learning = trains.learning_mut();
        if shared.kind != learning.kind() {
            return Err(js_error(format!(
                "This link holds a {} model, not a {} one",
                kind_name(shared.kind),
                learning.kind_name()
            )));
        }
        learning
            .load(&shared.params, shared.step as usize)
            .map_err(|e| js_error(format!("The link does not fit its settings: {e}")))
    }

    /// Resolves to the bytes of a .safetensors file of this model.
    #[wasm_bindgen(js_name = exportSafetensors, unchecked_return_type = "Promise<Uint8Array>")]
    pub fn export_safetensors(&self) -> js_sys::Promise {
        let learning = self.learning();
        let (names, shapes, values) = learning.params();
        let (kind, step) = (learning.kind_name(), learning.step_count() as u32);
        let settings = self.settings.json();
        let origin = self.data.as_ref().map(|d| d.origin.clone());
        let summary = learning.summary();
        future_to_promise(async move {
            let all = read_floats(values).await.map_err(js_error)?;
            let params = param_values_from(names, shapes, &all);
            let bytes =
                write_safetensors(&params, kind, &settings, step, origin.as_ref(), &summary)
                    .map_err(js_error)?;
            Ok(Uint8Array::from(&bytes[..]).into())
        })
    }

    /// The model as a readable PyTorch script (src/share/pytorch): its `nn.Module`, a loader for
    /// the `.safetensors` export, `predict` and a training loop that runs under torchrun; for a
    /// model of the user's table also its encoding (`encode_rows`, `predict_table`).
    #[wasm_bindgen(js_name = exportPytorch)]
    pub fn export_pytorch(&self) -> Result<String, JsValue> {
        let trains = self.trains.borrow();
        let data = match &*trains {
            Trains::Table(trainer, summary) => ScriptData::Table(
                trainer
                    .table_script(&summary.target)
                    .ok_or_else(|| js_error("the table model has no encoding"))?,
            ),
            Trains::Sequences(trainer) => ScriptData::Tokens(TokenScript::of(trainer.data())),
            Trains::Points(_) => ScriptData::Points,
        };
        let learning = trains.learning();
        let (names, shapes, _) = learning.params();
        let kind = learning.kind_name();
        crate::share::pytorch_script(kind, &self.settings.json(), &names, &shapes, &data)
            .map_err(js_error)
    }

    /// Replaces the weights and step by those of a .safetensors file made for these settings.
    #[wasm_bindgen(js_name = loadSafetensors)]
    pub fn load_safetensors(&self, bytes: &Uint8Array) -> Result<(), JsValue> {
        let file = model_file(bytes)?;
        let kind = self.learning().kind_name();
        if file.kind != kind {
            return Err(js_error(format!(
                "This file holds a {} model, not a {kind} one",
                file.kind
            )));
        }
        check_same_data(file.data.as_ref(), self.data.as_ref())?;
        let (names, shapes, _) = self.learning().params();
        let params = params_by_name(&names, &shapes, file.tensors).map_err(js_error)?;
        self.trains
            .borrow_mut()
            .learning_mut()
            .load(&params, file.step as usize)
            .map_err(js_error)
    }
}

/// What a link holds, before any session exists: `{ kind, settings, step, history, precision,
/// data }`; `data`: null for a built-in dataset, else the user's file the model trained on,
/// `{ name, bytes, sha256, sample, use, embedded }` (`embedded`: the link carries the file).
#[wasm_bindgen(js_name = describeLink, unchecked_return_type = "import('../www/protocol.js').LinkContents")]
pub fn describe_link(link: &str) -> Result<JsValue, JsValue> {
    let shared = decode_link(link).map_err(|e| user_error(&e))?;
    let kind = kind_name(shared.kind);
    let settings = completed_settings(kind, &shared.settings, &LINK_SETTINGS)?;
    let view = Object::new();
    set(&view, "kind", kind);
    set(&view, "settings", settings);
    set(&view, "step", shared.step);
    set(&view, "history", to_js(&shared.history)?);
    set(&view, "precision", to_js(&shared.precision)?);
    let data = match &shared.data {
        Some(d) => describe_origin(&d.origin, d.embedded.is_some())?,
        None => JsValue::NULL,
    };
    set(&view, "data", data);
    Ok(view.into())
}

/// A link's or file's settings (`json`, of a model of `kind`) as Rust completes and checks them:
/// every field left out takes its default (as `share::completed_settings` natively; here read
/// by the browser's JSON parser and the page's own settings reader, so the wasm carries no JSON
/// reader for them). `what` begins the message when they are not accepted.
fn completed_settings(kind: &str, json: &str, what: &'static Wording) -> Result<JsValue, JsValue> {
    let refused = |e: String| user_error(&UserError::new(what, [("reason", e.into())]));
    let invalid = |e: UserError| user_error(&UserError::wrapping(what, e));
    let raw = js_sys::JSON::parse(json).map_err(|_| refused("they are not JSON".into()))?;
    match kind {
        "sequences" => {
            let settings: crate::SequenceSettings =
                serde_wasm_bindgen::from_value(raw).map_err(|e| refused(e.to_string()))?;
            settings.validate().map_err(invalid)?;
            to_js(&settings)
        }
        _ => {
            let settings: crate::Settings =
                serde_wasm_bindgen::from_value(raw).map_err(|e| refused(e.to_string()))?;
            settings.validate().map_err(invalid)?;
            to_js(&settings)
        }
    }
}

fn describe_origin(origin: &DataOrigin, embedded: bool) -> Result<JsValue, JsValue> {
    let view = Object::new();
    set(&view, "name", origin.name.as_str());
    set(&view, "bytes", origin.bytes as f64);
    set(&view, "sha256", origin.sha256.as_str());
    set(&view, "sample", origin.sample);
    set(&view, "embedded", embedded);
    // The choices as the page gave them, read back by the browser's JSON parser.
    let used = js_sys::JSON::parse(&origin.choices)
        .ok()
        .filter(|v| v.is_object())
        .ok_or_else(|| {
            js_error("This model link is damaged: its data choices are not a JSON object")
        })?
        .unchecked_into::<Object>();
    set(&used, "kind", origin.kind.name());
    set(&view, "use", used);
    Ok(view.into())
}

/// A link or file of a model trained on a user's file loads only into a session trained on
/// that same file (the architecture's inputs, the classes, the vocabulary come from it).
fn check_same_data(
    needed: Option<&DataOrigin>,
    session: Option<&SharedData>,
) -> Result<(), JsValue> {
    match (needed, session.map(|d| &d.origin)) {
        (None, None) => Ok(()),
        (Some(a), Some(b))
            if a.sha256 == b.sha256 && a.kind == b.kind && a.choices == b.choices =>
        {
            Ok(())
        }
        (Some(a), _) => Err(js_error(format!(
            "This model was trained on {} ({} bytes); the session is not built on that file",
            a.name, a.bytes
        ))),
        (None, Some(b)) => Err(js_error(format!(
            "This model was trained on a built-in dataset, not on {}",
            b.name
        ))),
    }
}

/// What a .safetensors file made by Kindling holds: `{ kind, settings, step, data }` (`data`
/// as `describeLink`'s; a file never carries the data file itself).
#[wasm_bindgen(js_name = describeModelFile, unchecked_return_type = "import('../www/protocol.js').ModelFileContents")]
pub fn describe_model_file(bytes: &Uint8Array) -> Result<JsValue, JsValue> {
    let file = model_file(bytes)?;
    let settings = completed_settings(&file.kind, &file.settings, &FILE_SETTINGS)?;
    let view = Object::new();
    set(&view, "kind", file.kind);
    set(&view, "settings", settings);
    set(&view, "step", file.step);
    let data = match &file.data {
        Some(origin) => describe_origin(origin, false)?,
        None => JsValue::NULL,
    };
    set(&view, "data", data);
    Ok(view.into())
}

/// A model file read from the page's bytes: its size checked while they are still the page's,
/// before they are copied into the wasm memory (`read_safetensors` checks it again, and the
/// header's length, before reading).
fn model_file(bytes: &Uint8Array) -> Result<ModelFile, JsValue> {
    check_model_file_size(bytes.length() as usize).map_err(|e| user_error(&e))?;
    read_safetensors(&bytes.to_vec()).map_err(js_error)
}
