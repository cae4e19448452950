//! What the page shows of sequence data made from a user's file (a text for a language model, a
//! table's text column for classification): the `describeSequenceData` shape of
//! docs/wasm-api-sequences.md.

use super::to_js;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TextExample {
    input: Vec<String>,
    target: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TextData<'a> {
    task: &'static str,
    input_vocab: &'a [String],
    output_vocab: &'a [String],
    length: usize,
    train: usize,
    test: usize,
    examples: Vec<TextExample>,
    text: Option<String>,
}

/// The `describeSequenceData` shape of data made from a file.
pub(super) fn describe_file_data(
    data: &crate::data::SequenceData,
    task: &'static str,
    text: String,
) -> Result<JsValue, JsError> {
    let words = |vocab: &[String], ids: &[u32]| -> Vec<String> {
        ids.iter().map(|t| vocab[*t as usize].clone()).collect()
    };
    let examples: Vec<TextExample> = data
        .test
        .iter()
        .take(8)
        .map(|e| TextExample {
            input: words(&data.input_vocab, &e.input),
            target: words(&data.output_vocab, &e.target),
        })
        .collect();
    to_js(&TextData {
        task,
        input_vocab: &data.input_vocab,
        output_vocab: &data.output_vocab,
        length: data.length,
        train: data.train.len(),
        test: data.test.len(),
        examples,
        text: (!text.is_empty()).then_some(text),
    })
}
