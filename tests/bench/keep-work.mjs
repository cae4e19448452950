// @ts-check
//! What keeping the user's work costs (issue 15), measured in headless Chromium on the CPU
//! backend: each autosave (bytes, milliseconds), steps/s with autosave on and off (alternated,
//! in one run, as this machine's speed drifts), and the time from a reload to the restored model.
//! Prints a table and writes the JSON. Fails only when the page cannot run, never on a timing.
//!   KINDLING_URL=http://127.0.0.1:8000/ node tests/bench/keep-work.mjs [--out bench/keep-work.json] [--seconds 12]

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openPage } from '../e2e/browser.mjs';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: 'bench/keep-work.json' },
    seconds: { type: 'string', default: '12' },
    rounds: { type: 'string', default: '2' },
  },
});
const seconds = Number(args.seconds);

/**
 * Trains the default spiral for `seconds` and reads steps/s from the step count (after the first
 * two seconds, which hold the start-up).
 * @param {string} query
 */
async function trainFor(query) {
  const { page, close } = await openPage(`?testhooks${query}#backend=cpu`);
  try {
    await page.locator('#play:not([disabled])').waitFor({ timeout: 120_000 });
    await page.click('#play');
    await page.waitForTimeout(2000);
    const step0 = Number(await page.textContent('#step-count'));
    const t0 = Date.now();
    await page.waitForTimeout(seconds * 1000);
    const steps = Number(await page.textContent('#step-count')) - step0;
    const rate = (steps * 1000) / (Date.now() - t0);
    await page.click('#play');
    await page.locator('#play[data-running="false"]').waitFor();
    /** @type {{ ok: boolean, bytes: number, ms: number }[]} */
    const saves = await page.evaluate(() => /** @type {any} */ (window).kindlingAutosaves);
    let reloadMs = null;
    if (query === '') {
      const step = Number(await page.textContent('#step-count'));
      await page.locator(`#autosave-status[data-step="${step}"]`).waitFor();
      const t = Date.now();
      await page.reload();
      await page.locator('[data-testid="restored-message"]').waitFor({ timeout: 120_000 });
      await page.locator('#play:not([disabled])').waitFor();
      reloadMs = Date.now() - t;
    }
    return { rate, saves: saves.filter((s) => s.ok), reloadMs };
  } finally {
    await close();
  }
}

const runs = [];
for (let round = 0; round < Number(args.rounds); round++) {
  for (const [label, query] of [['autosave on', ''], ['autosave off', '&autosave=off']]) {
    const run = await trainFor(query);
    runs.push({ label, ...run });
    const ms = run.saves.map((s) => s.ms);
    console.log(`${label}: ${run.rate.toFixed(0)} steps/s; ${run.saves.length} saves` +
      (ms.length ? `, ${Math.min(...ms).toFixed(1)}–${Math.max(...ms).toFixed(1)} ms, ${run.saves[0].bytes} bytes each` : '') +
      (run.reloadMs !== null ? `; reload to restored model ${run.reloadMs} ms` : ''));
  }
}
const mean = (/** @type {number[]} */ xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const on = runs.filter((r) => r.label === 'autosave on');
const off = runs.filter((r) => r.label === 'autosave off');
const saveMs = on.flatMap((r) => r.saves.map((s) => s.ms));
const summary = {
  date: new Date().toISOString(), seconds,
  stepsPerSecOn: mean(on.map((r) => r.rate)), stepsPerSecOff: mean(off.map((r) => r.rate)),
  saveMsMean: mean(saveMs), saveMsMax: Math.max(0, ...saveMs), saveBytes: on[0]?.saves[0]?.bytes ?? null,
  reloadToRestoredMs: on.map((r) => r.reloadMs),
  runs: runs.map(({ label, rate, saves, reloadMs }) => ({ label, rate, saves: saves.length, reloadMs })),
};
console.log('\n| | autosave on | autosave off |\n|---|---|---|');
console.log(`| steps/s (default spiral, CPU) | ${summary.stepsPerSecOn.toFixed(0)} | ${summary.stepsPerSecOff.toFixed(0)} |`);
console.log(`\none save: ${summary.saveMsMean.toFixed(1)} ms mean, ${summary.saveMsMax.toFixed(1)} ms max, ${summary.saveBytes} bytes; ` +
  `reload to restored model: ${summary.reloadToRestoredMs.join(', ')} ms`);
mkdirSync(path.dirname(args.out), { recursive: true });
writeFileSync(args.out, `${JSON.stringify(summary, null, 2)}\n`);
console.log(`wrote ${args.out}`);
