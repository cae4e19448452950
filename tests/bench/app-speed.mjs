// @ts-check
//! The app's own training speed for the benchmark's workloads (issue 20): index.html opened with
//! the workload's settings in its URL and the CPU backend forced, Play clicked, and the step count
//! in the status line read while every view of the mode draws (loss chart, boundary or attention
//! grid, metrics). The bench worker's figure for the same workload runs in the same sitting, so
//! `run.mjs` prints the two side by side. Never fails on a timing.

import { openPage } from '../e2e/browser.mjs';

/** The workloads, as URL hashes the page reads (www/state.js): the bench worker's settings. */
export const APP_WORKLOADS = {
  // www/bench-worker.js: the default MLP (2 × 64 ReLU, Adam) at batch 256.
  'spiral MLP': '#backend=cpu&train.batchSize=256',
  // The sequence defaults: reversal, 16 symbols, length 8, d_model 32, 1 head, 1 layer, batch 64.
  reversal: '#mode=sequences&backend=cpu',
  'char LM': '#mode=sequences&backend=cpu&data.task=text&data.length=64&model.dModel=128&model.heads=4&model.layers=2&train.batchSize=32',
};

/** Trained before the count starts (the first steps, the first evaluation). */
const WARM_MS = 2_000;

/**
 * Steps per second of the app training `workload` for `ms` after a warm-up.
 * @param {keyof typeof APP_WORKLOADS} workload @param {number} ms
 * @returns {Promise<{ workload: string, stepsPerSec: number, steps: number, seconds: number }>}
 */
export async function appSpeed(workload, ms) {
  const app = await openPage(APP_WORKLOADS[workload]);
  try {
    const { page } = app;
    const play = page.locator('#play');
    await page.waitForFunction(() => !(/** @type {HTMLButtonElement} */ (document.querySelector('#play'))).disabled, null,
      { timeout: 120_000, polling: 200 });
    const stepNow = async () => Number((await page.textContent('#step-count'))?.replace(/\D/g, '') || 0);
    await play.click();
    await page.waitForFunction(() => Number(document.querySelector('#step-count')?.textContent?.replace(/\D/g, '') || 0) >= 1,
      null, { timeout: 300_000, polling: 100 });
    await page.waitForTimeout(WARM_MS);
    const [s0, t0] = [await stepNow(), Date.now()];
    await page.waitForTimeout(ms);
    const [s1, t1] = [await stepNow(), Date.now()];
    const seconds = (t1 - t0) / 1000;
    const stepsPerSec = Math.round(((s1 - s0) / seconds) * 10) / 10;
    console.log(`  app, ${workload} (CPU, views live): ${stepsPerSec} steps/s (${s1 - s0} steps in ${seconds.toFixed(1)} s)`);
    return { workload, stepsPerSec, steps: s1 - s0, seconds };
  } finally {
    await app.close();
  }
}
