// @ts-check
//! WebGPU (SwiftShader in headless Chromium): the start-up self-check passes; 'auto' times the
//! model on both backends and trains on the faster; a forced WebGPU learns the spiral.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import {
  SPIRAL, WEBGPU_TIMEOUT, assert, pause, setFields, trainUntilAccuracy, waitForSession,
  waitForTiming, waitForWebgpuCheck, withPage,
} from './helpers.mjs';

test('auto: after the self-check, the model is timed on both backends and trains on the faster', { timeout: WEBGPU_TIMEOUT }, () =>
  withPage(openPage(''), async ({ page }) => {
    const check = await waitForWebgpuCheck(page, WEBGPU_TIMEOUT - 60_000);
    assert.equal(check.state, 'ok', check.text);
    const timed = await waitForTiming(page);
    assert.equal(timed.backend, timed.faster, timed.text);
    assert.ok(timed.winnerMs > 0 && timed.winnerMs <= timed.loserMs, timed.text);
    assert.match(timed.text, timed.faster === 'webgpu' ? /^WebGPU \(.+\) — self-check passed/ : /^CPU — WebGPU self-check passed/);
    // A step, on the backend chosen.
    await page.click('#step');
    await page.waitForFunction(() => document.querySelector('#step-count')?.textContent === '1', null, { timeout: WEBGPU_TIMEOUT });
    assert.equal(await page.getAttribute('#backend-status', 'data-backend'), timed.faster);
  }));

test('a forced WebGPU moves the page to WebGPU once the self-check passes', { timeout: WEBGPU_TIMEOUT }, () =>
  withPage(openPage('#backend=webgpu'), async ({ page }) => {
    const check = await waitForWebgpuCheck(page, WEBGPU_TIMEOUT - 60_000);
    assert.equal(check.state, 'ok', check.text);
    await page.locator('#backend-status[data-backend="webgpu"]').waitFor();
    assert.match(await page.innerText('#backend-status'), /^WebGPU \(.+\) — self-check passed, max diff /);
  }));

test('training the spiral on WebGPU reaches 95% test accuracy', { timeout: 2 * WEBGPU_TIMEOUT }, () =>
  withPage(openPage('#backend=webgpu'), async ({ page }) => {
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
    // Once the check passes, the run that started on the CPU stays there until a reset, which
    // times the model on both backends.
    const check = await waitForWebgpuCheck(page);
    assert.equal(check.state, 'ok', check.text);
    assert.equal(check.backend, 'cpu');
    assert.match(check.text, /timed at the next reset/);
    await pause(page);
    await page.click('#reset');
    const timed = await waitForTiming(page);
    assert.equal(timed.backend, timed.faster, timed.text);
  }));
