// @ts-check
//! Without the WebGPU 'subgroups' feature (page URL ?subgroups=off: the worker does not ask for
//! it) Burn's kernels cannot run: the self-check fails, the page trains on the CPU and says why.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import { WEBGPU_TIMEOUT, assert, waitForSession, withPage } from './helpers.mjs';

test('without subgroups the page falls back to the CPU and shows why', { timeout: WEBGPU_TIMEOUT }, () =>
  withPage(openPage('?subgroups=off'), async ({ page }) => {
    const status = page.locator('#backend-status[data-webgpu-state="failed"], #backend-status[data-webgpu-state="unavailable"]');
    await status.waitFor({ timeout: WEBGPU_TIMEOUT - 60_000 });
    assert.equal(await status.getAttribute('data-backend'), 'cpu');
    assert.match(await status.innerText(), /^CPU — WebGPU (self-check failed|unavailable): .*subgroups/);
    // It still trains, on the CPU.
    await waitForSession(page);
    await page.click('#step');
    await page.waitForFunction(() => document.querySelector('#step-count')?.textContent === '1');
  }));
