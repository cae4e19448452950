//! Training a shared model on beyond the page (the `kindling` command): a model file or a link
//! rebuilt into a trainer as the page rebuilds it (src/web/share.rs), trained on, and written
//! back as a model file and a link the page opens where it stopped. No I/O here: the caller
//! reads the files and writes the results.
//!
//! Neither a file nor a link carries Adam's moments: a resumed run starts them at zero, as the
//! page does when it opens a shared model (`Learning::load`). Adam's first steps are then
//! bias-corrected, so their size is about the learning rate, as at the start of any run.

use crate::error::UserError;
use crate::events::Event;
use crate::share::{
    DataOrigin, FileId, LINK_PREFIX, ParamValues, Precision, Shared, SharedData,
    completed_settings, decode_link, fingerprint, kind_name, param_values_from, params_by_name,
    read_safetensors, write_safetensors,
};
use crate::train::{Learning, SequenceTrainer, Trainer, read_floats};
use burn::prelude::*;
use std::collections::HashMap;

/// What a model file or link holds, before a trainer exists.
#[derive(Debug)]
pub struct Resumable {
    /// "points" or "sequences".
    pub kind: &'static str,
    /// The settings JSON, completed with defaults and checked.
    pub settings: String,
    pub step: u32,
    /// The evaluations so far (a link's; a file carries none).
    pub history: Vec<[f32; 4]>,
    /// The user's file the model trained on; `None`: a built-in dataset.
    pub data: Option<DataOrigin>,
    /// That file's bytes, where a link carried them.
    embedded: Option<Vec<u8>>,
    weights: Weights,
}

#[derive(Debug)]
enum Weights {
    /// A file's tensors, by name.
    Named(HashMap<String, (Vec<usize>, Vec<f32>)>),
    /// A link's, in the architecture's order.
    Ordered(ParamValues),
}

/// `bytes` of a model file, or of a text holding a share link (the link alone, or a page
/// address with `model=k1.…` in it).
pub fn read_resumable(bytes: &[u8]) -> Result<Resumable, String> {
    if let Some(link) = std::str::from_utf8(bytes).ok().and_then(find_link) {
        return from_link(link);
    }
    let file = read_safetensors(bytes)?;
    let kind = match file.kind.as_str() {
        "sequences" => "sequences",
        "points" => "points",
        other => return Err(format!("the file holds a model of unknown kind '{other}'")),
    };
    let settings = completed_settings(kind, &file.settings)
        .map_err(|e| format!("This model file's settings are not accepted: {e}"))?;
    Ok(Resumable {
        kind,
        settings,
        step: file.step,
        history: Vec::new(),
        data: file.data,
        embedded: None,
        weights: Weights::Named(file.tensors),
    })
}

/// The link in `text`: from its `k1.` to the first character a link cannot hold.
pub fn find_link(text: &str) -> Option<&str> {
    let start = text.find(LINK_PREFIX)?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

fn from_link(link: &str) -> Result<Resumable, String> {
    let shared = decode_link(link).map_err(|e| e.to_string())?;
    let kind = kind_name(shared.kind);
    let settings = completed_settings(kind, &shared.settings)
        .map_err(|e| format!("This model link's settings are not accepted: {e}"))?;
    Ok(Resumable {
        kind,
        settings,
        step: shared.step,
        history: shared.history,
        embedded: shared.data.as_ref().and_then(|d| d.embedded.clone()),
        data: shared.data.map(|d| d.origin),
        weights: Weights::Ordered(shared.params),
    })
}

/// The user's file a model needs, checked: `given` (its name and bytes) must be the file the
/// model trained on (its length and fingerprint), else the page's message.
pub fn check_data(needed: &DataOrigin, name: &str, given: &[u8]) -> Result<(), UserError> {
    let sha256 = fingerprint(given);
    let needed_id = FileId {
        name: &needed.name,
        bytes: needed.bytes,
        sha256: &needed.sha256,
    };
    let given_id = FileId {
        name,
        bytes: given.len() as u64,
        sha256: &sha256,
    };
    needed_id.mismatch(given_id).map_or(Ok(()), Err)
}

impl Resumable {
    /// The trainer on `device`, with the shared weights and step. A model trained on a user's
    /// file is rebuilt on it as the page builds it (`rebuild`): `given`, the file's bytes (checked
    /// with `check_data`), else the link's copy, else the bundled sample it names.
    pub fn trainer(
        &self,
        device: &Device,
        given: Option<&[u8]>,
    ) -> Result<Box<dyn Learning>, String> {
        let mut learning: Box<dyn Learning> = match (&self.data, self.kind) {
            (Some(origin), kind) => {
                let sample = origin
                    .sample
                    .then(|| crate::data::samples::sample(&origin.name))
                    .flatten();
                let bytes = given
                    .or(self.embedded.as_deref())
                    .or(sample.map(|s| s.text.as_bytes()))
                    .ok_or_else(|| {
                        format!(
                            "This model was trained on {} ({} bytes): give it with --data",
                            origin.name, origin.bytes
                        )
                    })?;
                super::rebuild::on_file(kind, &self.settings, origin, bytes, device)?
            }
            (None, "sequences") => Box::new(
                SequenceTrainer::new(&serde_json::from_str(&self.settings).map_err(str)?, device)
                    .map_err(str)?,
            ),
            (None, _) => Box::new(
                Trainer::new(&serde_json::from_str(&self.settings).map_err(str)?, device)
                    .map_err(str)?,
            ),
        };
        let params = match &self.weights {
            Weights::Named(tensors) => {
                let (names, shapes, _) = learning.params();
                params_by_name(&names, &shapes, tensors.clone())?
            }
            Weights::Ordered(params) => params.clone(),
        };
        learning
            .load(&params, self.step as usize)
            .map_err(|e| format!("The model does not fit its settings: {e}"))?;
        Ok(learning)
    }
}

fn str(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Train and test loss of one evaluation, as the page charts them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Losses {
    pub step: usize,
    pub train: f32,
    pub test: f32,
    /// Test accuracy, NaN where the task has none.
    pub accuracy: f32,
}

/// The model's evaluation (one readback).
pub fn evaluate(learning: &dyn Learning) -> Result<Losses, String> {
    let values = block_on(read_floats(learning.evaluate()))?;
    Ok(match learning.evaluation_event(&values) {
        Event::Eval(e) => Losses {
            step: e.step,
            train: e.train_loss,
            test: e.test_loss,
            accuracy: e.test_accuracy.unwrap_or(f32::NAN),
        },
        Event::SequenceEval(e) => Losses {
            step: e.step,
            train: e.train_loss,
            test: e.test_loss,
            accuracy: e.test_accuracy,
        },
        _ => unreachable!("evaluation_event gives an evaluation"),
    })
}

/// The losses of the steps since the last call (one readback).
pub fn take_losses(learning: &mut dyn Learning) -> Result<Vec<f32>, String> {
    learning
        .take_losses()
        .map_or(Ok(Vec::new()), |l| block_on(read_floats(l)))
}

/// The trained model as the page writes its files and links: (model file bytes, link text).
pub fn written(
    learning: &dyn Learning,
    resumable: &Resumable,
    history: Vec<[f32; 4]>,
) -> Result<(Vec<u8>, String), String> {
    let (names, shapes, values) = learning.params();
    let all = block_on(read_floats(values))?;
    let params = param_values_from(names, shapes, &all);
    let step = learning.step_count() as u32;
    let file = write_safetensors(
        &params,
        learning.kind_name(),
        &resumable.settings,
        step,
        resumable.data.as_ref(),
        &learning.summary(),
    )?;
    let link = crate::share::encode_link_fitted(Shared {
        kind: learning.kind(),
        settings: resumable.settings.clone(),
        step,
        history,
        precision: Precision::F32,
        params,
        data: resumable.data.clone().map(|origin| SharedData {
            origin,
            embedded: resumable.embedded.clone(),
        }),
    });
    Ok((file, link))
}

/// Natively every read is ready at once (flex), or is waited on by wgpu's own polling: a loop
/// that polls with a waker doing nothing is enough.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut context) {
            return out;
        }
        std::thread::yield_now();
    }
}
