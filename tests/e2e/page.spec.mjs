// @ts-check
//! The page itself: it loads cleanly and offline, keeps its settings in the URL, and shows a
//! rejected setting's error while keeping the model it had.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import { assert, setField, waitForSession, waitForWebgpuCheck, withPage } from './helpers.mjs';

test('the page loads with no console errors and no request outside its origin', { timeout: 600_000 }, () =>
  withPage(openPage(''), async ({ page, consoleErrors, foreignRequests }) => {
    await waitForSession(page);
    // Wait for the WebGPU check too: its errors would land in the console.
    await waitForWebgpuCheck(page, 540_000);
    // The untrained model is evaluated and drawn at step 0.
    await page.waitForFunction(() => document.querySelector('#test-loss')?.getAttribute('data-value'));
    await page.locator('#boundary-canvas[data-step="0"]').waitFor();
    assert.equal(await page.textContent('#step-count'), '0');
    assert.equal(await page.textContent('#messages'), '');
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(foreignRequests, []);
  }));

test('settings live in the URL hash and survive a reload', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    await setField(page, 'data-kind', 'circles');
    await setField(page, 'train-learning-rate', 0.03);
    await page.click('#add-layer');
    await page.locator('#layer-2-units').waitFor();
    await setField(page, 'layer-2-activation', 'tanh');
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /data\.kind=circles/);
    assert.match(hash, /train\.learningRate=0\.03/);
    assert.match(hash, /backend=cpu/);
    assert.doesNotMatch(hash, /noise/, 'only values that differ from the defaults are in the hash');

    await page.reload();
    await waitForSession(page);
    assert.equal(await page.inputValue('#data-kind'), 'circles');
    assert.equal(await page.inputValue('#train-learning-rate'), '0.03');
    assert.equal(await page.textContent('#layer-count'), '3');
    assert.equal(await page.inputValue('#layer-2-activation'), 'tanh');
    assert.equal(await page.inputValue('#backend-choice'), 'cpu');
  }));

test('a setting out of range shows its error and keeps the model', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    const units = await page.inputValue('#layer-0-units');
    const hash = await page.evaluate(() => location.hash);
    await page.fill('#layer-0-units', '300');
    await page.press('#layer-0-units', 'Tab');
    const error = page.locator('[data-testid="error-message"]');
    await error.waitFor();
    assert.match(await error.innerText(), /units/i);
    // The control shows the setting in force again, and the URL did not take the bad value.
    await page.waitForFunction(
      (u) => /** @type {HTMLInputElement | null} */ (document.querySelector('#layer-0-units'))?.value === u, units);
    assert.equal(await page.evaluate(() => location.hash), hash);
    // The previous model is still there and trains.
    await page.click('#step');
    await page.waitForFunction(() => document.querySelector('#step-count')?.textContent === '1');
  }));

test('quick edits all apply, and an edited link is followed', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    // Two edits before the worker has answered the first.
    await page.fill('#data-noise', '0.3');
    await page.fill('#train-batch-size', '32');
    await page.press('#train-batch-size', 'Tab');
    await page.selectOption('#data-kind', 'xor');
    await page.waitForFunction(() => ['data.kind=xor', 'data.noise=0.3', 'train.batchSize=32']
      .every((s) => location.hash.includes(s)));
    // Each edit built on the one before, so none was lost.
    assert.equal(await page.inputValue('#train-batch-size'), '32');

    await page.evaluate(() => { location.hash = '#data.kind=circles&backend=cpu'; });
    await page.waitForFunction(
      () => /** @type {HTMLSelectElement | null} */ (document.querySelector('#data-kind'))?.value === 'circles');
    // What the link does not name is back at its default.
    await page.waitForFunction(
      () => /** @type {HTMLInputElement | null} */ (document.querySelector('#train-batch-size'))?.value !== '32');
    assert.equal(await page.evaluate(() => location.hash), '#data.kind=circles&backend=cpu');
  }));
