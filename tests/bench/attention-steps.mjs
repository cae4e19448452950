// @ts-check
//! What the attention step-by-step view costs (issue 18), in headless Chromium on the CPU
//! backend, on the reversal task with 2 layers of 2 heads: the bytes read back per refresh (the
//! head's Q, K and V with the residual norms), the time of a Step with its evaluation and views
//! with the view open and closed (its difference is the view's refresh), a head switched in the
//! view (the worker's forward, readback and derivation, and the drawing), and steps/s while
//! training with the view open and closed, alternated in one run (this machine's speed drifts).
//! Prints a table and writes the JSON. Fails only when the page cannot run, never on a timing.
//!   KINDLING_URL=http://127.0.0.1:8000/ node tests/bench/attention-steps.mjs [--out bench/attention-steps.json] [--seconds 10] [--rounds 2]

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openPage } from '../e2e/browser.mjs';
import { setFields, stepCount, switchToSequences, waitForSequenceSession, waitForSession, pause } from '../e2e/helpers.mjs';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: 'bench/attention-steps.json' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    steps: { type: 'string', default: '12' },
  },
});
const seconds = Number(args.seconds);

/** @typedef {import('playwright-core').Page} Page */

/** @param {number[]} xs */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const isOpen = (/** @type {Page} */ page) => page.locator('#attention-steps-details').evaluate((d) => /** @type {HTMLDetailsElement} */ (d).open);

/** Opens or closes the view. @param {Page} page @param {boolean} open */
async function setOpen(page, open) {
  if ((await isOpen(page)) === open) return;
  await page.click(open ? '#attention-steps-details > summary' : '#steps-close');
}

/** Steps/s over `seconds` of Play, after a second of warm-up. @param {Page} page */
async function rate(page) {
  await page.click('#play');
  await page.locator('#play[data-running="true"]').waitFor();
  await page.waitForTimeout(1000);
  const step0 = await stepCount(page);
  const t0 = Date.now();
  await page.waitForTimeout(seconds * 1000);
  const steps = (await stepCount(page)) - step0;
  const perSecond = (steps * 1000) / (Date.now() - t0);
  await pause(page);
  return perSecond;
}

/** Milliseconds of one Step until its last view is drawn (the step view when open). @param {Page} page @param {boolean} open */
async function stepMs(page, open) {
  const next = (await stepCount(page)) + 1;
  const t0 = Date.now();
  await page.click('#step');
  await page.locator(`#predictions[data-step="${next}"]`).waitFor();
  if (open) await page.locator(`#attention-steps[data-step="${next}"]`).waitFor();
  return Date.now() - t0;
}

const { page, close } = await openPage('#backend=cpu');
/** @type {Record<string, any>} */
let summary;
try {
  page.setDefaultTimeout(120_000);
  await waitForSession(page);
  await switchToSequences(page);
  await setFields(page, { 'seq-layers': 2, 'seq-heads': 2 });
  await waitForSequenceSession(page);
  const evalEvery = Number(await page.inputValue('#train-eval-every'));
  await setOpen(page, true);
  await page.locator('#attention-steps[data-step]').waitFor();
  const bytes = Number(await page.getAttribute('#attention-steps', 'data-readback-bytes'));
  const attentionBytes = 4 * 2 * 2 * 8 * 8; // the grid's own readback: layers × heads × length²

  /** @type {Record<string, number[]>} */
  const step = { open: [], closed: [] };
  for (let i = 0; i < Number(args.steps); i++) {
    for (const open of [true, false]) {
      await setOpen(page, open);
      step[open ? 'open' : 'closed'].push(await stepMs(page, open));
    }
  }
  await setOpen(page, true);
  const at = String(await stepCount(page));
  await page.locator(`#attention-steps[data-step="${at}"]`).waitFor();
  const switches = [];
  for (let i = 0; i < Number(args.steps); i++) {
    const head = String((i + 1) % 2);
    const t0 = Date.now();
    await page.selectOption('#steps-head', { value: head });
    await page.locator(`#attention-steps[data-head="${head}"][data-step="${at}"]`).waitFor();
    switches.push(Date.now() - t0);
  }

  /** @type {Record<string, number[]>} */
  const rates = { open: [], closed: [] };
  for (let round = 0; round < Number(args.rounds); round++) {
    for (const open of [true, false]) {
      await setOpen(page, open);
      rates[open ? 'open' : 'closed'].push(await rate(page));
    }
  }
  const mean = (/** @type {number[]} */ xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  summary = {
    date: new Date().toISOString(), task: 'reverse, length 8, d_model 32, 2 layers × 2 heads (d_head 16)',
    evalEvery, seconds, readbackBytes: bytes, attentionReadbackBytes: attentionBytes,
    stepMsOpen: median(step.open), stepMsClosed: median(step.closed), headSwitchMs: median(switches),
    stepsPerSecOpen: mean(rates.open), stepsPerSecClosed: mean(rates.closed), rates, step, switches,
  };
  console.log(`readback per refresh: ${bytes} bytes (the attention maps' own: ${attentionBytes})`);
  console.log('\n| | view open | view closed |\n|---|---:|---:|');
  console.log(`| one Step with its views, median ms | ${summary.stepMsOpen} | ${summary.stepMsClosed} |`);
  console.log(`| steps/s (evaluation every ${evalEvery}) | ${summary.stepsPerSecOpen.toFixed(0)} (${rates.open.map((r) => r.toFixed(0)).join(' / ')}) | ${summary.stepsPerSecClosed.toFixed(0)} (${rates.closed.map((r) => r.toFixed(0)).join(' / ')}) |`);
  console.log(`\nanother head in the view, round trip: median ${summary.headSwitchMs} ms`);
} finally {
  await close();
}
mkdirSync(path.dirname(args.out), { recursive: true });
writeFileSync(args.out, `${JSON.stringify(summary, null, 2)}\n`);
console.log(`wrote ${args.out}`);
