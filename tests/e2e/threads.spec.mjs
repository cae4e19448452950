// @ts-check
//! The threaded build (issue 20, item 4; pkg-threads/, built by `cargo xtask test`): served
//! cross-origin isolated, it starts rayon's pool of web workers and trains the benchmark's three
//! workloads (the spiral MLP at batch 256, the reversal transformer, the char-level LM) to the
//! same losses as the single-threaded build, bit for bit, step by step from the same seed: its
//! products are split across threads by rows of the result, each element summed in the single
//! build's order, and flex's reductions stay serial below its thresholds (256 K elements), which
//! these workloads do not reach. A workload that passes them may round otherwise: then compare
//! it to a tolerance, not here.
//! The app (www/cpu-threads.js): served isolated, its worker loads the threaded build beside the
//! single one; `?threads=on` trains on the pool, to the losses of one thread (a model of the
//! user's own text too, the file read again into that build's memory); in `auto` the model
//! is timed on both and trains on the faster, and the status line says which and why; a page
//! served without COOP and COEP trains on one thread and says why.
//! Speed is the benchmark's (tests/bench/threads.mjs), never this test's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './browser.mjs';
import { serveFolder } from './static-server.mjs';
import { CPU_TIMEOUT, waitForSession, withPage } from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

/**
 * The status line's CPU (data-threads, its text and tooltip), once its tooltip matches `title`
 * and the session's thread count is the one the tooltip gives: the pool's when it says the pool
 * trains or won the timing, else 1 (a move to the pool follows its timing's report).
 * @param {Page} page @param {RegExp} title
 */
async function cpuStatus(page, title) {
  await page.waitForFunction((source) => {
    const status = document.querySelector('#backend-status');
    const tip = status?.getAttribute('title') ?? '';
    const pool = /trains on \d+ threads|\d+ threads are faster/.test(tip);
    return new RegExp(source).test(tip) && (status?.getAttribute('data-threads') === '1') === !pool;
  }, title.source, { timeout: CPU_TIMEOUT });
  const status = page.locator('#backend-status');
  return { threads: await status.getAttribute('data-threads'), text: await status.innerText(), title: await status.getAttribute('title') ?? '' };
}

/** The train loss after each of `steps` clicks on Step (each evaluates at once). @param {Page} page @param {number} steps */
async function stepLosses(page, steps) {
  const losses = [];
  for (let step = 1; step <= steps; step++) {
    await page.click('#step');
    await page.locator(`#train-loss[data-step="${step}"]`).waitFor({ timeout: CPU_TIMEOUT });
    losses.push(await page.getAttribute('#train-loss', 'data-value'));
  }
  return losses;
}

test('the threaded build trains the three workloads to the losses of the single-threaded one', { timeout: 600_000 }, async () => {
  const { page, consoleErrors, close } = await openPage('bench-threads.html?cpu=0.2&threads=2');
  try {
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'the server isolates the page (COOP, COEP)');
    await page.waitForFunction(() => /** @type {any} */ (window).benchResult || /** @type {any} */ (window).benchError,
      null, { timeout: 540_000, polling: 500 });
    const error = await page.evaluate(() => /** @type {any} */ (window).benchError);
    assert.equal(error, undefined, error);
    const result = await page.evaluate(() => /** @type {any} */ (window).benchResult);
    assert.equal(result.threads, 2, 'a pool of two workers');
    /** @type {Record<string, Record<string, any>>} */
    const by = {};
    for (const run of result.runs) (by[run.workload] ??= {})[run.build] = run;
    assert.deepEqual(Object.keys(by), ['spiral MLP', 'reversal', 'char LM']);
    for (const [workload, { single, threads }] of Object.entries(by)) {
      assert.equal(threads.losses.length, 20, workload);
      assert.ok(threads.stepsPerSec > 0, workload);
      threads.losses.forEach((/** @type {number} */ loss, /** @type {number} */ i) => {
        const expected = single.losses[i];
        assert.ok(Number.isFinite(loss) && loss === expected, `${workload}, step ${i + 1}: threads ${loss}, single ${expected}`);
      });
    }
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test('the app trains on the pool with ?threads=on, to the losses of one thread, and says so', { timeout: 600_000 }, async () => {
  const hash = `#backend=cpu&model.hidden=${encodeURIComponent('16:tanh:0,16:relu:0')}`;
  /** @type {Record<string, (string | null)[]>} */
  const losses = {};
  for (const threads of ['on', 'off']) {
    await withPage(openPage(`?threads=${threads}${hash}`), async ({ page, consoleErrors }) => {
      await waitForSession(page);
      const status = await cpuStatus(page, threads === 'on' ? /trains on \d+ threads/ : /turned off/);
      if (threads === 'on') {
        assert.equal(status.threads, String(await page.evaluate(() => navigator.hardwareConcurrency)), status.title);
        assert.match(status.text, /^CPU.* · \d+ threads$/);
      } else {
        assert.equal(status.threads, '1', status.title);
        assert.match(status.text, / · 1 thread$/);
      }
      losses[threads] = await stepLosses(page, 5);
      assert.deepEqual(consoleErrors, []);
    });
  }
  assert.deepEqual(losses.on, losses.off, 'the pool learns what one thread learns');
});

test('a language model of the user\'s own text trains on the pool, its file read again there, to the losses of one thread', { timeout: 600_000 }, async () => {
  const text = 'It was the best of times, it was the worst of times, it was the age of wisdom. '.repeat(60);
  /** @type {Record<string, (string | null)[]>} */
  const losses = {};
  for (const threads of ['on', 'off']) {
    await withPage(openPage(`?threads=${threads}#backend=cpu`), async ({ page, consoleErrors }) => {
      await waitForSession(page);
      await page.setInputFiles('#data-file', { name: 'dickens.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
      await page.locator('#table-preview[data-file="dickens.txt"]').waitFor({ timeout: CPU_TIMEOUT });
      await page.click('#use-file');
      await page.locator('body[data-mode="sequences"]').waitFor();
      const status = await cpuStatus(page, threads === 'on' ? /trains on \d+ threads/ : /turned off/);
      assert.equal(status.threads === '1', threads === 'off', status.title);
      losses[threads] = await stepLosses(page, 3);
      assert.deepEqual(consoleErrors, []);
    });
  }
  assert.deepEqual(losses.on, losses.off, 'the text read again in the threaded build trains to the same losses');
});

test('auto times the model on one thread and on the pool and trains on the faster', { timeout: 600_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    const status = await cpuStatus(page, /(one thread is|\d+ threads are) faster for this model: [\d.]+ ms a step/);
    const pool = /\d+ threads are faster/.test(status.title);
    assert.equal(status.threads === '1', !pool, `data-threads ${status.threads} against: ${status.title}`);
    assert.deepEqual(consoleErrors, []);
  }));

test('a page served without COOP and COEP trains on one thread and says why', { timeout: 300_000 }, async () => {
  const site = await serveFolder('.');
  try {
    await withPage(openPage('#backend=cpu', { base: site.url() }), async ({ page, consoleErrors }) => {
      await waitForSession(page);
      assert.equal(await page.evaluate(() => crossOriginIsolated), false);
      const status = await cpuStatus(page, /not cross-origin isolated/);
      assert.equal(status.threads, '1');
      assert.ok(!site.requests.some((r) => r.includes('pkg-threads')), 'the threaded build was not fetched');
      assert.deepEqual(consoleErrors, []);
    });
  } finally {
    await site.stop();
  }
});
