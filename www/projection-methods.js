// @ts-check
//! UMAP (umap-js, PAIR's implementation, as the Embedding Projector uses) and t-SNE
//! (@keckelt/tsne, a typed, dependency-free port of Karpathy's tsnejs), both vendored into
//! www/vendor/ by set-up. Run by the projection worker (never on the page's thread, never in the
//! training worker) and by the benchmark worker. Each yields between iterations and reports
//! its embedding as it goes.

import { UMAP } from './vendor/umap-js.mjs';
import { TSNE } from './vendor/tsne.mjs';

/** Exact t-SNE keeps three n×n matrices: above this many points it runs on an even subsample. */
export const TSNE_MAX_POINTS = 2000;

/** The parameters the view offers, with their defaults. */
export const DEFAULTS = {
  umap: { neighbors: 15, minDist: 0.1, epochs: 200 },
  tsne: { perplexity: 30, iterations: 300, learningRate: 10 },
};

/**
 * @typedef {{ coords: Float32Array, indices: Uint32Array | null, iteration: number,
 *             iterations: number }} Embedding
 *   coords: [points, 2] row-major, for the points `indices` (null: all, in order).
 * @typedef {(e: Embedding) => boolean | void} Progress  returning false stops early.
 */

/** A deterministic generator (mulberry32), so a frame does not depend on Math.random. */
export function seeded(seed = 1) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** @param {Float32Array} vectors @param {number} dims @param {Uint32Array | null} indices */
function rows(vectors, dims, indices) {
  const n = indices ? indices.length : vectors.length / dims;
  /** @type {number[][]} */
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const from = (indices ? indices[i] : i) * dims;
    out[i] = Array.from(vectors.subarray(from, from + dims));
  }
  return out;
}

/** @param {number[][]} points @returns {Float32Array} */
function flat(points) {
  const out = new Float32Array(points.length * 2);
  points.forEach((p, i) => { out[2 * i] = p[0]; out[2 * i + 1] = p[1]; });
  return out;
}

const yieldNow = () => new Promise((r) => setTimeout(r, 0));

/**
 * @param {Float32Array} vectors [count, dims] @param {number} dims
 * @param {{ neighbors?: number, minDist?: number, epochs?: number, seed?: number }} params
 * @param {Progress} [progress] called about every `everyMs`, and with the final embedding
 * @returns {Promise<Embedding | null>} null when stopped
 */
export async function runUmap(vectors, dims, params, progress, everyMs = 300) {
  const p = { ...DEFAULTS.umap, ...params };
  const count = vectors.length / dims;
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.max(2, Math.min(Math.round(p.neighbors), count - 1)),
    minDist: p.minDist,
    nEpochs: Math.max(1, Math.round(p.epochs)),
    random: seeded(p.seed ?? 1),
  });
  const iterations = umap.initializeFit(rows(vectors, dims, null));
  let shown = performance.now();
  for (let epoch = 0; epoch < iterations; epoch++) {
    umap.step();
    if (performance.now() - shown > everyMs) {
      const going = progress?.({ coords: flat(umap.getEmbedding()), indices: null, iteration: epoch + 1, iterations });
      if (going === false) return null;
      await yieldNow();
      shown = performance.now();
    }
  }
  const done = { coords: flat(umap.getEmbedding()), indices: null, iteration: iterations, iterations };
  progress?.(done);
  return done;
}

/**
 * @param {Float32Array} vectors [count, dims] @param {number} dims
 * @param {{ perplexity?: number, iterations?: number, learningRate?: number, seed?: number }} params
 * @param {Progress} [progress]
 * @returns {Promise<Embedding | null>}
 */
export async function runTsne(vectors, dims, params, progress, everyMs = 300) {
  const p = { ...DEFAULTS.tsne, ...params };
  const count = vectors.length / dims;
  const indices = count > TSNE_MAX_POINTS
    ? Uint32Array.from({ length: TSNE_MAX_POINTS }, (_, i) => Math.floor((i * count) / TSNE_MAX_POINTS))
    : null;
  const n = indices ? indices.length : count;
  const tsne = new TSNE({
    dim: 2,
    perplexity: Math.max(2, Math.min(p.perplexity, (n - 1) / 3)),
    epsilon: p.learningRate,
  });
  // The library draws its start from Math.random: a seeded one for the call, then put back.
  const random = Math.random;
  Math.random = seeded(p.seed ?? 1);
  try {
    tsne.initDataRaw(rows(vectors, dims, indices));
  } finally {
    Math.random = random;
  }
  const iterations = Math.max(1, Math.round(p.iterations));
  let shown = performance.now();
  for (let i = 0; i < iterations; i++) {
    tsne.step();
    if (performance.now() - shown > everyMs) {
      const going = progress?.({ coords: flat(tsne.getSolution()), indices, iteration: i + 1, iterations });
      if (going === false) return null;
      await yieldNow();
      shown = performance.now();
    }
  }
  const done = { coords: flat(tsne.getSolution()), indices, iteration: iterations, iterations };
  progress?.(done);
  return done;
}
