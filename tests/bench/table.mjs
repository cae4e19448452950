// @ts-check
//! Reading a 50 MB CSV in the browser (issue 5): parse + infer and encode times in the worker,
//! the wasm memory's peak, and the peak resident memory of the tab's renderer process (VmHWM in
//! /proc, Linux), all from www/bench-table.html. Used by run.mjs; alone:
//!   KINDLING_URL=http://127.0.0.1:8000/ node tests/bench/table.mjs [--mb 50]

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openPage } from '../e2e/browser.mjs';

/** kB fields of /proc/PID/status, in bytes. @param {number} pid @param {string} field */
function procBytes(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** @param {number} megabytes */
export async function benchTable(megabytes = 50) {
  const { page, browser, close } = await openPage(`www/bench-table.html?mb=${megabytes}`, {
    onConsole: (msg) => { if (msg.text().startsWith('[bench] ')) console.log(`  ${msg.text().slice(8)}`); },
  });
  try {
    await page.waitForFunction(() => 'startBench' in window);
    // The renderers of this browser; the tab's is the one whose memory grows.
    let pids = [];
    try {
      const owner = browser.browser();
      if (!owner) throw new Error('the context has no Browser to ask');
      const cdp = await owner.newBrowserCDPSession();
      const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
      pids = processInfo.filter((/** @type {any} */ p) => p.type === 'renderer').map((/** @type {any} */ p) => p.id);
    } catch (err) {
      console.log(`  (no renderer process ids: ${err})`);
    }
    const before = new Map(pids.map((pid) => [pid, procBytes(pid, 'VmRSS')]));
    await page.evaluate(() => /** @type {any} */ (window).startBench());
    await page.waitForFunction(() => /** @type {any} */ (window).benchTableResult || /** @type {any} */ (window).benchTableError,
      null, { timeout: 600_000, polling: 500 });
    const error = await page.evaluate(() => /** @type {any} */ (window).benchTableError);
    if (error) throw new Error(`the table benchmark failed in the page: ${error}`);
    const result = await page.evaluate(() => /** @type {any} */ (window).benchTableResult);
    const peaks = pids.map((pid) => ({ pid, rssBefore: before.get(pid), peak: procBytes(pid, 'VmHWM') }))
      .filter((p) => p.peak !== null)
      .sort((a, b) => (b.peak ?? 0) - (a.peak ?? 0));
    return { ...result, tabPeakRssBytes: peaks[0]?.peak ?? null, tabRssBeforeBytes: peaks[0]?.rssBefore ?? null };
  } finally {
    await close();
  }
}

/** @param {any} r */
export function tableBenchTable(r) {
  const mb = (/** @type {number | null} */ b) => (b == null ? '—' : `${(b / 1048576).toFixed(0)} MB`);
  return [
    `Reading a ${mb(r.bytes)} CSV (${r.rows.toLocaleString('en')} rows, ${r.columns} columns -> ${r.inputs} inputs), in the worker:`,
    '| step | time |',
    '| --- | --- |',
    `| parse + infer (new DataFile) | ${r.parseInferMs} ms |`,
    `| encode (split, standardise, one-hot) | ${r.encodeMs} ms |`,
    `| total | ${r.totalMs} ms |`,
    `| wasm memory, before -> peak | ${mb(r.wasmMemoryBeforeBytes)} -> ${mb(r.wasmMemoryPeakBytes)} |`,
    `| tab (renderer process) RSS, before -> peak | ${mb(r.tabRssBeforeBytes)} -> ${mb(r.tabPeakRssBytes)} |`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { mb: { type: 'string', default: '50' } } });
  const r = await benchTable(Number(values.mb));
  console.log(`${JSON.stringify(r, null, 2)}\n\n${tableBenchTable(r)}`);
}
