//! The session's methods for the training recipe (src/train/recipe/): the loss at init,
//! overfitting one batch on a copy, dropout in both modes, and the zero-input baseline trained
//! beside the model. MLP only: on a transformer they throw. None of them changes the model in
//! force; the baseline is a second model of its own.

use super::session::{BuiltFrom, Session, Trains};
use super::{event_js, js_error};
use crate::events::Event;
use crate::train::recipe::{Baseline, OVERFIT_CHUNK, OverfitBatch};
use crate::train::{Learning, read_floats};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

impl Session {
    /// The MLP's settings (a session's settings are of its own kind).
    fn mlp_settings(&self, what: &str) -> Result<crate::Settings, JsValue> {
        let _ = self.mlp(what)?;
        match &self.settings {
            BuiltFrom::Mlp(s) => Ok(s.clone()),
            BuiltFrom::Transformer(_) => unreachable!("an MLP session has MLP settings"),
        }
    }
}

#[wasm_bindgen]
impl Session {
    /// Resolves to the `initLoss` event: the train loss of the model this session started from
    /// (its settings and seed) before any step, and the one expected.
    #[wasm_bindgen(js_name = initialLoss, unchecked_return_type = "Promise<import('../www/protocol.js').InitLossEvent>")]
    pub fn initial_loss(&self) -> Result<js_sys::Promise, JsValue> {
        let settings = self.mlp_settings("initialLoss")?;
        let t = self.mlp("initialLoss")?;
        let (loss, step) = (t.initial_loss(&settings), t.step_count());
        let trains = self.trains.clone();
        Ok(future_to_promise(async move {
            let measured = read_floats(loss).await.map_err(js_error)?[0];
            let check = (trains.borrow().mlp())
                .expect("the session was checked to train an MLP")
                .initial_loss_check(&settings, measured);
            event_js(&Event::InitLoss { step, check })
        }))
    }

    /// Resolves to the `overfit` event: a copy of the model trained on one small fixed batch
    /// until its loss is near zero or the budget is spent, in chunks, each read back. The
    /// model in force, its optimiser and its batch order are untouched.
    #[wasm_bindgen(js_name = overfitBatch, unchecked_return_type = "Promise<import('../www/protocol.js').OverfitEvent>")]
    pub fn overfit_batch(&self) -> Result<js_sys::Promise, JsValue> {
        let settings = self.mlp_settings("overfitBatch")?;
        let (mut run, step) = {
            let t = self.mlp("overfitBatch")?;
            (OverfitBatch::new(&t, &settings.train), t.step_count())
        };
        let trains = self.trains.clone();
        Ok(future_to_promise(async move {
            loop {
                let chunk = {
                    let trains = trains.borrow();
                    let t = trains
                        .mlp()
                        .expect("the session was checked to train an MLP");
                    run.train(t, OVERFIT_CHUNK.min(run.left()))
                };
                let values = read_floats(chunk).await.map_err(js_error)?;
                if run.record(&values) {
                    break;
                }
            }
            event_js(&Event::Overfit {
                step,
                report: run.report(),
            })
        }))
    }

    /// Resolves to the `dropoutModes` event: one batch's loss in train mode (several passes)
    /// and in eval mode.
    #[wasm_bindgen(js_name = dropoutModes, unchecked_return_type = "Promise<import('../www/protocol.js').DropoutModesEvent>")]
    pub fn dropout_modes(&self) -> Result<js_sys::Promise, JsValue> {
        let batch = self.mlp_settings("dropoutModes")?.train.batch_size;
        let t = self.mlp("dropoutModes")?;
        let (losses, step) = (t.dropout_losses(batch), t.step_count());
        let trains = self.trains.clone();
        Ok(future_to_promise(async move {
            let values = read_floats(losses).await.map_err(js_error)?;
            let losses = (trains.borrow().mlp())
                .expect("the session was checked to train an MLP")
                .dropout_check(batch, &values);
            event_js(&Event::DropoutModes { step, losses })
        }))
    }

    /// Trains (`on`) a zero-input baseline beside the model from its next step, from the same
    /// initial weights and on the same batches, or drops it. Its losses: `takeBaselineLosses` after `readLosses`.
    #[wasm_bindgen(js_name = setBaseline)]
    pub fn set_baseline(&self, on: bool) -> Result<(), JsValue> {
        let baseline = if on {
            let settings = self.mlp_settings("setBaseline")?;
            Some(Baseline::new(&*self.mlp("setBaseline")?, &settings))
        } else {
            None
        };
        *self.baseline.borrow_mut() = baseline;
        Ok(())
    }

    /// Whether a baseline trains beside the model.
    #[wasm_bindgen(getter)]
    pub fn baseline(&self) -> bool {
        self.baseline.borrow().is_some()
    }

    /// The baseline's loss at each step of the last `readLosses`, which read them with the
    /// model's (empty without a baseline), aligned with its losses.
    #[wasm_bindgen(js_name = takeBaselineLosses)]
    pub fn take_baseline_losses(&self) -> js_sys::Float32Array {
        js_sys::Float32Array::from(&std::mem::take(&mut *self.baseline_losses.borrow_mut())[..])
    }
}

/// `steps` steps of what `trains` trains, with `baseline` beside an MLP when there is one.
pub(super) fn train(trains: &mut Trains, baseline: Option<&mut Baseline>, steps: usize) {
    match (trains, baseline) {
        (Trains::Points(t) | Trains::Table(t, _), Some(baseline)) => {
            t.train_with_baseline(steps, baseline)
        }
        (trains, _) => trains.learning_mut().train(steps),
    }
}
