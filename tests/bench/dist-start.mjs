// @ts-check
//! How fast the static site (`cargo xtask dist`) starts, in headless Chromium on the CPU backend:
//! the time from navigation to a page ready to train (Play enabled, the first boundary drawn) on a
//! first visit (empty caches, everything from the network), then on repeat visits from the
//! service worker's cache and, alternated with them in the same run, from the network (DevTools'
//! switches bypass the service worker and the HTTP cache), and offline (server stopped).
//! The server is local, so "network" here costs the transfer over loopback only: what it shows is
//! what the cache saves besides the wire (a real network adds the 3 MB gzipped wasm's download).
//! Prints a table and writes the JSON. Fails only when the page cannot run, never on a timing.
//!   KINDLING_DIST=dist node tests/bench/dist-start.mjs [--out bench/dist-start.json] [--rounds 3]

import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openPage } from '../e2e/browser.mjs';
import { serveFolder } from '../e2e/static-server.mjs';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: 'bench/dist-start.json' },
    rounds: { type: 'string', default: '3' },
  },
});
const dist = process.env.KINDLING_DIST ?? 'dist';

/** @typedef {import('playwright-core').Page} Page */

/** Milliseconds from navigation to a page ready to train. @param {Page} page */
async function readyAt(page) {
  await page.waitForFunction(() => document.querySelector('#boundary-canvas[data-step="0"]') &&
    !(/** @type {HTMLButtonElement} */ (document.querySelector('#play')).disabled), undefined,
  { timeout: 180_000, polling: 'raf' });
  return page.evaluate(() => performance.now());
}

/** @param {number[]} xs */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const parent = mkdtempSync(path.join(tmpdir(), 'kindling-site-'));
cpSync(dist, path.join(parent, 'kindling'), { recursive: true });
const server = await serveFolder(parent);
const { page, close } = await openPage('#backend=cpu', { base: server.url('kindling/') });
/** @type {Record<string, number[]>} */
const times = { first: [], network: [], serviceWorker: [], offline: [] };
try {
  times.first.push(await readyAt(page));
  await page.evaluate(() => navigator.serviceWorker.ready);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  /** @param {boolean} network */
  const reload = async (network) => {
    await cdp.send('Network.setBypassServiceWorker', { bypass: network });
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: network });
    await page.reload();
    return readyAt(page);
  };
  for (let round = 0; round < Number(args.rounds); round++) {
    times.network.push(await reload(true));
    times.serviceWorker.push(await reload(false));
  }
  await server.stop();
  await page.context().setOffline(true);
  for (let round = 0; round < Number(args.rounds); round++) times.offline.push(await reload(false));
} finally {
  await close();
  rmSync(parent, { recursive: true, force: true });
}

const rows = Object.entries(times).map(([visit, ms]) => ({ visit, medianMs: Math.round(median(ms)), ms: ms.map(Math.round) }));
console.table(rows);
mkdirSync(path.dirname(args.out), { recursive: true });
writeFileSync(args.out, `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`);
console.log(`wrote ${args.out}`);
