// @ts-check
//! Training from the UI on the CPU backend (wasm, Burn's flex): accuracy, pause, the live
//! decision boundary, and the divergence message; a model fast enough to report dozens of
//! boundaries a second is painted once a frame, and its Pause is answered without a backlog.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import {
  CPU_TIMEOUT, SPIRAL, assert, chooseBackend, pause, setFields, stepCount, trainUntilAccuracy, waitForSession, withPage,
} from './helpers.mjs';

test('training the spiral on the CPU reaches 95% test accuracy', { timeout: 600_000 }, () =>
  withPage(openPage(''), async ({ page }) => {
    await waitForSession(page);
    await chooseBackend(page, 'cpu', 'cpu');
    await setFields(page, SPIRAL);
    const accuracy = await trainUntilAccuracy(page, 0.95, 420_000);
    assert.ok(accuracy >= 0.95, `test accuracy ${accuracy}`);
    assert.match(await page.textContent('#backend-status') ?? '', /^CPU/);
  }));

test('pause stops the step count', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    await page.click('#play');
    await page.waitForFunction(() => Number(document.querySelector('#step-count')?.textContent) >= 50, null,
      { timeout: CPU_TIMEOUT });
    await pause(page);
    const first = await stepCount(page);
    await page.waitForTimeout(1500);
    assert.equal(await stepCount(page), first);
    assert.equal(await page.textContent('#steps-per-sec'), '0');
  }));

test('a fast model\'s boundaries are painted once a frame, and Pause is answered before a backlog of reports', { timeout: 300_000 }, () =>
  // Zero init, two tiny sigmoid layers: thousands of steps a second, an evaluation every 50.
  withPage(openPage(`#backend=cpu&model.hidden=${encodeURIComponent('4:sigmoid:0,3:sigmoid:0')}&model.init=zeros`, {
    initScript: () => {
      const seen = /** @type {any} */ (window).seen = { boundaries: 0, progress: 0, paints: 0, frames: 0 };
      const Base = window.Worker;
      window.Worker = class extends Base {
        /** @param {ConstructorParameters<typeof Worker>} args */
        constructor(...args) {
          super(...args);
          this.addEventListener('message', ({ data }) => {
            if (data.type === 'boundary') seen.boundaries++;
            if (data.type === 'progress') seen.progress++;
          });
        }
      };
      const frame = () => { seen.frames++; requestAnimationFrame(frame); };
      requestAnimationFrame(frame);
      addEventListener('DOMContentLoaded', () => new MutationObserver(() => seen.paints++)
        .observe(/** @type {Element} */ (document.querySelector('#boundary-canvas')), { attributeFilter: ['data-step'] }));
    },
  }), async ({ page }) => {
    await waitForSession(page);
    await page.click('#play');
    await page.waitForFunction(() => Number(document.querySelector('#step-count')?.textContent) >= 2000, null,
      { timeout: CPU_TIMEOUT });
    const seen = () => page.evaluate(() => ({ .../** @type {any} */ (window).seen }));
    const before = await seen();
    await page.waitForTimeout(3000);
    const during = await seen();
    const [boundaries, paints, frames] = [during.boundaries - before.boundaries, during.paints - before.paints, during.frames - before.frames];
    assert.ok(boundaries > 20, `a fast model: ${boundaries} boundaries in 3 s`);
    assert.ok(paints <= frames + 1, `${paints} boundary paints in ${frames} frames (${boundaries} boundaries came)`);
    // The worker stops within a batch of hearing Pause: the page hears of it after a few more
    // reports, not after the hundreds a page that painted each one left queued.
    const atPause = await page.evaluate(() => {
      /** @type {HTMLElement} */ (document.querySelector('#play')).click();
      return /** @type {any} */ (window).seen.progress;
    });
    await page.locator('#play[data-running="false"]').waitFor({ timeout: CPU_TIMEOUT });
    const after = (await seen()).progress - atPause;
    assert.ok(after <= 10, `${after} progress reports came between Pause and its answer`);
  }));

test('the decision boundary changes while training', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    const canvas = page.locator('#boundary-canvas');
    const untrained = await canvas.evaluate((c) => /** @type {HTMLCanvasElement} */ (c).toDataURL());
    await page.click('#play');
    // A redraw after at least 100 steps.
    await page.waitForFunction(() => Number(document.querySelector('#boundary-canvas')?.getAttribute('data-step')) >= 100,
      null, { timeout: CPU_TIMEOUT });
    const trained = await canvas.evaluate((c) => /** @type {HTMLCanvasElement} */ (c).toDataURL());
    await pause(page);
    assert.notEqual(trained, untrained);
  }));

test('a huge learning rate shows the divergence message and pauses', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    // Mean squared error on the plane overflows within a few steps at this rate (a ReLU
    // classifier's units would rather die, leaving an absurd but finite loss).
    await setFields(page, { 'data-kind': 'plane', 'train-optimizer': 'sgd', 'train-learning-rate': 10 });
    await page.click('#play');
    const message = page.locator('[data-testid="diverged-message"]');
    await message.waitFor({ timeout: CPU_TIMEOUT });
    assert.match(await message.innerText(), /Loss became (NaN|infinite) at step \d+\. Try a lower learning rate\./);
    await page.locator('#play[data-running="false"]').waitFor({ timeout: CPU_TIMEOUT });
  }));
