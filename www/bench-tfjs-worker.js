// @ts-check
//! TensorFlow.js on Kindling's benchmark workload, for comparison (bench-tfjs.html): the spiral
//! MLP 2 → 64 → 64 → 2, ReLU, Kaiming init, softmax cross-entropy, batch 256, Adam lr 0.01, timed
//! as www/bench-worker.js times Kindling: time to the first step (with its loss read back), then
//! steady steps/s reading the loss every step and every 10th step, each for a time budget.
//!
//! The data, the initial weights and the batch order are those of Kindling's defaults (seed 1):
//! src/data/rng.rs, points.rs and batch.rs and src/model/init.rs written again here, so both
//! libraries start from the same numbers and their first losses agree. Each step builds its batch
//! on the host and uploads it, as Kindling does.
//!
//! TensorFlow.js's ES module builds import bare package names, so `bench` loads its UMD builds
//! (copied to www/vendor/ by `cargo xtask setup`) with import(), which runs them for their effect:
//! each puts itself on `globalThis.tf`. Answers the page through www/bench-harness.js.

import { adapterInfo, log, now, round, serve, steady } from './bench-harness.js';

/**
 * The full @tensorflow/tfjs bundle (tfjs-core's own registers no gradients), then the backends,
 * which register themselves with it: in this order.
 */
const TFJS_BUILDS = ['tf.es2017.min.js', 'tf-backend-wasm.es2017.min.js', 'tf-backend-webgpu.es2017.min.js'];
/** The TensorFlow.js namespace the UMD builds put on the global scope, once `bench` has loaded them. */
let tf = /** @type {any} */ (null);

/** Kindling's defaults for the bench (src/data/points.rs, src/train/optimizer.rs, www/bench-worker.js). */
const WORKLOAD = {
  dataset: { kind: 'spiral', points: 600, noise: 0.1, testFraction: 0.5, seed: 1 },
  hidden: [64, 64],
  activation: 'relu',
  init: 'kaiming',
  loss: 'softmax cross-entropy',
  batchSize: 256,
  // Burn's AdamConfig defaults (TensorFlow.js's own epsilon is 1e-7).
  optimizer: { kind: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-5 },
  seed: 1,
};

serve(bench);

/** @param {{ cpu: number, webgpu: number }} budgets ms per measurement */
async function bench(budgets) {
  for (const build of TFJS_BUILDS) await import(`./vendor/${build}`);
  tf = /** @type {any} */ (globalThis).tf;
  log(`TensorFlow.js ${tf.version_core}`);
  tf.wasm.setWasmPaths(new URL('vendor/', self.location.href).href);
  /** @type {Record<string, any>[]} */
  const backends = [];
  for (const backend of ['cpu', 'wasm', 'webgpu']) {
    const budget = backend === 'webgpu' ? budgets.webgpu : budgets.cpu;
    try {
      backends.push(await measure(backend, budget));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log(`${backend}: skipped (${reason})`);
      backends.push({ backend, skipped: reason });
    }
  }
  return {
    date: new Date().toISOString(),
    tfjsVersion: tf.version_core,
    workload: WORKLOAD,
    backends,
    webgpuAdapter: await adapterInfo(),
  };
}

/**
 * Switches to `backend`, then times the first step and the steady state as Kindling's bench does.
 * @param {string} backend 'cpu' | 'wasm' | 'webgpu'
 * @param {number} budgetMs per steady-state measurement
 */
async function measure(backend, budgetMs) {
  let t = now();
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  await tf.ready();
  const initMs = round(now() - t);
  /** @type {Record<string, any>} */
  const flags = {};
  if (backend === 'wasm') {
    flags.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    flags.threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  }
  log(`${backend}: backend ready in ${initMs} ms${backend === 'wasm' ? ` (simd ${flags.simd}, threads ${flags.threads})` : ''}`);

  log(`${backend}: first step…`);
  t = now();
  const session = new Session();
  const [firstLoss] = await train(session, 1);
  const firstStepMs = round(now() - t);
  log(`${backend}: first step ${firstStepMs} ms, loss ${firstLoss}`);
  try {
    const tensorsAfterFirstStep = tf.memory().numTensors;
    const trainAndRead = (/** @type {number} */ batch) => train(session, batch);
    const readEvery1 = await steady(trainAndRead, 1, budgetMs);
    log(`${backend}: ${readEvery1.stepsPerSec} steps/s reading the loss every step`);
    const readEvery10 = await steady(trainAndRead, 10, budgetMs);
    log(`${backend}: ${readEvery10.stepsPerSec} steps/s reading the loss every 10th step`);
    // Flat when every step's tensors are disposed: the same count after thousands of steps.
    const tensors = { afterFirstStep: tensorsAfterFirstStep, atEnd: tf.memory().numTensors };
    log(`${backend}: live tensors ${tensors.afterFirstStep} after the first step, ${tensors.atEnd} at the end`);
    return {
      backend: tf.getBackend(),
      flags,
      initMs,
      firstStepMs,
      readEvery1,
      readEvery10,
      loss: { first: firstLoss, last: readEvery10.lastLoss, steps: session.step },
      tensors,
    };
  } finally {
    session.dispose();
  }
}

/**
 * Trains `batch` steps and reads their losses back at once, as Kindling's `readLosses` does.
 * @param {Session} session @param {number} batch
 * @returns {Promise<Float32Array>}
 */
async function train(session, batch) {
  /** @type {any[]} */
  const losses = [];
  for (let i = 0; i < batch; i++) losses.push(session.trainStep());
  const all = batch === 1 ? losses[0] : tf.stack(losses); // [batch] or a scalar
  try {
    return await all.data();
  } finally {
    tf.dispose(losses);
    if (batch !== 1) all.dispose();
  }
}

/** The model, its optimiser and the train set on the current backend. */
class Session {
  constructor() {
    const { train } = spiralDataset(WORKLOAD.dataset);
    this.train = train;
    this.batcher = new Batcher(train.y.length, WORKLOAD.batchSize, WORKLOAD.seed);
    const rng = new Rng(WORKLOAD.seed);
    /** @type {{ weight: any, bias: any }[]} */
    this.layers = [];
    let width = 2;
    for (const units of [...WORKLOAD.hidden, 2]) {
      // He et al. (2015): U(±sqrt(6 / fan_in)), row-major [fan_in, fan_out]; biases zero.
      const bound = Math.fround(Math.sqrt(6 / width));
      const weights = Float32Array.from({ length: width * units }, () => rng.range(-bound, bound));
      // tidy: a variable keeps its own reference to the data; the tensor it was made from goes.
      this.layers.push(tf.tidy(() => ({ weight: tf.variable(tf.tensor2d(weights, [width, units])), bias: tf.variable(tf.zeros([units])) })));
      width = units;
    }
    const { learningRate, beta1, beta2, epsilon } = WORKLOAD.optimizer;
    this.optimizer = tf.train.adam(learningRate, beta1, beta2, epsilon);
    this.step = 0;
    this.x = new Float32Array(WORKLOAD.batchSize * 2);
    this.y = new Float32Array(WORKLOAD.batchSize * 2);
  }

  /** One Adam step on the next minibatch; returns the batch loss, a scalar still on the backend. */
  trainStep() {
    const idx = this.batcher.next();
    this.y.fill(0);
    idx.forEach((i, row) => {
      this.x[2 * row] = this.train.x[2 * i];
      this.x[2 * row + 1] = this.train.x[2 * i + 1];
      this.y[2 * row + this.train.y[i]] = 1;
    });
    this.step += 1;
    return tf.tidy(() => {
      const x = tf.tensor2d(this.x, [idx.length, 2]); // [batch, 2]
      const y = tf.tensor2d(this.y, [idx.length, 2]); // [batch, 2] one-hot
      const vars = this.layers.flatMap((l) => [l.weight, l.bias]);
      return this.optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, this.forward(x)), true, vars);
    });
  }

  /** x: [batch, 2] → logits [batch, 2]. Fused matmul + bias + ReLU, as tf.layers.dense does. */
  forward(/** @type {any} */ x) {
    const last = this.layers.length - 1;
    return this.layers.reduce((h, l, i) =>
      tf.fused.matMul({ a: h, b: l.weight, bias: l.bias, activation: i < last ? 'relu' : 'linear' }), x);
  }

  dispose() {
    for (const l of this.layers) tf.dispose([l.weight, l.bias]);
    this.optimizer.dispose();
  }
}

/** SplitMix64, as src/data/rng.rs: the same numbers from the same seed. */
class Rng {
  static MASK = (1n << 64n) - 1n;
  static GAMMA = 0x9E3779B97F4A7C15n;

  /** @param {number} seed */
  constructor(seed) {
    this.state = BigInt(seed) ^ Rng.GAMMA;
  }

  nextU64() {
    this.state = (this.state + Rng.GAMMA) & Rng.MASK;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & Rng.MASK;
    z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & Rng.MASK;
    return z ^ (z >> 31n);
  }

  /** Uniform in [0, 1), as an f32. */
  uniform() {
    return Number(this.nextU64() >> 40n) / 2 ** 24;
  }

  /** @param {number} lo @param {number} hi */
  range(lo, hi) {
    return Math.fround(lo + Math.fround(Math.fround(hi - lo) * this.uniform()));
  }

  /** Standard normal (Box-Muller). */
  normal() {
    const u1 = Math.max(this.uniform(), 2 ** -126);
    const u2 = this.uniform();
    return Math.fround(Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
  }

  /** @param {number} n */
  below(n) {
    return Number(this.nextU64() % BigInt(n));
  }

  /** Fisher-Yates. @param {unknown[]} items */
  shuffle(items) {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
  }
}

/**
 * Two interleaved arms of 1.75 turns, then a shuffled split into train and test (src/data/points.rs).
 * @param {{ points: number, noise: number, testFraction: number, seed: number }} config
 */
function spiralDataset({ points, noise, testFraction, seed }) {
  const rng = new Rng(seed);
  /** @type {number[][]} [x1, x2, class] */
  const all = [];
  const perClass = Math.floor(points / 2);
  for (const cls of [0, 1]) {
    const count = cls === 0 ? perClass : points - perClass;
    for (let i = 0; i < count; i++) {
      const r = i / count;
      const t = 1.75 * 2 * Math.PI * i / count + cls * Math.PI;
      const jitter = noise * 0.15;
      const x1 = r * Math.sin(t) + jitter * rng.normal();
      const x2 = r * Math.cos(t) + jitter * rng.normal();
      all.push([x1, x2, cls]);
    }
  }
  const order = all.map((_, i) => i);
  rng.shuffle(order);
  const nTest = Math.min(Math.max(Math.round(all.length * testFraction), 1), all.length - 1);
  const pick = (/** @type {number[]} */ rows) => ({
    x: Float32Array.from(rows.flatMap((i) => [all[i][0], all[i][1]])),
    y: Uint8Array.from(rows.map((i) => all[i][2])),
  });
  return { train: pick(order.slice(nTest)), test: pick(order.slice(0, nTest)) };
}

/** Shuffled index batches, reshuffled when an epoch is used up (src/data/batch.rs). */
class Batcher {
  /** @param {number} len @param {number} batchSize @param {number} seed */
  constructor(len, batchSize, seed) {
    this.rng = new Rng(seed);
    this.order = Array.from({ length: len }, (_, i) => i);
    this.rng.shuffle(this.order);
    this.cursor = 0;
    this.batchSize = Math.min(Math.max(batchSize, 1), Math.max(len, 1));
  }

  next() {
    if (this.cursor + this.batchSize > this.order.length) {
      this.rng.shuffle(this.order);
      this.cursor = 0;
    }
    const batch = this.order.slice(this.cursor, this.cursor + this.batchSize);
    this.cursor += this.batchSize;
    return batch;
  }
}
