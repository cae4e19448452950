// @ts-check
//! Without the WebGPU 'subgroups' feature (page URL ?subgroups=off: the worker does not ask for
//! it), whatever WebGPU does, the page must not train on a backend that failed its self-check,
//! and it says what happened. A browser without WebGPU at all trains on the CPU and says why, in words.

import { test } from 'node:test';
import { CHROMIUM_ARGS, openPage } from './browser.mjs';
import { WEBGPU_TIMEOUT, assert, waitForSession, waitForWebgpuCheck, withPage } from './helpers.mjs';

/** One step on whatever backend is active, seen in the status line. @param {any} page */
async function oneStep(page) {
  await waitForSession(page);
  await page.click('#step');
  await page.waitForFunction(() => document.querySelector('#step-count')?.textContent === '1');
}

test('without subgroups the page says so, and falls back to the CPU if the check fails', { timeout: WEBGPU_TIMEOUT }, () =>
  withPage(openPage('?subgroups=off#backend=webgpu'), async ({ page }) => {
    const check = await waitForWebgpuCheck(page, WEBGPU_TIMEOUT - 60_000);
    if (check.state === 'ok') {
      // Burn's kernels in this build do not need subgroups: WebGPU is fine, and the page says
      // it runs without them.
      await page.locator('#backend-status[data-backend="webgpu"]').waitFor({ timeout: WEBGPU_TIMEOUT });
      assert.match(await page.innerText('#backend-status'), /self-check passed.*\(without subgroups\)/);
    } else {
      assert.equal(check.backend, 'cpu');
      assert.match(check.text, /^CPU — WebGPU self-check failed: .*subgroups/);
    }
    await oneStep(page);
  }));

test('a browser without WebGPU trains on the CPU and shows why', { timeout: 300_000 }, async () => {
  // Chromium on Linux offers no WebGPU adapter without --enable-unsafe-webgpu.
  const saved = CHROMIUM_ARGS.splice(0, CHROMIUM_ARGS.length, ...CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu'));
  const opening = openPage('');
  try {
    await opening;
  } finally {
    CHROMIUM_ARGS.splice(0, CHROMIUM_ARGS.length, ...saved);
  }
  await withPage(opening, async ({ page }) => {
    const check = await waitForWebgpuCheck(page);
    assert.equal(check.state, 'unavailable', check.text);
    assert.equal(check.backend, 'cpu');
    // In words; the technical reason (wgpu's own, among it) is in the tooltip only.
    assert.match(check.text, /^This browser found no graphics adapter for WebGPU: training on the CPU\. · \d+ threads?$/);
    assert.match(await page.getAttribute('#backend-status', 'title') ?? '', /^WebGPU: navigator\.gpu\.requestAdapter\(\) returned null; /m);
    await oneStep(page);
  });
});
