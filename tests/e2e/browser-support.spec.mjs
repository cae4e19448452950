// @ts-check
//! A browser without what the page needs (WebAssembly SIMD, module workers) is told what is
//! missing and which browsers have it, and the page loads no wasm (www/browser-support.js).
//! Chromium has both, so an init script takes each away before the page's scripts run.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import { CPU_TIMEOUT, assert, waitForSession, withPage } from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** The notice, once shown, and what the page fetched. @param {Page} page */
async function notice(page) {
  const shown = page.locator('#unsupported:not([hidden])');
  await shown.waitFor({ timeout: CPU_TIMEOUT });
  // Give a worker that should not start the time to ask for the wasm.
  await page.waitForTimeout(1000);
  const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  return {
    text: await shown.innerText(),
    missing: await shown.getAttribute('data-missing'),
    fetched,
    play: await page.isDisabled('#play'),
  };
}

test('without WebAssembly SIMD the page says so and loads no wasm', { timeout: 120_000 }, () =>
  withPage(openPage('#backend=cpu', {
    // A browser without SIMD fails to validate any module that uses it.
    initScript: () => { WebAssembly.validate = () => false; },
  }), async ({ page, consoleErrors }) => {
    const shown = await notice(page);
    assert.equal(shown.missing, 'simd');
    assert.match(shown.text, /^Kindling cannot run in this browser: it lacks WebAssembly SIMD \(Chrome and Edge 91\+, Firefox 89\+, Safari 16\.4\+\)\. /);
    assert.ok(shown.play, 'Play stays disabled');
    assert.deepEqual(shown.fetched.filter((url) => /kindling_bg\.wasm|worker\.js|main\.js/.test(url)), []);
    assert.deepEqual(consoleErrors, []);
  }));

test('without module workers the page says so too', { timeout: 120_000 }, () =>
  withPage(openPage('#backend=cpu', {
    // Firefox before 114 threw on { type: 'module' }; SIMD is taken away as well: both are named.
    initScript: () => {
      const Classic = window.Worker;
      window.Worker = /** @type {any} */ (class extends Classic {
        /** @param {string | URL} url @param {WorkerOptions} [options] */
        constructor(url, options) {
          if (options?.type === 'module') throw new TypeError('Module scripts are not supported on DedicatedWorker yet.');
          super(url, options);
        }
      });
      WebAssembly.validate = () => false;
    },
  }), async ({ page }) => {
    const shown = await notice(page);
    assert.equal(shown.missing, 'simd, workers');
    assert.match(shown.text, /lacks WebAssembly SIMD \(.+\) and module workers \(Chrome and Edge 80\+, Firefox 114\+, Safari 15\+\)\. Open the page in a recent/);
    assert.ok(shown.play);
  }));

test('a browser that has it all shows no notice and starts', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    assert.equal(await page.isHidden('#unsupported'), true);
  }));
