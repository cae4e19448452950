// @ts-check
//! WebGPU (SwiftShader in headless Chromium): the start-up self-check passes, the page moves to
//! WebGPU, and training there learns the spiral.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import {
  SPIRAL, WEBGPU_TIMEOUT, assert, setFields, trainUntilAccuracy, waitForSession, withPage,
} from './helpers.mjs';

test('the WebGPU self-check passes and the page trains on WebGPU', { timeout: WEBGPU_TIMEOUT }, () =>
  withPage(openPage(''), async ({ page }) => {
    const status = page.locator('#backend-status[data-backend="webgpu"][data-webgpu-state="ok"]');
    await status.waitFor({ timeout: WEBGPU_TIMEOUT - 60_000 });
    assert.match(await status.innerText(), /^WebGPU \(.+\) — self-check passed, max diff /);
  }));

test('training the spiral on WebGPU reaches 95% test accuracy', { timeout: 2 * WEBGPU_TIMEOUT }, () =>
  withPage(openPage(''), async ({ page }) => {
    await page.locator('#backend-status[data-backend="webgpu"]').waitFor({ timeout: WEBGPU_TIMEOUT });
    await waitForSession(page, WEBGPU_TIMEOUT);
    await setFields(page, SPIRAL, WEBGPU_TIMEOUT);
    assert.equal(await page.getAttribute('#backend-status', 'data-backend'), 'webgpu');
    const accuracy = await trainUntilAccuracy(page, 0.95, WEBGPU_TIMEOUT);
    assert.ok(accuracy >= 0.95, `test accuracy ${accuracy}`);
  }));
