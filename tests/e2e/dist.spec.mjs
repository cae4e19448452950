// @ts-check
//! The static site (`cargo xtask dist`, issue 16), served the way a host serves it: from a
//! sub-path (/kindling/) by a server that is not xtask's (static-server.mjs). There it trains, its
//! share link reopens the model and a model file imports; after one visit it opens and trains
//! with the network off, cross-origin isolated by its service worker (so on the threaded build); a newer build deployed is offered, and the page reloads into it only
//! when asked, with the model kept. `cargo xtask test` writes the site and sets KINDLING_DIST.

import { test } from 'node:test';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPage } from './browser.mjs';
import { serveFolder } from './static-server.mjs';
import { CPU_TIMEOUT, assert, pause, stepCount, waitForSession, withPage } from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** A copy of the site under a parent folder, as /kindling/ of a fresh server. */
async function hostSite() {
  const dist = process.env.KINDLING_DIST;
  if (!dist) throw new Error('KINDLING_DIST is not set: run the browser tests with `cargo xtask test`');
  const parent = mkdtempSync(path.join(tmpdir(), 'kindling-site-'));
  const site = path.join(parent, 'kindling');
  cpSync(dist, site, { recursive: true });
  const server = await serveFolder(parent);
  return {
    site, server, base: server.url('kindling/'),
    remove: async () => {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/** Presses Play until the step count passes `steps`, then Pause. @param {Page} page @param {number} steps */
async function trainPast(page, steps) {
  await page.click('#play');
  await page.waitForFunction((n) => Number(document.querySelector('#step-count')?.textContent) > n,
    steps, { timeout: CPU_TIMEOUT, polling: 100 });
  await pause(page);
  return stepCount(page);
}

/** Waits until the service worker controls the page (its first visit's worker claims it). @param {Page} page */
async function waitForServiceWorker(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: CPU_TIMEOUT });
}

test('the site at a sub-path of another server trains, its share link reopens the model, a model file imports', { timeout: 600_000 }, async () => {
  const host = await hostSite();
  try {
    let link = '';
    let step = 0;
    let file = '';
    await withPage(openPage('#backend=cpu', { base: host.base }), async ({ page, consoleErrors, foreignRequests }) => {
      await waitForSession(page);
      step = await trainPast(page, 20);
      await page.click('#share');
      await page.locator('#share-panel[data-pending="false"]').waitFor({ timeout: CPU_TIMEOUT });
      link = await page.inputValue('#share-link');
      assert.equal(new URL(link).pathname, '/kindling/', link.slice(0, 100));
      // Served from 127.0.0.1: the panel says the link opens only here, and how to get one that does not.
      assert.match(await page.locator('#share-local').innerText(), /only on this computer.*127\.0\.0\.1.*xtask dist/s);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-model')]);
      file = path.join(path.dirname(host.site), download.suggestedFilename());
      await download.saveAs(file);
      assert.deepEqual(consoleErrors, []);
      assert.deepEqual(foreignRequests, []);
    });
    await withPage(openPage(new URL(link).hash, { base: host.base }), async ({ page, consoleErrors }) => {
      await page.locator(`#step-count:text-is("${step}")`).waitFor({ timeout: CPU_TIMEOUT });
      await page.click('#reset');
      await page.locator('#step-count:text-is("0")').waitFor();
      await page.setInputFiles('#import-model', file);
      await page.locator(`#step-count:text-is("${step}")`).waitFor({ timeout: CPU_TIMEOUT });
      assert.deepEqual(consoleErrors, []);
    });
    // Everything the browsers fetched was under the sub-path: relative paths throughout.
    const outside = host.server.requests.filter((p) => !p.startsWith('/kindling/'));
    assert.deepEqual(outside, []);
  } finally {
    await host.remove();
  }
});

test('after one visit the page opens and trains with the server gone and the network off', { timeout: 600_000 }, async () => {
  const host = await hostSite();
  try {
    await withPage(openPage('#backend=cpu', { base: host.base }), async ({ page, browser, consoleErrors }) => {
      await waitForSession(page);
      await waitForServiceWorker(page);
      await host.server.stop();
      await browser.setOffline(true);
      const before = host.server.requests.length;
      await page.reload();
      await waitForSession(page);
      assert.ok(await trainPast(page, 20) > 20);
      assert.equal(host.server.requests.length, before, 'nothing reached the server');
      // The service worker isolates the page it serves: the threaded build loads (from its
      // cache) and the model is timed on one thread and on the pool.
      assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'served by the service worker, the page is isolated');
      await page.waitForFunction(() => /faster for this model/.test(document.querySelector('#backend-status')?.getAttribute('title') ?? ''),
        null, { timeout: CPU_TIMEOUT });
      assert.deepEqual(consoleErrors, []);
    });
  } finally {
    await host.remove();
  }
});

test('a newer build deployed is offered, and the page reloads into it only when asked, keeping the model', { timeout: 600_000 }, async () => {
  const host = await hostSite();
  try {
    await withPage(openPage('#backend=cpu', { base: host.base }), async ({ page, consoleErrors }) => {
      await waitForSession(page);
      await waitForServiceWorker(page);
      const version = /** @type {string} */ (await page.getAttribute('meta[name="kindling-build"]', 'content'));
      // A new build: a new version in sw.js (and so a new cache) and in the page.
      const next = `${version}-next`;
      for (const name of ['sw.js', 'index.html']) {
        const file = path.join(host.site, name);
        const text = readFileSync(file, 'utf8');
        const changed = name === 'sw.js'
          ? text.replace(`version: '${version}'`, `version: '${next}'`)
          : text.replace(`content="${version}"`, `content="${next}"`);
        assert.notEqual(changed, text, name);
        writeFileSync(file, changed);
      }
      await page.click('#play');
      await page.locator('#play[data-running="true"]').waitFor();
      // What an open tab does every half hour, and a browser on each visit.
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
      const offer = page.locator('[data-testid="update-message"]');
      await offer.waitFor({ timeout: CPU_TIMEOUT });
      assert.match(await offer.innerText(), /new version of Kindling is ready/);
      // Offered, not forced: training goes on under the offer.
      const during = await stepCount(page);
      await page.waitForFunction((n) => Number(document.querySelector('#step-count')?.textContent) > n + 5, during);
      assert.equal(await page.getAttribute('meta[name="kindling-build"]', 'content'), version);

      await Promise.all([page.waitForEvent('load', { timeout: CPU_TIMEOUT }), offer.locator('button.message-action').click()]);
      await page.locator('[data-testid="restored-message"]').waitFor({ timeout: CPU_TIMEOUT });
      assert.equal(await page.getAttribute('meta[name="kindling-build"]', 'content'), next);
      assert.ok(await stepCount(page) > during, 'the model trained before the reload came back');
      assert.deepEqual(await page.evaluate(() => caches.keys()), [`kindling-${next}`]);
      assert.deepEqual(consoleErrors, []);
    });
  } finally {
    await host.remove();
  }
});

test('on a host that is not this computer the share panel says nothing about 127.0.0.1', { timeout: 300_000 }, async () => {
  const host = await hostSite();
  try {
    const base = `http://kindling.test:${host.server.port}/kindling/`;
    const args = ['--host-resolver-rules=MAP kindling.test 127.0.0.1'];
    await withPage(openPage('#backend=cpu', { base, args }), async ({ page }) => {
      await waitForSession(page);
      await trainPast(page, 2);
      await page.click('#share');
      await page.locator('#share-panel[data-pending="false"]').waitFor({ timeout: CPU_TIMEOUT });
      assert.ok((await page.inputValue('#share-link')).startsWith(base));
      assert.equal(await page.locator('#share-local').isVisible(), false);
    });
  } finally {
    await host.remove();
  }
});
