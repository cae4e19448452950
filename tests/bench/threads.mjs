// @ts-check
//! Runs bench-threads.html in headless Chromium: the benchmark's three workloads on the CPU in the
//! single-threaded build and the threaded one (issue 20, item 4), prints a markdown table and
//! writes the JSON. Started by `cargo xtask bench` (which serves the app cross-origin isolated
//! and sets KINDLING_URL) with the builds' sizes:
//!   node tests/bench/threads.mjs --out bench/threads.json [--cpu SECONDS] [--threads N]
//!        [--sizes JSON]
//! Fails only when the benchmark cannot run, never on a timing.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openPage } from '../e2e/browser.mjs';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: 'bench/threads.json' },
    cpu: { type: 'string', default: '5' },
    threads: { type: 'string' },
    sizes: { type: 'string', default: '{}' },
  },
});

const query = new URLSearchParams({ cpu: args.cpu });
if (args.threads) query.set('threads', args.threads);
const { page, close } = await openPage(`bench-threads.html?${query}`, {
  onConsole: (msg) => {
    const text = msg.text();
    if (text.startsWith('[bench] ')) console.log(`  ${text.slice(8)}`);
    else if (msg.type() === 'error' || msg.type() === 'warning') console.log(`  (${msg.type()}) ${text}`);
  },
});
let result;
try {
  await page.waitForFunction(() => /** @type {any} */ (window).benchResult || /** @type {any} */ (window).benchError,
    null, { timeout: 1_200_000, polling: 500 });
  const error = await page.evaluate(() => /** @type {any} */ (window).benchError);
  if (error) throw new Error(`the threads benchmark failed in the page: ${error}`);
  result = await page.evaluate(() => /** @type {any} */ (window).benchResult);
} finally {
  await close();
}
result.sizes = JSON.parse(args.sizes);

/** @type {Record<string, Record<string, any>>} */
const by = {};
for (const run of result.runs) (by[run.workload] ??= {})[run.build] = run;
console.log(`\n| workload (CPU, ${result.cores} cores, pool of ${result.threads}) | single-threaded steps/s | threaded steps/s | threaded ÷ single | first step single / threaded |`);
console.log('|---|---|---|---|---|');
for (const [workload, { single, threads }] of Object.entries(by)) {
  console.log(`| ${workload} | ${single.stepsPerSec} | ${threads.stepsPerSec} | ${(threads.stepsPerSec / single.stepsPerSec).toFixed(2)}× | ${single.firstStepMs} / ${threads.firstStepMs} ms |`);
}
console.log(`\ninstantiate: single ${result.instantiateMs.single} ms, threads ${result.instantiateMs.threads} ms (with the pool)`);
mkdirSync(path.dirname(args.out), { recursive: true });
writeFileSync(args.out, JSON.stringify(result, null, 2));
console.log(`wrote ${args.out}`);
