//! Projections for the projection view (docs/projection.md), for either model: which vectors a
//! source names, their labels, PCA on the session's device (sign-fixed against the last frame),
//! the raw vectors for UMAP and t-SNE in the projection worker, cosine neighbours on the device,
//! and `alignFrame` (Procrustes) for that worker.

use super::session::Session;
use super::{event_js, js_error, set};
use crate::events::Event;
use crate::inspect::projection::{
    PointLabels, Source, align_signs, cosine_neighbours, pca, position_labels, procrustes,
    test_point_labels, token_labels,
};
use crate::train::{EVAL_ROWS, SequenceTrainer, Trainer, read_floats};
use burn::prelude::*;
use js_sys::{Float32Array, Object};
use std::collections::VecDeque;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// Frames whose vectors stay on the device for neighbour queries (a t-SNE frame on screen may
/// be a few frames older than the newest).
const KEPT: usize = 6;

/// What a trainer can project.
pub(crate) trait Projectable {
    /// [points, dims] on the session's device, eval mode.
    fn vectors(&self, source: Source) -> Result<Tensor<2>, String>;
    fn labels(&self, source: Source) -> Result<PointLabels, String>;
}

impl Projectable for Trainer {
    fn vectors(&self, source: Source) -> Result<Tensor<2>, String> {
        match source {
            Source::Hidden => Ok(self.hidden_representation()),
            _ => Err("an MLP projects its last hidden layer: use source 'hidden'".into()),
        }
    }

    fn labels(&self, source: Source) -> Result<PointLabels, String> {
        match source {
            Source::Hidden => Ok(test_point_labels(
                &self.dataset().test,
                self.dataset().task,
                self.class_names(),
                EVAL_ROWS,
            )),
            _ => Err("an MLP projects its last hidden layer: use source 'hidden'".into()),
        }
    }
}

impl Projectable for SequenceTrainer {
    fn vectors(&self, source: Source) -> Result<Tensor<2>, String> {
        match source {
            Source::Embedding => Ok(self.embedding_table()),
            Source::Block(block) => self.block_output(block),
            Source::Hidden => Err("a transformer projects 'embedding' or a 'block' output".into()),
        }
    }

    fn labels(&self, source: Source) -> Result<PointLabels, String> {
        match source {
            Source::Embedding => Ok(token_labels(&self.data().input_vocab)),
            Source::Block(block) => {
                let blocks = self.model().blocks.len();
                if block >= blocks {
                    return Err(format!("there is no block {block}: the model has {blocks}"));
                }
                Ok(position_labels(self.data(), self.projected_sequences()))
            }
            Source::Hidden => Err("a transformer projects 'embedding' or a 'block' output".into()),
        }
    }
}

/// A session's recent frames: their vectors (for neighbours) and the last PCA coordinates
/// (for sign fixing).
#[derive(Default)]
pub(crate) struct Projector {
    recent: VecDeque<(u32, String, Tensor<2>)>,
    last_pca: Option<(String, Vec<f32>)>,
}

impl Projector {
    fn remember(&mut self, step: u32, key: String, vectors: Tensor<2>) {
        self.recent.retain(|(s, k, _)| !(*s == step && *k == key));
        self.recent.push_back((step, key, vectors));
        while self.recent.len() > KEPT {
            self.recent.pop_front();
        }
    }

    /// The vectors of the frame at `step` for `key`, else the newest for `key`.
    fn vectors(&self, step: u32, key: &str) -> Option<(u32, Tensor<2>)> {
        let mine = self.recent.iter().filter(|(_, k, _)| k == key);
        mine.clone()
            .find(|(s, _, _)| *s == step)
            .or_else(|| mine.clone().next_back())
            .map(|(s, _, t)| (*s, t.clone()))
    }

    fn align_pca(&mut self, key: &str, coords: &mut [f32]) {
        if let Some((last_key, last)) = &self.last_pca
            && last_key == key
        {
            align_signs(last, coords, 2);
        }
        self.last_pca = Some((key.to_string(), coords.to_vec()));
    }
}

fn parse(source: &str, block: u32) -> Result<(Source, String), JsValue> {
    let parsed = Source::parse(source, block as usize).map_err(js_error)?;
    let key = match parsed {
        Source::Block(b) => format!("block{b}"),
        _ => source.to_string(),
    };
    Ok((parsed, key))
}

#[wasm_bindgen]
impl Session {
    /// The `projectionLabels` event of `source` (block `block`), named `key` by the page.
    #[wasm_bindgen(js_name = projectionLabels, unchecked_return_type = "import('../www/protocol.js').ProjectionLabelsEvent")]
    pub fn projection_labels(
        &self,
        key: String,
        source: &str,
        block: u32,
    ) -> Result<JsValue, JsValue> {
        let (parsed, _) = parse(source, block)?;
        let labels = self
            .trains
            .borrow()
            .projectable()
            .labels(parsed)
            .map_err(js_error)?;
        event_js(&Event::ProjectionLabels {
            key,
            source: source.to_string(),
            block: block as usize,
            count: labels.labels.len(),
            labels,
        })
    }

    /// Resolves to a frame of `source` named `key` by the page: `method` "pca" -> the
    /// `projection` event (PCA on the session's device); "umap" | "tsne" -> the
    /// `projectionVectors` event, the vectors for the page's projection worker.
    #[wasm_bindgen(
        unchecked_return_type = "Promise<import('../www/protocol.js').ProjectionEvent | import('../www/protocol.js').ProjectionVectorsEvent>"
    )]
    pub fn project(
        &self,
        key: String,
        source: &str,
        block: u32,
        method: &str,
    ) -> Result<js_sys::Promise, JsValue> {
        let (source, frames) = parse(source, block)?;
        let method = match method {
            "pca" => None,
            "umap" | "tsne" => Some(method.to_string()),
            other => {
                return Err(js_error(format!(
                    "unknown projection method '{other}': use 'pca', 'umap' or 'tsne'"
                )));
            }
        };
        let vectors = self
            .trains
            .borrow()
            .projectable()
            .vectors(source)
            .map_err(js_error)?;
        let step = self.learning().step_count();
        let [count, dims] = vectors.dims();
        self.projector
            .borrow_mut()
            .remember(step as u32, frames.clone(), vectors.clone());
        let projector = self.projector.clone();
        Ok(future_to_promise(async move {
            let event = match method {
                None => {
                    let mut result = pca(vectors, 2).await.map_err(js_error)?;
                    projector
                        .borrow_mut()
                        .align_pca(&frames, &mut result.coords);
                    Event::Projection {
                        key,
                        method: "pca",
                        step,
                        count,
                        dims,
                        coords: result.coords,
                        explained: result.explained,
                    }
                }
                Some(method) => Event::ProjectionVectors {
                    key,
                    method,
                    step,
                    count,
                    dims,
                    vectors: read_floats(vectors).await.map_err(js_error)?,
                },
            };
            event_js(&event)
        }))
    }

    /// Resolves to the `neighbours` event: the `k` points most similar to `index` by cosine in
    /// the vectors of the frame at `step` (or the newest kept) of `source`, named `key`.
    #[wasm_bindgen(unchecked_return_type = "Promise<import('../www/protocol.js').NeighboursEvent>")]
    pub fn neighbours(
        &self,
        key: String,
        source: &str,
        block: u32,
        step: u32,
        index: u32,
        k: u32,
    ) -> Result<js_sys::Promise, JsValue> {
        let (_, frames) = parse(source, block)?;
        let (step, vectors) = self
            .projector
            .borrow()
            .vectors(step, &frames)
            .ok_or_else(|| js_error("there is no projection of these vectors yet"))?;
        Ok(future_to_promise(async move {
            let found = cosine_neighbours(vectors, index as usize, k.min(100) as usize)
                .await
                .map_err(js_error)?;
            event_js(&Event::Neighbours {
                key,
                step: step as usize,
                index: index as usize,
                indices: found.iter().map(|n| n.index).collect(),
                similarities: found.iter().map(|n| n.similarity).collect(),
            })
        }))
    }
}

/// `next` [points, 2] rotated or reflected, scaled and moved onto `previous` (least squares),
/// for the projection worker's UMAP and t-SNE frames. Frames of other sizes come back as they are.
#[wasm_bindgen(js_name = alignFrame)]
pub fn align_frame(previous: &[f32], next: &[f32]) -> Float32Array {
    Float32Array::from(&procrustes(previous, next)[..])
}

/// PCA of any `vectors` [count, dims] on `backend` ("cpu" | "webgpu"), as `project` does it
/// (the benchmark times it): resolves to `{ coords: Float32Array(2 count), explained }`.
#[wasm_bindgen(js_name = pcaOf)]
pub fn pca_of(vectors: Vec<f32>, dims: u32, backend: &str) -> Result<js_sys::Promise, JsValue> {
    let dims = dims as usize;
    if dims == 0 || !vectors.len().is_multiple_of(dims) {
        return Err(js_error(format!(
            "{} values are not rows of {dims}",
            vectors.len()
        )));
    }
    let (device, _) = super::device_for(backend)?;
    let count = vectors.len() / dims;
    let x = Tensor::<2>::from_data(TensorData::new(vectors, [count, dims]), &device);
    Ok(future_to_promise(async move {
        let result = pca(x, 2).await.map_err(js_error)?;
        let view = Object::new();
        set(&view, "coords", Float32Array::from(&result.coords[..]));
        set(
            &view,
            "explained",
            Float32Array::from(&result.explained[..]),
        );
        Ok(view.into())
    }))
}
