// @ts-check
//! WebGPU (SwiftShader in headless Chromium): the start-up self-check passes, the page moves to
//! WebGPU, and training there learns the spiral.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import {
  SPIRAL, WEBGPU_TIMEOUT, assert, pause, setFields, trainUntilAccuracy, waitForSession,
  waitForWebgpuCheck, withPage,
} from './helpers.mjs';

test('the WebGPU self-check passes and the page moves to WebGPU', { timeout: WEBGPU_TIMEOUT }, () =>
  withPage(openPage(''), async ({ page }) => {
    const check = await waitForWebgpuCheck(page, WEBGPU_TIMEOUT - 60_000);
    assert.equal(check.state, 'ok', check.text);
    await page.locator('#backend-status[data-backend="webgpu"]').waitFor();
    assert.match(await page.innerText('#backend-status'), /^WebGPU \(.+\) — self-check passed, max diff /);
  }));

test('training the spiral on WebGPU reaches 95% test accuracy', { timeout: 2 * WEBGPU_TIMEOUT }, () =>
  withPage(openPage(''), async ({ page }) => {
    const check = await waitForWebgpuCheck(page);
    assert.equal(check.state, 'ok', check.text);
    await page.locator('#backend-status[data-backend="webgpu"]').waitFor({ timeout: WEBGPU_TIMEOUT });
    await waitForSession(page, WEBGPU_TIMEOUT);
    await setFields(page, SPIRAL, WEBGPU_TIMEOUT);
    assert.equal(await page.getAttribute('#backend-status', 'data-backend'), 'webgpu');
    const accuracy = await trainUntilAccuracy(page, 0.95, WEBGPU_TIMEOUT);
    assert.ok(accuracy >= 0.95, `test accuracy ${accuracy}`);
  }));

test('training starts at once on the CPU while WebGPU is being checked', { timeout: WEBGPU_TIMEOUT }, () =>
  withPage(openPage(''), async ({ page }) => {
    await waitForSession(page);
    await page.locator('#backend-status[data-webgpu-state="checking"]').waitFor();
    await page.click('#play');
    // Steps arrive from the CPU while the check (tens of seconds on SwiftShader, compiling its
    // kernels in this same worker between GPU waits) is still running.
    await page.waitForFunction(() => Number(document.querySelector('#step-count')?.textContent) >= 10, null,
      { timeout: 30_000 });
    const status = page.locator('#backend-status');
    assert.equal(await status.getAttribute('data-backend'), 'cpu');
    assert.equal(await status.getAttribute('data-webgpu-state'), 'checking');
    // Once the check passes, the run that started on the CPU stays there until a reset.
    const check = await waitForWebgpuCheck(page);
    assert.equal(check.state, 'ok', check.text);
    assert.equal(check.backend, 'cpu');
    assert.match(check.text, /takes over at the next reset/);
    await pause(page);
    await page.click('#reset');
    await page.locator('#backend-status[data-backend="webgpu"]').waitFor({ timeout: WEBGPU_TIMEOUT });
  }));
