//! The sequence tasks' settings and data, for the page to show before a transformer trains
//! (docs/wasm-api-sequences.md). The transformer itself trains in `Session`.

use super::{event_js, js_error, to_js, user_error};
use crate::SequenceSettings;
use crate::data::{SequenceDataConfig, SequenceKind};
use crate::events::Event;
use crate::settings::{DATA, in_section};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_name = defaultSequenceSettings)]
pub fn default_sequence_settings() -> Result<JsValue, JsValue> {
    to_js(&SequenceSettings::default())
}

/// The `sequenceData` event of a built-in task: what it holds, its first test examples, and for
/// the language model the start of its text.
#[wasm_bindgen(js_name = describeSequenceData, unchecked_return_type = "import('../www/protocol.js').SequenceDataEvent")]
pub fn describe_sequence_data(data: JsValue) -> Result<JsValue, JsValue> {
    let config: SequenceDataConfig = serde_wasm_bindgen::from_value(data)
        .map_err(|e| js_error(format!("Invalid data settings: {e}")))?;
    let data = config
        .generate()
        .map_err(|e| user_error(&in_section(&DATA)(e)))?;
    let text = (data.kind == SequenceKind::Lm)
        .then(|| crate::data::CORPUS.chars().take(2000).collect::<String>());
    event_js(&Event::sequence_data(&data, text, None))
}
