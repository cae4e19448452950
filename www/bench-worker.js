// @ts-check
//! The benchmark worker: times the wasm API (docs/wasm-api.md, docs/wasm-api-sequences.md) on the
//! CPU and on WebGPU for the spiral MLP, the reversal transformer and a character-level LM. Each measurement runs for a time budget, not a step count, so a slow adapter
//! (SwiftShader) finishes in bounded time. Answers the page through www/bench-harness.js.

/** Kernels per GPU submission, from the bench page's URL (?tasksMax=N); Burn's default when unset. */
const PARAMS = new URL(self.location.href).searchParams;
const TASKS_MAX = Number(PARAMS.get('tasksMax')) || undefined;
/** ?subgroups=off: leave the device request as wgpu makes it (to see what needs subgroups). */
const REQUEST_SUBGROUPS = PARAMS.get('subgroups') !== 'off';

import init, {
  defaultSettings, defaultSequenceSettings, initWebgpu, webgpuSelfCheck, Session,
} from '../pkg/kindling.js';
import { withSubgroups } from './webgpu-features.js';
import * as kindling from '../pkg/kindling.js';
import { benchProjection } from './projection-bench.js';
import { trackGpuBuffers } from './gpu-buffers.js';
import { countGpuCalls, perStep } from './gpu-calls.js';
import { adapterInfo, log, now, round, serve, steady } from './bench-harness.js';

/** Steps of the memory runs (?memorySteps=N for the CPU; ?gpuMemorySteps=N for WebGPU, slow on SwiftShader). */
const MEMORY_STEPS = { cpu: Number(PARAMS.get('memorySteps')) || 10_000, webgpu: Number(PARAMS.get('gpuMemorySteps')) || 150 };
/** Live bytes in GPU buffers (null without WebGPU); installed before Burn creates its device. */
const gpuBytes = trackGpuBuffers();
/** The WebGPU calls made so far (null without WebGPU); installed before Burn creates its device. */
const gpuCalls = countGpuCalls();
/** @type {WebAssembly.Memory | null} */
let wasmMemory = null;

serve(bench);

/** @param {{ cpu: number, webgpu: number }} budgets ms per measurement */
async function bench(budgets) {
  let t = now();
  wasmMemory = (await init()).memory;
  const wasmInstantiateMs = round(now() - t);
  log(`wasm instantiate: ${wasmInstantiateMs} ms`);

  const settings = defaultSettings();
  const layer = { units: 64, activation: 'relu', dropout: 0 };
  settings.model.hidden = [{ ...layer }, { ...layer }];
  settings.train.batchSize = 256;
  settings.train.optimizer = 'adam';

  const cpu = await measure('cpu', () => Session.points(settings, 'cpu'), budgets.cpu);

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
    gpuRun = await measure('webgpu', () => Session.points(settings, 'webgpu'), budgets.webgpu);
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
        () => Session.sequences(seq, backend), budgets[/** @type {'cpu' | 'webgpu'} */ (backend)], model);
      sequenceRuns.push({ model, settings: seq, ...run });
    }
  }

  const memory = [await memoryRun('cpu', () => Session.points(settings, 'cpu'), MEMORY_STEPS.cpu)];
  if (webgpu.available) memory.push(await memoryRun('webgpu', () => Session.points(settings, 'webgpu'), MEMORY_STEPS.webgpu));

  const projection = await benchProjection(kindling, log, webgpu.available);

  return {
    date: new Date().toISOString(),
    projection,
    settings,
    wasmInstantiateMs,
    webgpu,
    backends: gpuRun ? [cpu, gpuRun] : [cpu],
    sequenceRuns,
    memory,
  };
}

/**
 * Trains `steps` steps (10 per readback, as the page does) and samples the wasm memory and the
 * live GPU buffer bytes every 100 steps: a leak shows as growth after the first hundred.
 * @param {'cpu' | 'webgpu'} backend @param {() => Session} open @param {number} steps
 */
async function memoryRun(backend, open, steps) {
  log(`memory, ${backend}: ${steps} steps of the spiral MLP…`);
  const session = open();
  /** @type {{ step: number, wasmBytes: number, gpuBytes: number | null }[]} */
  const samples = [];
  const sample = () => samples.push({
    step: session.step, wasmBytes: wasmMemory?.buffer.byteLength ?? 0, gpuBytes: gpuBytes ? gpuBytes() : null,
  });
  const start = now();
  try {
    sample();
    while (session.step < steps) {
      session.train(10);
      await session.readLosses();
      if (session.step % 100 === 0) sample();
    }
    if (samples[samples.length - 1].step !== session.step) sample();
  } finally {
    session.free();
  }
  const at100 = samples.find((s) => s.step >= 100) ?? samples[0];
  const last = samples[samples.length - 1];
  const growth = {
    wasmBytesAfter100: last.wasmBytes - at100.wasmBytes,
    gpuBytesAfter100: last.gpuBytes == null || at100.gpuBytes == null ? null : last.gpuBytes - at100.gpuBytes,
  };
  log(`memory, ${backend}: wasm ${mb(at100.wasmBytes)} at step ${at100.step} → ${mb(last.wasmBytes)} at ${last.step}` +
    (last.gpuBytes == null ? '' : `; GPU buffers ${mb(at100.gpuBytes ?? 0)} → ${mb(last.gpuBytes)}`));
  // Every 1000th step is enough in the result; the growth figures use all samples.
  const kept = samples.filter((s, i) => i === 0 || s.step % 1000 === 0 || s.step <= 200 || i === samples.length - 1);
  return { backend, steps: last.step, seconds: round((now() - start) / 1000, 1), growth, samples: kept };
}

const mb = (/** @type {number} */ bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

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
 * @param {() => Session} open a new Session (an MLP or a transformer) on `backend`
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
    const trainAndRead = (/** @type {number} */ batch) => {
      session.train(batch);
      return session.readLosses();
    };
    const readEvery1 = await steady(trainAndRead, 1, budgetMs);
    log(`${name}, ${backend}: ${readEvery1.stepsPerSec} steps/s reading the loss every step`);
    // A backend that did not manage 10 steps in the budget (the char LM on SwiftShader) would
    // spend minutes on one batch of 10: its every-step figure stands for both.
    const readEvery10 = readEvery1.steps >= 10 ? await steady(trainAndRead, 10, budgetMs) : readEvery1;
    log(`${name}, ${backend}: ${readEvery10.stepsPerSec} steps/s reading the loss every 10th step`);
    // The GPU calls of warm steps, 10 per readback as the page trains (2 where steps are slow).
    let callsPerStep = null;
    if (session.backend === 'webgpu' && gpuCalls) {
      const steps = readEvery1.steps >= 10 ? 10 : 2;
      const before = gpuCalls();
      await trainAndRead(steps);
      callsPerStep = perStep(before, gpuCalls(), steps);
      log(`${name}, ${backend}: per step ${JSON.stringify(callsPerStep)}`);
    }
    return {
      backend: session.backend,
      parameters: session.parameters,
      createMs,
      firstStepMs,
      readEvery1,
      readEvery10,
      callsPerStep,
      loss: { first: firstLoss, last: readEvery10.lastLoss, steps: session.step },
    };
  } finally {
    session.free();
  }
}
