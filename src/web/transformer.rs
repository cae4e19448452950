//! The session's methods for a transformer: the attention maps and predictions of a test
//! example, one head's attention step by step, the token embeddings' and positions' similarity, and text
//! sampled from a language model. On an MLP they throw.

use super::session::{Session, Trains};
use super::{event_js, js_error};
use crate::data::Rng;
use crate::events::{Event, tokens};
use crate::inspect::{AttentionSteps, attention_steps, cosine_similarity_matrix};
use crate::train::{Learning, SequenceTrainer, read_floats, sample};
use burn::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// The transformer of `trains`: `Session::transformer` checked it before the future started,
/// and a session never changes kind.
fn transformer_of(trains: &Trains) -> &SequenceTrainer {
    trains
        .transformer()
        .expect("the session was checked to train a transformer")
}

#[wasm_bindgen]
impl Session {
    /// A transformer: how many test examples `attention` and `predict` can show.
    #[wasm_bindgen(getter, js_name = testExamples)]
    pub fn test_examples(&self) -> Result<u32, JsValue> {
        Ok(self.transformer("testExamples")?.data().test.len() as u32)
    }

    /// A transformer: resolves to the `attention` event of test example `index`.
    #[wasm_bindgen(unchecked_return_type = "Promise<import('../www/protocol.js').AttentionEvent>")]
    pub fn attention(&self, index: u32) -> Result<js_sys::Promise, JsValue> {
        let t = self.transformer("attention")?;
        let index = index as usize;
        let weights = t.attention(index).map_err(js_error)?;
        let example = t.test_example(index).map_err(js_error)?;
        let tokens = tokens(&t.data().input_vocab, &example.input);
        let step = t.step_count();
        Ok(future_to_promise(async move {
            let [layers, heads, length, _] = weights.dims();
            let values = read_floats(weights).await.map_err(js_error)?;
            event_js(&Event::Attention {
                step,
                example: index,
                layers,
                heads,
                length,
                tokens,
                values,
            })
        }))
    }

    /// A transformer: resolves to the `attentionSteps` event of head `head` of layer `layer`
    /// on test example `index`. One readback: that head's Q, K and V with the residual norms;
    /// the steps of the formula are derived from them on the host.
    #[wasm_bindgen(
        js_name = attentionSteps,
        unchecked_return_type = "Promise<import('../www/protocol.js').AttentionStepsEvent>"
    )]
    pub fn attention_steps(
        &self,
        index: u32,
        layer: u32,
        head: u32,
    ) -> Result<js_sys::Promise, JsValue> {
        let t = self.transformer("attentionSteps")?;
        let (index, layer, head) = (index as usize, layer as usize, head as usize);
        let qkv = t.attention_qkv(index, layer, head).map_err(js_error)?;
        let norms = t.residual_norms(index).map_err(js_error)?;
        let [_, length, d_head] = qkv.dims();
        let layers = norms.dims()[0] / 3;
        let heads = t.model().blocks[0].attention.heads;
        let causal = t.is_causal();
        let example = t.test_example(index).map_err(js_error)?;
        let tokens = tokens(&t.data().input_vocab, &example.input);
        let step = t.step_count();
        let n = 3 * length * d_head;
        let both = Tensor::cat(
            vec![qkv.reshape([n]), norms.reshape([layers * 3 * length])],
            0,
        );
        Ok(future_to_promise(async move {
            let mut qkv = read_floats(both).await.map_err(js_error)?;
            let residual = qkv.split_off(n);
            let AttentionSteps {
                scores,
                scaled,
                weights,
                output,
            } = attention_steps(&qkv, length, d_head, causal);
            event_js(&Event::AttentionSteps {
                step,
                example: index,
                layer,
                head,
                layers,
                heads,
                length,
                d_head,
                causal,
                tokens,
                qkv,
                scores,
                scaled,
                weights,
                output,
                residual,
            })
        }))
    }

    /// A transformer: resolves to the `embeddingSimilarity` event, the cosine similarity of
    /// every pair of its token embeddings.
    #[wasm_bindgen(
        js_name = embeddingSimilarity,
        unchecked_return_type = "Promise<import('../www/protocol.js').EmbeddingSimilarityEvent>"
    )]
    pub fn embedding_similarity(&self) -> Result<js_sys::Promise, JsValue> {
        let t = self.transformer("embeddingSimilarity")?;
        let table = t.embedding_table();
        let [count, dims] = table.dims();
        let tokens = t.data().input_vocab.clone();
        let step = t.step_count();
        Ok(future_to_promise(async move {
            let rows = read_floats(table).await.map_err(js_error)?;
            event_js(&Event::EmbeddingSimilarity {
                step,
                count,
                tokens,
                values: cosine_similarity_matrix(&rows, count, dims),
            })
        }))
    }

    /// A transformer: resolves to the `positions` event, its position vectors and their
    /// cosine similarity.
    #[wasm_bindgen(unchecked_return_type = "Promise<import('../www/protocol.js').PositionsEvent>")]
    pub fn positions(&self) -> Result<js_sys::Promise, JsValue> {
        let t = self.transformer("positions")?;
        let table = t.position_table();
        let [length, d_model] = table.dims();
        let learned = t.learned_positions();
        let step = t.step_count();
        Ok(future_to_promise(async move {
            let values = read_floats(table).await.map_err(js_error)?;
            let similarity = cosine_similarity_matrix(&values, length, d_model);
            event_js(&Event::Positions {
                step,
                length,
                d_model,
                learned,
                values,
                similarity,
            })
        }))
    }

    /// A transformer: resolves to the `predictions` event of test example `index`.
    #[wasm_bindgen(
        unchecked_return_type = "Promise<import('../www/protocol.js').PredictionsEvent>"
    )]
    pub fn predict(&self, index: u32) -> Result<js_sys::Promise, JsValue> {
        let t = self.transformer("predict")?;
        let index = index as usize;
        let predicted = t.predict(index).map_err(js_error)?;
        let step = t.step_count();
        let trains = self.trains.clone();
        Ok(future_to_promise(async move {
            let ids = read_floats(predicted).await.map_err(js_error)?;
            let trains = trains.borrow();
            let t = transformer_of(&trains);
            let example = t.test_example(index).map_err(js_error)?;
            let data = t.data();
            let output: Vec<u32> = ids.iter().map(|v| *v as u32).collect();
            event_js(&Event::Predictions {
                step,
                example: index,
                input: tokens(&data.input_vocab, &example.input),
                target: tokens(&data.output_vocab, &example.target),
                output: tokens(&data.output_vocab, &output),
            })
        }))
    }

    /// A language model: resolves to the `generated` event, `prompt` continued by `length`
    /// characters sampled at `temperature` with `seed`.
    #[wasm_bindgen(unchecked_return_type = "Promise<import('../www/protocol.js').GeneratedEvent>")]
    pub fn generate(
        &self,
        prompt: String,
        length: u32,
        temperature: f32,
        seed: u32,
    ) -> Result<js_sys::Promise, JsValue> {
        let t = self.transformer("generate")?;
        let mut context = t.encode(&prompt);
        let step = t.step_count();
        let trains = self.trains.clone();
        Ok(future_to_promise(async move {
            let mut rng = Rng::new(u64::from(seed));
            let mut text = String::new();
            for _ in 0..length.min(1000) {
                // The borrow ends before the read: the worker may queue other calls meanwhile.
                let probabilities = transformer_of(&trains.borrow())
                    .next_token(&context, temperature)
                    .map_err(js_error)?;
                let probabilities = read_floats(probabilities).await.map_err(js_error)?;
                let next = sample(&probabilities, &mut rng);
                context.push(next);
                text.push_str(&transformer_of(&trains.borrow()).data().input_vocab[next as usize]);
            }
            event_js(&Event::Generated { step, prompt, text })
        }))
    }
}
