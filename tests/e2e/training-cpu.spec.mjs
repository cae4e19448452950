// @ts-check
//! Training from the UI on the CPU backend (wasm, Burn's flex): accuracy, pause, the live
//! decision boundary, and the divergence message.

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
