// @ts-check
//! The threaded build (issue 20, item 4; pkg-threads/, built by `cargo xtask test`): served
//! cross-origin isolated, it starts rayon's pool of web workers and trains the benchmark's three
//! workloads (the spiral MLP at batch 256, the reversal transformer, the char-level LM) to the
//! same losses as the single-threaded build, bit for bit, step by step from the same seed: its
//! products are split across threads by rows of the result, each element summed in the single
//! build's order, and flex's reductions stay serial below its thresholds (256 K elements), which
//! these workloads do not reach. A workload that passes them may round otherwise: then compare
//! it to a tolerance, not here.
//! Speed is the benchmark's (tests/bench/threads.mjs), never this test's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './browser.mjs';

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
