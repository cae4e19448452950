// @ts-check
//! The projection worker: runs UMAP and t-SNE (www/projection-methods.js) on the vectors the
//! training worker read back, one frame at a time, at its own pace, so a slow t-SNE never
//! stalls training or the page. Each frame is aligned to the last one (Procrustes, the wasm
//! core's `alignFrame`) so that points move instead of flipping.
//!
//! In: {type:'run', key, method: 'umap'|'tsne', step, count, dims, vectors: Float32Array, params}
//!     (the page sends the next only after `done`); {type:'cancel'} (other vectors or settings).
//! Out: {type:'frame', key, method, step, coords: Float32Array(2m), indices: Uint32Array | null,
//!       iteration, iterations, partial, ms} while it runs and at the end (partial false);
//!      {type:'done', key, method, step} after each run; {type:'error', message}.

import * as wasm from '../pkg/kindling.js';
import { runTsne, runUmap } from './projection-methods.js';

/** Procrustes in the wasm core; loaded on the first run. */
const ready = wasm.default().then(() => true, () => false);

/** Bumped by `cancel`: a run that sees another generation stops. */
let generation = 0;
/** @type {{ key: string, method: string, coords: Float32Array } | null} the last finished frame */
let previous = null;

self.onmessage = ({ data }) => {
  if (data.type === 'cancel') {
    generation += 1;
    previous = null;
  } else if (data.type === 'run') {
    run(data).catch((err) => {
      self.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      self.postMessage({ type: 'done', key: data.key, method: data.method, step: data.step });
    });
  }
};

/**
 * @param {{ key: string, method: 'umap' | 'tsne', step: number, dims: number, vectors: Float32Array,
 *           params?: Record<string, number> }} job
 */
async function run(job) {
  const mine = generation;
  const canAlign = await ready && typeof wasm.alignFrame === 'function';
  const started = performance.now();
  const sameKind = previous && previous.key === job.key && previous.method === job.method ? previous : null;
  /** @param {import('./projection-methods.js').Embedding} e */
  const report = (e) => {
    if (generation !== mine) return false;
    let coords = e.coords;
    if (sameKind && canAlign && sameKind.coords.length === coords.length) {
      coords = wasm.alignFrame(sameKind.coords, coords);
    }
    const partial = e.iteration < e.iterations;
    // a copy: `coords` itself is transferred
    if (!partial) previous = { key: job.key, method: job.method, coords: coords.slice() };
    const indices = e.indices ? e.indices.slice() : null;
    self.postMessage({
      type: 'frame', key: job.key, method: job.method, step: job.step, coords, indices,
      iteration: e.iteration, iterations: e.iterations, partial, ms: performance.now() - started,
    }, [coords.buffer, ...(indices ? [indices.buffer] : [])]);
    return true;
  };
  const method = job.method === 'tsne' ? runTsne : runUmap;
  await method(job.vectors, job.dims, job.params ?? {}, report);
  self.postMessage({ type: 'done', key: job.key, method: job.method, step: job.step });
}
