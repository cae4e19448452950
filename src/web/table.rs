//! Files a user brings (docs/wasm-api.md, "Your own data"): read and previewed here, then
//! trained in a `Session`: by the MLP (a table) or by a transformer (a text, a text column).
//! The bytes never leave the worker: nothing here makes a request.

use super::session::{Session, Trains};
use super::{device_for, event_js, js_error, set, settings_from_js, to_js, user_error};
use crate::SequenceSettings;
use crate::data::table::{
    Decimal, FileData, Schema, Table, TableChoices, TaskChoice, encode, infer_schema,
    read_file_with,
};
use crate::data::text::{TokenChoices, text_classification, uploaded_language_model};
use crate::events::Event;
use crate::share::{
    DataOrigin, EMBED_MAX_BYTES, FileId, SharedData, UseKind, fingerprint, read_given,
};
use crate::train::{DataSource, Trainer};
use js_sys::Object;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The bundled datasets: `[{ name, title, target, source, licence }]`.
#[wasm_bindgen(js_name = sampleDatasets, unchecked_return_type = "import('../www/protocol.js').SampleDataset[]")]
pub fn sample_datasets() -> Result<JsValue, JsValue> {
    to_js(&crate::data::samples::SAMPLES)
}

enum Content {
    Table { table: Table, schema: Schema },
    Text(String),
}

/// A file read and checked: a table with its schema, or a text.
#[wasm_bindgen]
pub struct DataFile {
    name: String,
    content: Content,
    /// Its length, SHA-256 and, when small enough for a link, its bytes: what a session trained
    /// on it shares (docs/share-format.md).
    bytes: u64,
    sha256: String,
    raw: Option<Vec<u8>>,
    sample: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TextPreview<'a> {
    file: &'a str,
    chars: usize,
    lines: usize,
    distinct: usize,
    sample: String,
}

fn parse_decimal(decimal: Option<String>) -> Result<Option<Decimal>, JsValue> {
    match decimal.as_deref() {
        None | Some("") | Some("auto") => Ok(None),
        Some("comma") => Ok(Some(Decimal::Comma)),
        Some("point") => Ok(Some(Decimal::Point)),
        Some(other) => Err(js_error(format!(
            "unknown decimal mark '{other}': use 'comma' or 'point'"
        ))),
    }
}

/// The name, SHA-256 and length a shared model's `data` names.
fn needed_fields(needed: &Object) -> (String, String, u64) {
    let field = |key: &str| js_sys::Reflect::get(needed, &JsValue::from_str(key)).ok();
    let text = |key: &str| field(key).and_then(|v| v.as_string()).unwrap_or_default();
    let bytes = field("bytes").and_then(|v| v.as_f64()).unwrap_or(-1.0) as u64;
    (text("name"), text("sha256"), bytes)
}

fn parse_task(task: Option<String>) -> Result<Option<TaskChoice>, JsValue> {
    match task.as_deref() {
        None | Some("") | Some("auto") => Ok(None),
        Some("classification") => Ok(Some(TaskChoice::Classification)),
        Some("regression") => Ok(Some(TaskChoice::Regression)),
        Some(other) => Err(js_error(format!(
            "unknown task '{other}': use 'classification' or 'regression'"
        ))),
    }
}

#[wasm_bindgen]
impl DataFile {
    /// Reads `bytes` (the file `name`); throws the message of the first problem found.
    /// `decimal`: "comma" or "point" for a delimited file's numbers; absent: sniffed.
    #[wasm_bindgen(constructor)]
    pub fn new(name: &str, bytes: &[u8], decimal: Option<String>) -> Result<DataFile, JsValue> {
        let data =
            read_file_with(name, bytes, parse_decimal(decimal)?).map_err(|e| user_error(&e))?;
        DataFile::of(name, bytes, data)
    }

    /// The file a user gave for the one a shared model names (`needed`: the `data` of
    /// `describeLink` or `describeModelFile`): its length and SHA-256 are compared before it is
    /// parsed, so another file is refused without being read.
    pub fn given(
        name: &str,
        bytes: &[u8],
        needed: &Object,
        decimal: Option<String>,
    ) -> Result<DataFile, JsValue> {
        let (needed_name, sha256, length) = needed_fields(needed);
        let needed = FileId {
            name: &needed_name,
            bytes: length,
            sha256: &sha256,
        };
        let data =
            read_given(needed, name, bytes, parse_decimal(decimal)?).map_err(|e| user_error(&e))?;
        DataFile::of(name, bytes, data)
    }

    /// The file a model link carries (throws when it carries none).
    #[wasm_bindgen(js_name = fromLink)]
    pub fn from_link(link: &str) -> Result<DataFile, JsValue> {
        let shared = crate::share::decode_link(link).map_err(|e| user_error(&e))?;
        let Some(SharedData {
            origin,
            embedded: Some(bytes),
        }) = shared.data
        else {
            return Err(js_error("This model link does not carry its data file"));
        };
        DataFile::new(&origin.name, &bytes, None)
    }

    /// SHA-256 of the file's bytes, lowercase hex: what a link checks a given file against.
    #[wasm_bindgen(getter)]
    pub fn fingerprint(&self) -> String {
        self.sha256.clone()
    }

    /// Throws unless this is the file a shared model names: `needed` is the `data` of
    /// `describeLink` or `describeModelFile` (its name, bytes and sha256 are read).
    #[wasm_bindgen(js_name = checkIs)]
    pub fn check_is(&self, needed: &Object) -> Result<(), JsValue> {
        let (name, sha256, bytes) = needed_fields(needed);
        let needed = FileId {
            name: &name,
            bytes,
            sha256: &sha256,
        };
        let given = FileId {
            name: &self.name,
            bytes: self.bytes,
            sha256: &self.sha256,
        };
        needed
            .mismatch(given)
            .map_or(Ok(()), |m| Err(user_error(&m)))
    }

    /// One of the bundled datasets (`sampleDatasets()`), read like a dropped file.
    #[wasm_bindgen(js_name = fromSample)]
    pub fn from_sample(name: &str) -> Result<DataFile, JsValue> {
        let sample = crate::data::samples::sample(name)
            .ok_or_else(|| js_error(format!("there is no bundled dataset named '{name}'")))?;
        let mut file = DataFile::new(sample.name, sample.text.as_bytes(), None)?;
        file.sample = true;
        Ok(file)
    }

    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.name.clone()
    }

    /// "table" or "text".
    #[wasm_bindgen(getter, unchecked_return_type = "'table' | 'text'")]
    pub fn kind(&self) -> String {
        match self.content {
            Content::Table { .. } => "table".into(),
            Content::Text(_) => "text".into(),
        }
    }

    /// A table's schema (columns, statistics, first rows, warnings), or a text's size and start.
    pub fn preview(&self) -> Result<JsValue, JsValue> {
        match &self.content {
            Content::Table { schema, .. } => to_js(schema),
            Content::Text(text) => {
                // A set of the distinct characters, not a copy of them all.
                let distinct: std::collections::HashSet<char> = text.chars().collect();
                to_js(&TextPreview {
                    file: &self.name,
                    chars: text.chars().count(),
                    lines: text.lines().count(),
                    distinct: distinct.len(),
                    sample: text.chars().take(600).collect(),
                })
            }
        }
    }

    /// The task, classes, proposed features and warnings for target column `target`;
    /// `task`: "classification" | "regression" | undefined (inferred). Throws when the column
    /// cannot be that target.
    pub fn target(&self, target: &str, task: Option<String>) -> Result<JsValue, JsValue> {
        let (table, schema) = self.table()?;
        let summary = schema
            .target(table, target, parse_task(task)?)
            .map_err(|e| user_error(&e))?;
        to_js(&summary)
    }

    /// Encodes the table as `choices` say and returns the summary (rows kept, dropped and
    /// imputed, the inputs) without building a model; throws the first problem.
    pub fn encode(&self, choices: JsValue) -> Result<JsValue, JsValue> {
        let (table, schema) = self.table()?;
        let choices: TableChoices = serde_wasm_bindgen::from_value(choices)
            .map_err(|e| js_error(format!("Invalid table choices: {e}")))?;
        let encoded = encode(table, schema, &choices).map_err(|e| user_error(&e))?;
        to_js(&encoded.summary())
    }

    /// What `textSession(settings)` would train on: the `sequenceData` event (task 'lm', with
    /// the start of the text and the file's name), as `describeSequenceData` for a built-in
    /// task. Throws when the text is too short for the settings.
    #[wasm_bindgen(js_name = describeText, unchecked_return_type = "import('../www/protocol.js').SequenceDataEvent")]
    pub fn describe_text(&self, settings: JsValue) -> Result<JsValue, JsValue> {
        let data = self.text_data(&sequence_settings(settings)?)?;
        let Content::Text(text) = &self.content else {
            unreachable!("text_data checked the content")
        };
        let start = text.chars().take(2000).collect();
        event_js(&Event::sequence_data(
            &data,
            Some(start),
            Some(self.name.clone()),
        ))
    }

    /// What `textColumnSession(choices, tokens, …)` would train on, as `describeText`
    /// (task 'classification', text null).
    #[wasm_bindgen(js_name = describeTextColumn, unchecked_return_type = "import('../www/protocol.js').SequenceDataEvent")]
    pub fn describe_text_column(
        &self,
        choices: JsValue,
        tokens: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (choices, tokens) = column_choices(choices, tokens)?;
        let data = self.text_column_data(&choices, &tokens)?;
        event_js(&Event::sequence_data(&data, None, Some(self.name.clone())))
    }

    /// An MLP on the table as `choices` say (TableChoices), with the model and training of
    /// `settings` (Settings; its `data` is not used).
    #[wasm_bindgen(js_name = tableSession)]
    pub fn table_session(
        &self,
        choices: JsValue,
        settings: JsValue,
        backend: &str,
    ) -> Result<Session, JsValue> {
        let (table, schema) = self.table()?;
        let used = choices_json(Some(&choices), None)?;
        let choices: TableChoices = serde_wasm_bindgen::from_value(choices)
            .map_err(|e| js_error(format!("Invalid table choices: {e}")))?;
        let settings = settings_from_js(settings)?;
        let encoded = encode(table, schema, &choices).map_err(|e| user_error(&e))?;
        let summary = encoded.summary();
        let (device, backend) = device_for(backend)?;
        let trainer = Trainer::with_source(&settings, DataSource::Table(encoded), &device)
            .map_err(|e| user_error(&e))?;
        Ok(Session::new(
            Trains::Table(trainer, summary),
            backend,
            &settings,
            Some(self.shared(UseKind::Table, used)),
        ))
    }

    /// A character-level language model of a text file: `settings` is SequenceSettings, its
    /// data's length, sequences, testFraction and seed apply.
    #[wasm_bindgen(js_name = textSession)]
    pub fn text_session(&self, settings: JsValue, backend: &str) -> Result<Session, JsValue> {
        let settings = sequence_settings(settings)?;
        let data = self.text_data(&settings)?;
        let origin = self.shared(UseKind::Text, "{}".into());
        Session::on_sequences(settings, data, origin, backend)
    }

    /// Sequence classification of a table's text column: `choices` (TableChoices) names the
    /// target, `tokens` (TokenChoices) the column and its tokens; `settings` the transformer.
    #[wasm_bindgen(js_name = textColumnSession)]
    pub fn text_column_session(
        &self,
        choices: JsValue,
        tokens: JsValue,
        settings: JsValue,
        backend: &str,
    ) -> Result<Session, JsValue> {
        let used = choices_json(Some(&choices), Some(&tokens))?;
        let (choices, tokens) = column_choices(choices, tokens)?;
        let data = self.text_column_data(&choices, &tokens)?;
        let origin = self.shared(UseKind::TextColumn, used);
        Session::on_sequences(sequence_settings(settings)?, data, origin, backend)
    }
}

impl DataFile {
    /// A file read (`data`), with its schema for a table, and what a link of it shares.
    fn of(name: &str, bytes: &[u8], data: FileData) -> Result<DataFile, JsValue> {
        let content = match data {
            FileData::Table(table) => {
                let schema = infer_schema(&table).map_err(|e| user_error(&e))?;
                Content::Table { table, schema }
            }
            FileData::Text(text) => Content::Text(text),
        };
        Ok(DataFile {
            name: name.to_string(),
            content,
            bytes: bytes.len() as u64,
            sha256: fingerprint(bytes),
            raw: (bytes.len() <= EMBED_MAX_BYTES).then(|| bytes.to_vec()),
            sample: false,
        })
    }

    /// The language-modelling data of a text file for `settings.data` (length, sequences,
    /// testFraction, seed).
    fn text_data(&self, settings: &SequenceSettings) -> Result<crate::data::SequenceData, JsValue> {
        let Content::Text(text) = &self.content else {
            return Err(js_error(format!("{} is a table, not a text", self.name)));
        };
        let d = &settings.data;
        uploaded_language_model(
            &self.name,
            text,
            d.length,
            d.sequences,
            d.test_fraction,
            d.seed,
        )
        .map_err(|e| user_error(&e))
    }

    fn text_column_data(
        &self,
        choices: &TableChoices,
        tokens: &TokenChoices,
    ) -> Result<crate::data::SequenceData, JsValue> {
        let (table, schema) = self.table()?;
        text_classification(table, schema, choices, tokens).map_err(|e| user_error(&e))
    }

    /// What a session trained on this file (as `kind` and the page's `choices` JSON say)
    /// shares: its name, size and fingerprint, and its bytes when it is small enough for a link.
    fn shared(&self, kind: UseKind, choices: String) -> SharedData {
        SharedData {
            origin: DataOrigin {
                name: self.name.clone(),
                bytes: self.bytes,
                sha256: self.sha256.clone(),
                sample: self.sample,
                kind,
                choices,
            },
            // A bundled sample is in every copy of the wasm: its name is enough.
            embedded: self.raw.clone().filter(|_| !self.sample),
        }
    }

    fn table(&self) -> Result<(&Table, &Schema), JsValue> {
        match &self.content {
            Content::Table { table, schema } => Ok((table, schema)),
            Content::Text(_) => Err(js_error(format!("{} is a text, not a table", self.name))),
        }
    }
}

/// `{"choices": …, "tokens": …}` as JSON text, written by the browser: what a link keeps of
/// the choices, as the page gave them (docs/share-format.md).
fn choices_json(choices: Option<&JsValue>, tokens: Option<&JsValue>) -> Result<String, JsValue> {
    let used = Object::new();
    if let Some(choices) = choices {
        set(&used, "choices", choices.clone());
    }
    if let Some(tokens) = tokens {
        set(&used, "tokens", tokens.clone());
    }
    js_sys::JSON::stringify(&used)
        .map(String::from)
        .map_err(|_| js_error("the choices cannot be written as JSON"))
}

fn column_choices(
    choices: JsValue,
    tokens: JsValue,
) -> Result<(TableChoices, TokenChoices), JsValue> {
    let choices: TableChoices = serde_wasm_bindgen::from_value(choices)
        .map_err(|e| js_error(format!("Invalid table choices: {e}")))?;
    let tokens: TokenChoices = serde_wasm_bindgen::from_value(tokens)
        .map_err(|e| js_error(format!("Invalid token choices: {e}")))?;
    Ok((choices, tokens))
}

fn sequence_settings(settings: JsValue) -> Result<SequenceSettings, JsValue> {
    serde_wasm_bindgen::from_value(settings).map_err(|e| js_error(format!("Invalid settings: {e}")))
}
