// @ts-check
//! The automatic backend choice re-times only when a model's size could flip the winner
//! (issue 20, item 5; www/backend-timing.js `timingStands`): a model of about the size timed
//! keeps the timing, and the status line says it stands for a model of this size; one many times
//! larger is timed anew, and the status line says why while it is. How much larger follows the
//! margin the first timing found: on SwiftShader it ranged from 100× to 700× by how busy the
//! machine was, so a fixed model could fall within it (CI, 2026-12-07).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './browser.mjs';
import { setField, setFields, waitForTiming } from './helpers.mjs';

/** Keeps every text the backend status line shows, from the page's start. */
function recordStatus() {
  const seen = /** @type {string[]} */ ([]);
  /** @type {any} */ (window).kindlingStatusTexts = seen;
  const watch = () => {
    const status = document.querySelector('#backend-status');
    if (!status) return void requestAnimationFrame(watch);
    new MutationObserver(() => {
      const text = /** @type {HTMLElement} */ (status).innerText;
      if (seen[seen.length - 1] !== text) seen.push(text);
    }).observe(status, { childList: true, characterData: true, subtree: true, attributes: true });
  };
  watch();
}

test('auto keeps its timing for a model of about the size timed, and times anew one large enough to flip it', async () => {
  const { page, consoleErrors, close } = await openPage('', { initScript: recordStatus });
  try {
    const first = await waitForTiming(page);
    const margin = first.loserMs / first.winnerMs;
    console.log(`timed: ${first.text} (margin ${margin.toFixed(1)}×)`);
    assert.ok(margin > 1, first.text);
    const texts = () => page.evaluate(() => /** @type {string[]} */ (/** @type {any} */ (window).kindlingStatusTexts).slice());
    const timedAgain = async () => (await texts()).filter((x) => /timing both again/.test(x)).length;

    // 1.5× the work per step (batch 64 → 96): within any margin, so the timing stands.
    await setField(page, 'train-batch-size', 96);
    const status = page.locator('#backend-status');
    await page.waitForFunction(() => /1\.5× the work per step of the one timed/.test(
      /** @type {HTMLElement} */ (document.querySelector('#backend-status')).innerText), null, { timeout: 60_000 });
    assert.equal(await status.getAttribute('data-faster'), first.faster, 'the same winner, without timing again');
    assert.match(await status.innerText(), new RegExp(`${first.faster === 'cpu' ? 'CPU' : 'WebGPU'} is faster for a model of this size`));
    assert.equal(await timedAgain(), 0, 'a small change is not timed again');

    // A new model of two layers of 256 units at batch 96: 22× the work, still within the margin on
    // SwiftShader (100× to 700×, by how busy the machine is).
    const parameters = async () => Number((await page.textContent('#parameter-count'))?.replace(/\D/g, ''));
    const timedWork = (await parameters()) * 64;
    await setFields(page, { 'layer-0-units': 256, 'layer-1-units': 256 });
    await page.waitForFunction(() => /is faster for a model of this size \(it does 22× the work per step/.test(
      /** @type {HTMLElement} */ (document.querySelector('#backend-status')).innerText), null, { timeout: 60_000 });
    assert.equal(await timedAgain(), 0, 'a new model within the margin is not timed either');

    // Then a model whose work is beyond the margin (1.5 times over): a batch the model takes as it
    // is, and, where even the largest batch falls short of a wide margin, more layers of 256 first
    // (at batch 96 they stay within it). It is timed anew, and the status line says so meanwhile.
    const target = 1.5 * margin * timedWork;
    const LAYER_OF_256 = 256 * 256 + 256;
    for (let layers = 2; (await parameters()) * 5000 < target; layers += 1) {
      assert.ok(layers < 6, `a margin of ${margin.toFixed(0)}× is beyond the largest model's work`);
      const before = await parameters();
      await page.click('#add-layer');
      await page.locator(`#layer-${layers}-units`).waitFor();
      await setField(page, `layer-${layers}-units`, 256);
      await page.waitForFunction((n) => Number(document.querySelector('#parameter-count')?.textContent?.replace(/\D/g, '')) === n,
        before + LAYER_OF_256);
    }
    const batch = Math.max(2048, Math.ceil(target / (await parameters())));
    const work = (await parameters()) * batch;
    await setField(page, 'train-batch-size', batch);
    await page.waitForFunction(() => /** @type {string[]} */ (/** @type {any} */ (window).kindlingStatusTexts)
      .some((x) => /timing both again/.test(x)), null, { timeout: 120_000 });
    const again = /** @type {string} */ ((await texts()).find((x) => /timing both again/.test(x)));
    const said = Number(/this model does ([\d.]+)× the work per step of the one timed/.exec(again)?.[1]);
    assert.ok(Math.abs(said / (work / timedWork) - 1) < 0.02, `${again} (expected ${(work / timedWork).toFixed(0)}×)`);
    assert.ok(said > margin, `${again}: beyond the margin of ${margin.toFixed(0)}×`);
    const second = await waitForTiming(page);
    assert.match(second.text, /is faster for this model: /, 'the new timing is of this model');
    console.log(`re-timed: ${second.text}`);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test('a timing stands for a model of its family until its size could flip the winner, either way', async () => {
  const { timingStands, workOf } = await import('../../www/backend-timing.js');
  const step = (/** @type {number} */ msPerStep) => ({ firstStepMs: 0, msPerStep, steps: 10 });
  const family = '{"mode":"points"}';
  // The CPU won by 10×: a model up to 10× the work keeps the CPU; beyond, it is timed anew.
  const cpuWon = { key: 'a', family, work: 1000, cpu: step(1), webgpu: step(10), faster: /** @type {const} */ ('cpu') };
  assert.equal(timingStands(cpuWon, family, 9000), true);
  assert.equal(timingStands(cpuWon, family, 11_000), false);
  assert.equal(timingStands(cpuWon, family, 10), true, 'a smaller model cannot make WebGPU win');
  // WebGPU won by 4×: a smaller model, at under a quarter of the work, might go to the CPU.
  const gpuWon = { ...cpuWon, cpu: step(8), webgpu: step(2), faster: /** @type {const} */ ('webgpu') };
  assert.equal(timingStands(gpuWon, family, 300), true);
  assert.equal(timingStands(gpuWon, family, 200), false);
  assert.equal(timingStands(gpuWon, family, 1e6), true, 'a larger model stays on WebGPU');
  assert.equal(timingStands(cpuWon, '{"mode":"sequences"}', 1000), false, 'another family is always timed');
  // The work of a step: parameters × batch × positions.
  assert.equal(workOf(100, { train: { batchSize: 32 }, data: { length: 8 } }), 25_600);
  assert.equal(workOf(100, { train: { batchSize: 32 }, data: {} }), 3200);
});
