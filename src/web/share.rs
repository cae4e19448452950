//! Links and model files for either session (docs/share-format.md). Reading weights off the
//! device is async: a sync read on WebGPU would trap the wasm instance.

use super::{js_error, set, to_js};
use crate::share::{
    Precision, Shared, decode_link, encode_link, kind_name, param_values_from, params_by_name,
    read_safetensors, write_safetensors,
};
use crate::train::{TrainingSession, read_floats};
use js_sys::{Object, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

fn precision(name: &str) -> Result<Precision, JsError> {
    match name {
        "f32" => Ok(Precision::F32),
        "f16" => Ok(Precision::F16),
        "int8" => Ok(Precision::Int8),
        other => Err(js_error(format!(
            "unknown precision '{other}': use f32, f16 or int8"
        ))),
    }
}

pub(super) fn share<T: TrainingSession + 'static>(
    trainer: &Rc<RefCell<T>>,
    settings: &str,
    precision_name: &str,
    history: JsValue,
) -> Result<js_sys::Promise, JsError> {
    let precision = precision(precision_name)?;
    let history: Vec<[f32; 4]> = if history.is_undefined() || history.is_null() {
        Vec::new()
    } else {
        serde_wasm_bindgen::from_value(history)
            .map_err(|e| js_error(format!("invalid history: {e}")))?
    };
    let (names, shapes, values) = trainer.borrow().params();
    let step = trainer.borrow().step_count() as u32;
    let settings = settings.to_string();
    Ok(future_to_promise(async move {
        let all = read_floats(values).await.map_err(js_error)?;
        let params = param_values_from(names, shapes, &all);
        let link = encode_link(&Shared {
            kind: T::KIND,
            settings,
            step,
            history,
            precision,
            params,
        });
        Ok(JsValue::from(link))
    }))
}

/// What a link holds, before any session exists: `{ kind, settings, step, history, precision }`.
#[wasm_bindgen(js_name = describeLink)]
pub fn describe_link(link: &str) -> Result<JsValue, JsError> {
    let shared = decode_link(link).map_err(|e| js_error(e.0))?;
    let settings: serde_json::Value = serde_json::from_str(&shared.settings)
        .map_err(|_| js_error("This model link is damaged: its settings are not JSON"))?;
    let view = Object::new();
    set(&view, "kind", kind_name(shared.kind));
    set(&view, "settings", to_js(&settings)?);
    set(&view, "step", shared.step);
    set(&view, "history", to_js(&shared.history)?);
    set(&view, "precision", to_js(&shared.precision)?);
    Ok(view.into())
}

pub(super) fn load_link<T: TrainingSession>(
    trainer: &Rc<RefCell<T>>,
    link: &str,
) -> Result<(), JsError> {
    let shared = decode_link(link).map_err(|e| js_error(e.0))?;
    if shared.kind != T::KIND {
        return Err(js_error(format!(
            "This link holds a {} model, not a {} one",
            kind_name(shared.kind),
            T::KIND_NAME
        )));
    }
    let mut trainer = trainer.borrow_mut();
    trainer
        .load(&shared.params, shared.step as usize)
        .map_err(|e| js_error(format!("The link does not fit its settings: {e}")))
}

pub(super) fn export_safetensors<T: TrainingSession + 'static>(
    trainer: &Rc<RefCell<T>>,
    settings: &str,
) -> js_sys::Promise {
    let (names, shapes, values) = trainer.borrow().params();
    let step = trainer.borrow().step_count() as u32;
    let settings = settings.to_string();
    future_to_promise(async move {
        let all = read_floats(values).await.map_err(js_error)?;
        let params = param_values_from(names, shapes, &all);
        let bytes = write_safetensors(&params, T::KIND_NAME, &settings, step).map_err(js_error)?;
        Ok(Uint8Array::from(&bytes[..]).into())
    })
}

/// What a .safetensors file made by Kindling holds: `{ kind, settings, step }`.
#[wasm_bindgen(js_name = describeModelFile)]
pub fn describe_model_file(bytes: &[u8]) -> Result<JsValue, JsError> {
    let (kind, settings, step, _) = read_safetensors(bytes).map_err(js_error)?;
    let settings: serde_json::Value = serde_json::from_str(&settings)
        .map_err(|_| js_error("the file's settings are not JSON"))?;
    let view = Object::new();
    set(&view, "kind", kind);
    set(&view, "settings", to_js(&settings)?);
    set(&view, "step", step);
    Ok(view.into())
}

pub(super) fn load_safetensors<T: TrainingSession>(
    trainer: &Rc<RefCell<T>>,
    bytes: &[u8],
) -> Result<(), JsError> {
    let (kind, _, step, tensors) = read_safetensors(bytes).map_err(js_error)?;
    if kind != T::KIND_NAME {
        return Err(js_error(format!(
            "This file holds a {kind} model, not a {} one",
            T::KIND_NAME
        )));
    }
    let (names, shapes, _) = trainer.borrow().params();
    let params = params_by_name(&names, &shapes, tensors).map_err(js_error)?;
    trainer
        .borrow_mut()
        .load(&params, step as usize)
        .map_err(js_error)
}
