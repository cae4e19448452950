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
import { benchTable, tableBenchTable } from './table.mjs';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: 'bench/results.json' },
    'wasm-bytes': { type: 'string' },
    'wasm-gzip-bytes': { type: 'string' },
    cpu: { type: 'string', default: '5' },
    webgpu: { type: 'string', default: '20' },
    timeout: { type: 'string', default: '600' },
    'tasks-max': { type: 'string' },
    subgroups: { type: 'string' },
  },
});

const query = new URLSearchParams({ cpu: String(args.cpu), webgpu: String(args.webgpu) });
if (args['tasks-max']) query.set('tasksMax', args['tasks-max']);
if (args.subgroups) query.set('subgroups', args.subgroups);
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
result = { wasm: { bytes: raw, gzipBytes: gzip }, ...result, consoleErrors, foreignRequests };

// TensorFlow.js on the same workload, for comparison (issue 7).
result.tfjs = await benchTfjs();

// Your own data (issue 5): a 50 MB CSV parsed, inferred and encoded in the worker; the tab's memory.
result.table = await benchTable(50);

mkdirSync(path.dirname(args.out), { recursive: true });
writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`\n${table(result)}\n\n${tfjsTable(result.tfjs)}\nwrote ${args.out}`);
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
  if (r.sequenceRuns?.length) {
    lines.push('', 'Transformers (reversal: vocab 16, length 8, d_model 32, 1 head, 1 layer, batch 64; char LM: d_model 128, 4 heads, 2 blocks, length 64, batch 32; Adam):', '',
      '| model | backend | parameters | time to first step | steps/s, loss every step | steps/s, loss every 10th | loss first → last |',
      '|---|---|---:|---:|---:|---:|---|');
    for (const s of r.sequenceRuns) {
      lines.push(`| ${s.model} | ${s.backend} | ${s.parameters} | ${ms(s.firstStepMs)} | ${s.readEvery1.stepsPerSec} | ${s.readEvery10.stepsPerSec} | ${s.loss.first.toFixed(3)} → ${s.loss.last.toFixed(3)} |`);
    }
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
