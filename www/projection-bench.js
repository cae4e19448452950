// @ts-check
//! The projection figures of the benchmark (run by www/bench-worker.js): PCA of 10,000 × 128
//! vectors in the wasm core on each backend (as the training worker does it: covariance on the
//! device, one d×d read, Jacobi on the host, the projection read back), and one UMAP and one
//! t-SNE frame of 2,000 points with the view's default parameters (as the projection worker
//! runs them). Time per frame, in ms.

import { runTsne, runUmap, seeded } from './projection-methods.js';

const PCA_SHAPE = [10_000, 128];
const FRAME_POINTS = 2_000;
const PCA_RUNS = 3;

/** Ten Gaussian clusters in `dims` dimensions, deterministic. @param {number} n @param {number} dims */
function clusters(n, dims) {
  const random = seeded(7);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: 10 }, () => Array.from({ length: dims }, () => 4 * normal()));
  const out = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    const c = centres[i % 10];
    for (let j = 0; j < dims; j++) out[i * dims + j] = c[j] + normal();
  }
  return out;
}

const round = (/** @type {number} */ x) => Math.round(x * 10) / 10;

/**
 * @param {typeof import('../pkg/kindling.js')} wasm the pkg/kindling.js module (initialised)
 * @param {(line: string) => void} log
 * @param {boolean} webgpu whether WebGPU is initialised
 */
export async function benchProjection(wasm, log, webgpu) {
  const [n, dims] = PCA_SHAPE;
  const vectors = clusters(n, dims);
  /** @type {{ backend: string, points: number, dims: number, firstMs: number, msPerFrame: number }[]} */
  const pca = [];
  for (const backend of webgpu ? ['cpu', 'webgpu'] : ['cpu']) {
    // The first run compiles kernels (WebGPU): timed apart from the steady ones.
    let t = performance.now();
    await wasm.pcaOf(vectors, dims, backend);
    const firstMs = round(performance.now() - t);
    const times = [];
    for (let r = 0; r < PCA_RUNS; r++) {
      t = performance.now();
      await wasm.pcaOf(vectors, dims, backend);
      times.push(performance.now() - t);
    }
    const ms = round(times.reduce((a, b) => a + b, 0) / times.length);
    pca.push({ backend, points: n, dims, firstMs, msPerFrame: ms });
    log(`PCA ${n} × ${dims} on ${backend}: ${ms} ms a frame (first ${firstMs} ms)`);
  }

  const sample = vectors.subarray(0, FRAME_POINTS * dims);
  let t = performance.now();
  const umap = await runUmap(sample, dims, {});
  const umapMs = round(performance.now() - t);
  log(`UMAP ${FRAME_POINTS} × ${dims}: ${umapMs} ms a frame (${umap?.iterations} epochs)`);
  t = performance.now();
  const tsne = await runTsne(sample, dims, {});
  const tsneMs = round(performance.now() - t);
  log(`t-SNE ${FRAME_POINTS} × ${dims}: ${tsneMs} ms a frame (${tsne?.iterations} iterations)`);
  return {
    pca,
    umap: { points: FRAME_POINTS, dims, epochs: umap?.iterations, msPerFrame: umapMs },
    tsne: { points: FRAME_POINTS, dims, iterations: tsne?.iterations, msPerFrame: tsneMs },
  };
}
