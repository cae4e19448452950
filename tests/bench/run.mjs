// @ts-check
//! Runs bench.html in headless Chromium (WebGPU on SwiftShader, as the browser tests do), then
//! bench-tfjs.html (TensorFlow.js on the same workload), prints markdown tables and writes the
//! JSON. Normally started by `cargo xtask bench`, which serves the app, sets KINDLING_URL and
//! passes the wasm sizes:
//!   node tests/bench/run.mjs --out bench/results.json [--wasm-bytes N --wasm-gzip-bytes N]
//!                            [--cpu SECONDS --webgpu SECONDS]
//! Fails only when the benchmark cannot run, never on a timing.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openPage } from '../e2e/browser.mjs';

/** How long the app trains (all views live) while its main thread is watched. */
const TRAIN_WITH_VIEWS_MS = 10_000;
import { benchTable, tableBenchTable } from './table.mjs';
import { APP_WORKLOADS, appSpeed } from './app-speed.mjs';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: 'bench/results.json' },
    'wasm-bytes': { type: 'string' },
    'wasm-gzip-bytes': { type: 'string' },
    cpu: { type: 'string', default: '5' },
    webgpu: { type: 'string', default: '20' },
    timeout: { type: 'string', default: '1800' },
    'tasks-max': { type: 'string' },
    subgroups: { type: 'string' },
    'memory-steps': { type: 'string' },
    'gpu-memory-steps': { type: 'string' },
  },
});

const query = new URLSearchParams({ cpu: String(args.cpu), webgpu: String(args.webgpu) });
if (args['tasks-max']) query.set('tasksMax', args['tasks-max']);
if (args.subgroups) query.set('subgroups', args.subgroups);
if (args['memory-steps']) query.set('memorySteps', args['memory-steps']);
if (args['gpu-memory-steps']) query.set('gpuMemorySteps', args['gpu-memory-steps']);

// The app itself, as a user meets it: navigation to a page that can train, then play to the
// first step, on the CPU and on WebGPU (forced, after its self-check), and auto's choice.
const start = { cpu: await startApp('cpu'), webgpu: await startApp('webgpu'), auto: await startApp('auto') };
const { page, consoleErrors, foreignRequests, close } = await openPage(`bench.html?${query}`, {
  onConsole: (msg) => {
    const text = msg.text();
    if (text.startsWith('[bench] ')) console.log(`  ${text.slice(8)}`);
    else if (msg.type() === 'error' || msg.type() === 'warning') console.log(`  (${msg.type()}) ${text}`);
  },
});

let result;
try {
  await page.waitForFunction(() => /** @type {any} */ (window).benchResult || /** @type {any} */ (window).benchError,
    null, { timeout: Number(args.timeout) * 1000, polling: 500 });
  const error = await page.evaluate(() => /** @type {any} */ (window).benchError);
  if (error) throw new Error(`the benchmark failed in the page: ${error}`);
  result = await page.evaluate(() => /** @type {any} */ (window).benchResult);
} finally {
  await close();
}

const raw = args['wasm-bytes'] ? Number(args['wasm-bytes']) : null;
const gzip = args['wasm-gzip-bytes'] ? Number(args['wasm-gzip-bytes']) : null;
result = { wasm: { bytes: raw, gzipBytes: gzip }, ...result, start, consoleErrors, foreignRequests };

// The app's own speed on the worker's workloads, every view live (issue 20), in the same sitting.
result.app = [];
for (const workload of /** @type {(keyof typeof APP_WORKLOADS)[]} */ (Object.keys(APP_WORKLOADS))) {
  result.app.push(await appSpeed(workload, workload === 'char LM' ? 20_000 : 8_000));
}

// TensorFlow.js on the same workload, for comparison (issue 7).
result.tfjs = await benchTfjs();

// Your own data (issue 5): a 50 MB CSV parsed, inferred and encoded in the worker; the tab's memory.
result.table = await benchTable(50);

mkdirSync(path.dirname(args.out), { recursive: true });
writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`\n${table(result)}\n\n${kernelTable(result)}\n\n${appTable(result)}\n\n${tfjsTable(result.tfjs)}\nwrote ${args.out}`);
if (result.projection) console.log(`\n${projectionTable(result.projection)}`);
console.log(`\n${tableBenchTable(result.table)}`);

/** @param {any} r */
function table(r) {
  const kib = (/** @type {number | null} */ b) => (b == null ? '—' : `${(b / 1024).toFixed(1)} KiB`);
  const ms = (/** @type {number | null | undefined} */ x) => (x == null ? '—' : `${Math.round(x)} ms`);
  const gpu = r.webgpu;
  const check = gpu.selfCheck
    ? `${gpu.selfCheck.ok ? 'ok' : `FAILED: ${gpu.selfCheck.reason}`} (max diff ${gpu.selfCheck.maxDiff}, ${ms(gpu.selfCheck.wallMs)})`
    : '—';
  const lines = [
    `Browser: ${r.userAgent}`,
    `WebGPU adapter: ${gpu.adapter ?? `none (${gpu.skipped})`}${gpu.adapterInfo ? ` [${gpu.adapterInfo.vendor}/${gpu.adapterInfo.architecture}]` : ''}`,
    '',
    '| | |',
    '|---|---|',
    `| wasm size (raw / gzip -9) | ${kib(r.wasm.bytes)} / ${kib(r.wasm.gzipBytes)} |`,
    `| wasm instantiate | ${ms(r.wasmInstantiateMs)} |`,
    `| WebGPU init | ${ms(gpu.initMs)}${gpu.subgroups == null ? '' : `, subgroups ${gpu.subgroups ? 'granted' : 'not granted'}`} |`,
    `| WebGPU self-check | ${check} |`,
    `| main-thread long tasks | ${r.mainThreadLongTasks.count} (total ${ms(r.mainThreadLongTasks.totalMs)}, max ${ms(r.mainThreadLongTasks.maxMs)}) |`,
    '',
    `Spiral MLP, 2 × 64 ReLU, batch ${r.settings.train.batchSize}, ${r.settings.train.optimizer}:`,
    '',
    `| | ${r.backends.map((/** @type {any} */ b) => b.backend).join(' | ')} |`,
    `|---|${r.backends.map(() => '---:').join('|')}|`,
  ];
  /** @param {string} label @param {(b: any) => string} cell */
  const row = (label, cell) => lines.push(`| ${label} | ${r.backends.map(cell).join(' | ')} |`);
  row('time to first step', (b) => ms(b.firstStepMs));
  row('steps/s, loss read every step', (b) => `${b.readEvery1.stepsPerSec}`);
  row('steps/s, loss read every 10th step', (b) => `${b.readEvery10.stepsPerSec}`);
  row('steps timed', (b) => `${b.readEvery1.steps} + ${b.readEvery10.steps}`);
  row('loss first → last', (b) => `${b.loss.first.toFixed(3)} → ${b.loss.last.toFixed(3)}`);
  row('GPU calls per step (dispatches, pipelines, bind groups, buffers, submits, maps)', (b) => calls(b.callsPerStep));
  if (r.sequenceRuns?.length) {
    lines.push('', 'Transformers (reversal: vocab 16, length 8, d_model 32, 1 head, 1 layer, batch 64; char LM: d_model 128, 4 heads, 2 blocks, length 64, batch 32; Adam):', '',
      '| model | backend | parameters | time to first step | steps/s, loss every step | steps/s, loss every 10th | loss first → last | GPU calls per step (dispatches, pipelines, bind groups, buffers, submits, maps) |',
      '|---|---|---:|---:|---:|---:|---|---|');
    for (const s of r.sequenceRuns) {
      lines.push(`| ${s.model} | ${s.backend} | ${s.parameters} | ${ms(s.firstStepMs)} | ${s.readEvery1.stepsPerSec} | ${s.readEvery10.stepsPerSec} | ${s.loss.first.toFixed(3)} → ${s.loss.last.toFixed(3)} | ${calls(s.callsPerStep)} |`);
    }
  }
  if (r.memory?.length) {
    lines.push('', 'Memory while training the spiral MLP (10 steps per readback; sampled every 100 steps):', '',
      '| backend | steps | wasm memory at step 100 → end | growth after step 100 | GPU buffers at step 100 → end | growth |',
      '|---|---:|---|---:|---|---:|');
    for (const m of r.memory) {
      const at100 = m.samples.find((/** @type {any} */ s) => s.step >= 100) ?? m.samples[0];
      const last = m.samples[m.samples.length - 1];
      const mib = (/** @type {number | null} */ b) => (b == null ? '—' : `${(b / 2 ** 20).toFixed(2)} MiB`);
      lines.push(`| ${m.backend} | ${m.steps} | ${mib(at100.wasmBytes)} → ${mib(last.wasmBytes)} | ${mib(m.growth.wasmBytesAfter100)} | ` +
        `${mib(at100.gpuBytes)} → ${mib(last.gpuBytes)} | ${mib(m.growth.gpuBytesAfter100)} |`);
    }
  }
  const s = r.start;
  lines.push('', 'The app (index.html), from navigation:', '',
    '| backend choice | page interactive | backend in use when played | play → first step | steps in 10 s, all views live | main-thread long tasks (longest) | timing of both backends |',
    '|---|---:|---|---:|---:|---:|---|');
  for (const [choice, x] of Object.entries(s)) {
    lines.push(`| ${choice} | ${ms(x.interactiveMs)} | ${x.backend} | ${ms(x.firstStepMs)} | ${x.whileTraining.steps} | ` +
      `${x.whileTraining.longTasks} (${ms(x.whileTraining.longestTaskMs)}) | ${x.timing ?? '—'} |`);
  }
  return lines.join('\n');
}

/** "142 dispatches, 0 pipelines, 160 bind groups, 98 buffers, 3.1 submits, 0.1 maps" (www/gpu-calls.js) @param {any} c */
function calls(c) {
  return c ? `${c.dispatches}, ${c.pipelines}, ${c.bindGroups}, ${c.buffers}, ${c.submits}, ${c.maps}` : '—';
}

/** The kernels a WebGPU step dispatches, per workload, most first (www/gpu-calls.js). @param {any} r */
function kernelTable(r) {
  const runs = [...r.backends.map((/** @type {any} */ b) => ({ model: 'spiral MLP', ...b })), ...(r.sequenceRuns ?? [])]
    .filter((x) => x.callsPerStep?.kernels);
  const lines = ['Dispatches per WebGPU step by kernel (its pipeline label, ids cut):', ''];
  for (const x of runs) {
    const kernels = Object.entries(x.callsPerStep.kernels).map(([k, n]) => `${k} ${n}`).join(', ');
    lines.push(`- ${x.model} (${x.callsPerStep.dispatches} in all): ${kernels}`);
  }
  return lines.join('\n');
}

/** The app against the bench worker, CPU, per workload. @param {any} r */
function appTable(r) {
  /** @param {string} workload @returns {number | null} the worker's steps/s, loss read every 10th step */
  const inWorker = (workload) => (workload === 'spiral MLP'
    ? r.backends.find((/** @type {any} */ b) => b.backend === 'cpu')?.readEvery10.stepsPerSec
    : r.sequenceRuns?.find((/** @type {any} */ s) => s.model === workload && s.backend === 'cpu')?.readEvery10.stepsPerSec) ?? null;
  const lines = ['In the app (index.html, CPU forced, every view of the mode live) against the bench worker, same sitting:', '',
    '| workload | bench worker steps/s | app steps/s | worker ÷ app |', '|---|---:|---:|---:|'];
  for (const a of r.app) {
    const w = inWorker(a.workload);
    lines.push(`| ${a.workload} | ${w ?? '—'} | ${a.stepsPerSec} | ${w && a.stepsPerSec ? (w / a.stepsPerSec).toFixed(2) : '—'} |`);
  }
  return lines.join('\n');
}

/**
 * Opens the app with a backend choice: ms from navigation until Play is enabled; for 'webgpu'
 * and 'auto', waits until WebGPU is in use (or auto has timed both backends); then ms from the
 * click on Play to the first step in the status line.
 * @param {'cpu' | 'webgpu' | 'auto'} choice
 */
async function startApp(choice) {
  const app = await openPage(`#backend=${choice}`, { initScript: observeLongTasks });
  try {
    const { page } = app;
    await page.waitForFunction(() => !(/** @type {HTMLButtonElement} */ (document.querySelector('#play'))).disabled, null,
      { timeout: 60_000, polling: 'raf' });
    const interactiveMs = await page.evaluate(() => performance.now());
    if (choice === 'webgpu') await page.locator('#backend-status[data-backend="webgpu"]').waitFor({ timeout: 300_000 });
    // The timing of both backends (which, forced or not, compiles the model's WebGPU kernels).
    if (choice !== 'cpu') await page.locator('#backend-status[data-faster="cpu"], #backend-status[data-faster="webgpu"]').waitFor({ timeout: 300_000 });
    await page.locator('#boundary-canvas[data-step="0"]').waitFor({ timeout: 300_000 });
    const firstStepMs = await page.evaluate(() => new Promise((resolve) => {
      const t = performance.now();
      const step = /** @type {HTMLElement} */ (document.querySelector('#step-count'));
      new MutationObserver((_, observer) => {
        if (Number(step.textContent) >= 1) {
          observer.disconnect();
          resolve(performance.now() - t);
        }
      }).observe(step, { childList: true, characterData: true, subtree: true });
      /** @type {HTMLButtonElement} */ (document.querySelector('#play')).click();
    }));
    // Then training with every view updating: the main thread's long tasks meanwhile.
    const played = await page.evaluate(() => performance.now());
    await page.waitForTimeout(TRAIN_WITH_VIEWS_MS);
    const longTasks = await page.evaluate((since) => /** @type {any} */ (window).kindlingLongTasks
      .filter((/** @type {{ start: number }} */ t) => t.start >= since), played);
    const steps = Number(await page.textContent('#step-count'));
    const status = page.locator('#backend-status');
    const backend = await status.getAttribute('data-backend');
    const text = await status.innerText();
    const timing = /(CPU|WebGPU) is faster for this model: [^)]*/.exec(text)?.[0] ?? null;
    console.log(`  app, ${choice}: interactive ${Math.round(interactiveMs)} ms; ${backend}: play → first step ${Math.round(/** @type {number} */ (firstStepMs))} ms${timing ? `; ${timing}` : ''}`);
    const longest = longTasks.reduce((/** @type {number} */ m, /** @type {{ ms: number }} */ t) => Math.max(m, t.ms), 0);
    console.log(`  app, ${choice}: ${steps} steps in ${TRAIN_WITH_VIEWS_MS / 1000} s of training; main-thread long tasks ${longTasks.length}, longest ${Math.round(longest)} ms`);
    return {
      interactiveMs: Math.round(interactiveMs), backend, firstStepMs: Math.round(/** @type {number} */ (firstStepMs)), timing,
      whileTraining: { ms: TRAIN_WITH_VIEWS_MS, steps, longTasks: longTasks.length, longestTaskMs: Math.round(longest), entries: longTasks.slice(0, 20) },
    };
  } finally {
    await app.close();
  }
}

/** Runs in the app page before its scripts: keeps every main-thread long task (> 50 ms). */
function observeLongTasks() {
  const tasks = /** @type {{ start: number, ms: number }[]} */ ([]);
  /** @type {any} */ (window).kindlingLongTasks = tasks;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push({ start: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/**
 * bench-tfjs.html: TensorFlow.js (cpu, wasm and webgpu backends) training the same spiral MLP
 * with the same budgets. Its failure is recorded, not thrown: Kindling's numbers stand without it.
 */
async function benchTfjs() {
  const tfjsQuery = new URLSearchParams({ cpu: String(args.cpu), webgpu: String(args.webgpu) });
  const tfjs = await openPage(`bench-tfjs.html?${tfjsQuery}`, {
    onConsole: (msg) => {
      const text = msg.text();
      if (text.startsWith('[bench] ')) console.log(`  tfjs: ${text.slice(8)}`);
      else if (msg.type() === 'error') console.log(`  tfjs: (error) ${text}`);
    },
  });
  try {
    await tfjs.page.waitForFunction(() => /** @type {any} */ (window).benchResult || /** @type {any} */ (window).benchError,
      null, { timeout: Number(args.timeout) * 1000, polling: 500 });
    const error = await tfjs.page.evaluate(() => /** @type {any} */ (window).benchError);
    if (error) return { error, consoleErrors: tfjs.consoleErrors, foreignRequests: tfjs.foreignRequests };
    const tfjsResult = await tfjs.page.evaluate(() => /** @type {any} */ (window).benchResult);
    return { ...tfjsResult, consoleErrors: tfjs.consoleErrors, foreignRequests: tfjs.foreignRequests };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    await tfjs.close();
  }
}

/** @param {any} t the result of benchTfjs */
function tfjsTable(t) {
  if (t.error) return `TensorFlow.js on the same workload: FAILED: ${t.error}`;
  const ms = (/** @type {number} */ x) => `${Math.round(x)} ms`;
  const lines = [
    `TensorFlow.js ${t.tfjsVersion} on the same workload (same data, initial weights and batches; fused matmul, tf.losses.softmaxCrossEntropy, tf.train.adam):`,
    '',
    '| backend | time to first step | steps/s, loss every step | steps/s, loss every 10th | loss first → last |',
    '|---|---:|---:|---:|---|',
  ];
  for (const b of t.backends) {
    if (b.skipped) lines.push(`| ${b.backend} | skipped: ${b.skipped} | | | |`);
    else lines.push(`| ${b.backend}${b.backend === 'wasm' ? ` (simd ${b.flags.simd}, threads ${b.flags.threads})` : ''} | ${ms(b.firstStepMs)} | ` +
      `${b.readEvery1.stepsPerSec} | ${b.readEvery10.stepsPerSec} | ${b.loss.first.toFixed(3)} → ${b.loss.last.toFixed(3)} |`);
  }
  return lines.join('\n');
}

/** The projection view's figures (www/projection-bench.js). @param {any} p */
function projectionTable(p) {
  const lines = ['Projections (time per frame):', '', '| | points × dims | ms per frame |', '|---|---:|---:|'];
  for (const r of p.pca) lines.push(`| PCA, ${r.backend} (wasm core; first frame ${Math.round(r.firstMs)} ms) | ${r.points} × ${r.dims} | ${Math.round(r.msPerFrame)} |`);
  lines.push(`| UMAP (umap-js, ${p.umap.epochs} epochs) | ${p.umap.points} × ${p.umap.dims} | ${Math.round(p.umap.msPerFrame)} |`);
  lines.push(`| t-SNE (@keckelt/tsne, ${p.tsne.iterations} iterations) | ${p.tsne.points} × ${p.tsne.dims} | ${Math.round(p.tsne.msPerFrame)} |`);
  return lines.join('\n');
}
