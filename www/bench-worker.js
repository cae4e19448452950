// @ts-check
//! The benchmark worker: times the wasm API (docs/wasm-api.md, docs/wasm-api-sequences.md) on the
//! CPU and on WebGPU for the spiral MLP, the reversal transformer and a character-level LM. Each measurement runs for a time budget, not a step count, so a slow adapter
//! (SwiftShader) finishes in bounded time. Posts {type:'log'}, then {type:'result'} or {type:'error'}.

/** Kernels per GPU submission, from the bench page's URL (?tasksMax=N); Burn's default when unset. */
const PARAMS = new URL(self.location.href).searchParams;
const TASKS_MAX = Number(PARAMS.get('tasksMax')) || undefined;
/** ?subgroups=off: leave the device request as wgpu makes it (to see what needs subgroups). */
const REQUEST_SUBGROUPS = PARAMS.get('subgroups') !== 'off';

import init, {
  defaultSettings, defaultSequenceSettings, initWebgpu, webgpuSelfCheck, Session, SequenceSession,
} from '../pkg/kindling.js';
import { withSubgroups } from './webgpu-features.js';

/** @param {string} message */
const log = (message) => postMessage({ type: 'log', message });
const now = () => performance.now();
const round = (/** @type {number} */ x, digits = 1) => Number(x.toFixed(digits));

self.onmessage = async ({ data }) => {
  if (data.type !== 'run') return;
  try {
    postMessage({ type: 'result', result: await bench(data.budgets) });
  } catch (error) {
    postMessage({ type: 'error', message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) });
  }
};

/** @param {{ cpu: number, webgpu: number }} budgets ms per measurement */
async function bench(budgets) {
  let t = now();
  await init();
  const wasmInstantiateMs = round(now() - t);
  log(`wasm instantiate: ${wasmInstantiateMs} ms`);

  const settings = defaultSettings();
  const layer = { units: 64, activation: 'relu', dropout: 0 };
  settings.model.hidden = [{ ...layer }, { ...layer }];
  settings.train.batchSize = 256;
  settings.train.optimizer = 'adam';

  const cpu = await measure('cpu', () => new Session(settings, 'cpu'), budgets.cpu);

  /** @type {Record<string, any>} */
  const webgpu = { available: false, adapter: null, adapterInfo: null, initMs: null, subgroups: null, selfCheck: null, skipped: null };
  /** @type {Record<string, any> | null} */
  let gpuRun = null;
  if (!('gpu' in navigator)) {
    webgpu.skipped = 'navigator.gpu is missing';
  } else {
    try {
      t = now();
      const { result, subgroups } = await withSubgroups(() => initWebgpu(TASKS_MAX), { request: REQUEST_SUBGROUPS });
      Object.assign(webgpu, { available: true, adapter: result.adapter, initMs: round(now() - t), subgroups });
      log(`WebGPU init: ${webgpu.initMs} ms, adapter '${result.adapter}', subgroups ${subgroups}`);
    } catch (error) {
      webgpu.skipped = `WebGPU init failed: ${error instanceof Error ? error.message : error}`;
    }
  }
  if (webgpu.available) {
    t = now();
    const check = await webgpuSelfCheck();
    webgpu.selfCheck = { ...check, wallMs: round(now() - t) };
    log(`self-check: ${check.ok ? 'ok' : `FAILED (${check.reason})`}, max diff ${check.maxDiff}, ${webgpu.selfCheck.wallMs} ms`);
    // Timed even when the self-check fails: the speed is still the speed (the result says why).
    gpuRun = await measure('webgpu', () => new Session(settings, 'webgpu'), budgets.webgpu);
    webgpu.adapterInfo = await adapterInfo();
  } else {
    log(`WebGPU skipped: ${webgpu.skipped}`);
  }

  /** @type {any[]} */
  const sequenceRuns = [];
  for (const [model, configure] of Object.entries(SEQUENCE_MODELS)) {
    const seq = defaultSequenceSettings();
    configure(seq);
    for (const backend of webgpu.available ? ['cpu', 'webgpu'] : ['cpu']) {
      const run = await measure(/** @type {'cpu' | 'webgpu'} */ (backend),
        () => new SequenceSession(seq, backend), budgets[/** @type {'cpu' | 'webgpu'} */ (backend)], model);
      sequenceRuns.push({ model, settings: seq, ...run });
    }
  }

  return {
    date: new Date().toISOString(),
    settings,
    wasmInstantiateMs,
    webgpu,
    backends: gpuRun ? [cpu, gpuRun] : [cpu],
    sequenceRuns,
  };
}

/** The sequence workloads of issue 3, as edits of `defaultSequenceSettings()`. */
const SEQUENCE_MODELS = {
  // reverse, 16 symbols, length 8, d_model 32, 1 head, 1 layer, batch 64, Adam: the defaults
  reversal: (/** @type {any} */ s) => s,
  'char LM': (/** @type {any} */ s) => {
    Object.assign(s.data, { task: 'text', length: 64 });
    Object.assign(s.model, { dModel: 128, heads: 4, layers: 2 });
    s.train.batchSize = 32;
  },
};

/**
 * Time to the first step, then steps/s with the loss read every step and every 10th step.
 * @param {'cpu' | 'webgpu'} backend
 * @param {() => any} open a new Session or SequenceSession on `backend`
 * @param {number} budgetMs per steady-state measurement
 * @param {string} [name] the workload, for the log
 */
async function measure(backend, open, budgetMs, name = 'spiral MLP') {
  log(`${name}, ${backend}: first step…`);
  const t = now();
  const session = open();
  const createMs = round(now() - t);
  session.train(1);
  const [firstLoss] = await session.readLosses();
  const firstStepMs = round(now() - t);
  log(`${name}, ${backend}: first step ${firstStepMs} ms (session ${createMs} ms), loss ${firstLoss}`);
  try {
    const readEvery1 = await steady(session, 1, budgetMs);
    log(`${name}, ${backend}: ${readEvery1.stepsPerSec} steps/s reading the loss every step`);
    const readEvery10 = await steady(session, 10, budgetMs);
    log(`${name}, ${backend}: ${readEvery10.stepsPerSec} steps/s reading the loss every 10th step`);
    return {
      backend: session.backend,
      parameters: session.parameters,
      createMs,
      firstStepMs,
      readEvery1,
      readEvery10,
      loss: { first: firstLoss, last: readEvery10.lastLoss, steps: session.step },
    };
  } finally {
    session.free();
  }
}

/**
 * Trains `batch` steps, reads the losses back, and repeats until the budget is spent.
 * @param {any} session
 * @param {number} batch
 * @param {number} budgetMs
 */
async function steady(session, batch, budgetMs) {
  const start = now();
  let steps = 0;
  let lastLoss = NaN;
  let slowestReadMs = 0;
  while (now() - start < budgetMs) {
    const t = now();
    session.train(batch);
    const losses = await session.readLosses();
    slowestReadMs = Math.max(slowestReadMs, now() - t);
    steps += batch;
    lastLoss = losses[losses.length - 1];
  }
  const seconds = (now() - start) / 1000;
  return { steps, seconds: round(seconds, 2), stepsPerSec: round(steps / seconds), slowestBatchMs: round(slowestReadMs), lastLoss };
}

/** The adapter as the browser describes it (after the benchmark, so it does not slow Burn's init). */
async function adapterInfo() {
  const adapter = await navigator.gpu.requestAdapter();
  const info = adapter?.info;
  if (!info) return null;
  return {
    vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description,
    subgroupMinSize: /** @type {any} */ (info).subgroupMinSize ?? null,
    subgroupMaxSize: /** @type {any} */ (info).subgroupMaxSize ?? null,
    features: [...adapter.features].sort(),
  };
}
