// @ts-check
//! What the network diagram (issue 17) costs training, measured in headless Chromium on the CPU
//! backend: steps/s of the default spiral MLP (2 × 64 ReLU, the units read with the boundary at
//! every evaluation, every 50 steps) with the diagram shown and hidden, alternated in one page
//! and one run, as this machine's speed drifts; and how many diagrams were drawn while shown.
//! Prints a table and writes the JSON. Fails only when the page cannot run, never on a timing.
//!   KINDLING_URL=http://127.0.0.1:8000/ node tests/bench/diagram-cost.mjs [--out bench/diagram-cost.json] [--seconds 10] [--rounds 3]

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openPage } from '../e2e/browser.mjs';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: 'bench/diagram-cost.json' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
  },
});
const seconds = Number(args.seconds);

/** @typedef {import('playwright-core').Page} Page */

/** @param {number[]} xs */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Trains for `seconds` with the diagram `shown` or not: steps/s from the step count (after a
 * second that holds the start of the run), and the diagrams drawn meanwhile.
 * @param {Page} page @param {boolean} shown
 */
async function round(page, shown) {
  const open = await page.evaluate(() => /** @type {HTMLDetailsElement} */ (document.querySelector('#diagram-details')).open);
  if (open !== shown) await page.click('#diagram-details summary');
  await page.click('#play');
  await page.locator('#play[data-running="true"]').waitFor();
  await page.waitForTimeout(1000);
  const drawn0 = await page.evaluate(() => /** @type {any} */ (window).diagramDraws);
  const step0 = Number(await page.textContent('#step-count'));
  const t0 = Date.now();
  await page.waitForTimeout(seconds * 1000);
  const steps = Number(await page.textContent('#step-count')) - step0;
  const ms = Date.now() - t0;
  const drawn = (await page.evaluate(() => /** @type {any} */ (window).diagramDraws)) - drawn0;
  await page.click('#play');
  await page.locator('#play[data-running="false"]').waitFor();
  return { stepsPerSec: (steps * 1000) / ms, drawn };
}

const { page, close } = await openPage('?autosave=off#backend=cpu');
/** @type {{ shown: number[], hidden: number[], drawnShown: number[], drawnHidden: number[] }} */
const runs = { shown: [], hidden: [], drawnShown: [], drawnHidden: [] };
try {
  await page.locator('#play:not([disabled])').waitFor({ timeout: 120_000 });
  // Counts the diagrams drawn (each sets #diagram's data-step).
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.diagramDraws = 0;
    new MutationObserver(() => { w.diagramDraws++; })
      .observe(/** @type {Element} */ (document.querySelector('#diagram')), { attributeFilter: ['data-step'] });
  });
  for (let r = 0; r < Number(args.rounds); r++) {
    // Alternate which comes first, so a drift favours neither.
    for (const shown of r % 2 ? [false, true] : [true, false]) {
      const { stepsPerSec, drawn } = await round(page, shown);
      runs[shown ? 'shown' : 'hidden'].push(stepsPerSec);
      runs[shown ? 'drawnShown' : 'drawnHidden'].push(drawn);
    }
  }
} finally {
  await close();
}

const shown = median(runs.shown), hidden = median(runs.hidden);
const rows = [
  { diagram: 'shown', medianStepsPerSec: Math.round(shown), stepsPerSec: runs.shown.map(Math.round), drawn: runs.drawnShown },
  { diagram: 'hidden', medianStepsPerSec: Math.round(hidden), stepsPerSec: runs.hidden.map(Math.round), drawn: runs.drawnHidden },
];
console.table(rows);
const cost = 1 - shown / hidden;
console.log(`the diagram shown costs ${(100 * cost).toFixed(1)}% of the steps per second`);
mkdirSync(path.dirname(args.out), { recursive: true });
writeFileSync(args.out, `${JSON.stringify({ date: new Date().toISOString(), seconds, rows, cost }, null, 2)}\n`);
console.log(`wrote ${args.out}`);
