// @ts-check
//! Learning-rate schedules and stop conditions in the page (issue 19, item 2): a cosine
//! schedule's rate at step k is the formula's, a step limit stops training there and says so,
//! and early stopping on an overfitting network stops, puts back the best weights, and the test
//! loss shown after it is the best one seen.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './browser.mjs';
import { CPU_TIMEOUT } from './helpers.mjs';

/** @param {import('playwright-core').Page} page */
const messages = (page) => page.locator('#messages').innerText();

test('a cosine schedule trains at the formula\'s rate and a step limit stops at its step', async () => {
  const [base, floor, warmup, end, limit] = [0.05, 0.1, 20, 400, 250];
  const hash = `#backend=cpu&train.schedule=cosine&train.learningRate=${base}&train.warmupSteps=${warmup}` +
    `&train.decaySteps=${end}&train.cosineFloor=${floor}&train.stopAfter=${limit}`;
  const { page, consoleErrors, close } = await openPage(hash);
  try {
    await page.locator('#play:not([disabled])').waitFor({ timeout: CPU_TIMEOUT });
    assert.equal(await page.inputValue('#train-schedule'), 'cosine');
    assert.equal(await page.locator('#train-decay-steps').isVisible(), true, 'the cosine\'s fields are shown');
    assert.equal(await page.locator('#train-decay-every').isVisible(), false, 'step decay\'s are not');
    await page.click('#play');
    await page.waitForFunction(() => /Stopped at step 250/.test(document.querySelector('#messages')?.textContent ?? ''),
      null, { timeout: CPU_TIMEOUT });
    assert.equal(await page.textContent('#step-count'), '250');
    await page.waitForTimeout(500);
    assert.equal(await page.textContent('#step-count'), '250', 'and stays stopped');
    const now = page.locator('#lr-now');
    const step = Number(await now.getAttribute('data-step'));
    const rate = Number(await now.getAttribute('data-rate'));
    assert.equal(step, limit);
    const lowest = base * floor;
    const formula = lowest + 0.5 * (1 + Math.cos((Math.PI * (step - warmup)) / (end - warmup))) * (base - lowest);
    assert.ok(Math.abs(rate - formula) < 1e-12, `rate at step ${step}: ${rate}, the formula ${formula}`);
    assert.match(await now.innerText(), /learning rate 0\.0\d+ at step 250/);
    assert.match(await messages(page), /Stopped at step 250, as set/);
    // The loss chart draws the rate in force and marks the stop.
    const chart = page.locator('#loss-chart');
    assert.ok(Number(await chart.getAttribute('data-lr-points')) > 1, 'the rate is drawn on the loss chart');
    assert.match(await page.locator('#loss-chart .u-legend').innerText(), /learning rate/);
    assert.deepEqual(JSON.parse(await chart.getAttribute('data-marks') ?? '[]'), [250]);
    assert.match(await chart.getAttribute('aria-description') ?? '', /step 250: Stopped at step 250/);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test('early stopping stops an overfitting network and restores the best test loss', async () => {
  const hash = '#backend=cpu&data.kind=gaussian&data.points=40&data.noise=1&data.testFraction=0.5&data.seed=3' +
    '&model.hidden=128:relu:0,128:relu:0&train.batchSize=20&train.learningRate=0.02&train.evalEvery=10&train.patience=3';
  const { page, consoleErrors, close } = await openPage(hash);
  try {
    await page.locator('#play:not([disabled])').waitFor({ timeout: CPU_TIMEOUT });
    assert.equal(await page.inputValue('#train-patience'), '3');
    // Every test loss the page shows, from the start.
    await page.evaluate(() => {
      const seen = /** @type {string[]} */ ([]);
      /** @type {any} */ (window).testLosses = seen;
      const cell = /** @type {HTMLElement} */ (document.querySelector('#test-loss'));
      new MutationObserver(() => seen.push(cell.textContent ?? '')).observe(cell, { childList: true, characterData: true, subtree: true });
    });
    await page.click('#play');
    await page.waitForFunction(() => /Stopped early at step/.test(document.querySelector('#messages')?.textContent ?? ''),
      null, { timeout: CPU_TIMEOUT });
    const text = await messages(page);
    const m = /Stopped early at step ([\d,]+): the test loss had not improved for 3 evaluations; restored the weights of step ([\d,]+) \(test loss ([\d.]+)\)/.exec(text);
    assert.ok(m, text);
    const [stopped, best, bestLoss] = [Number(m[1].replace(/,/g, '')), Number(m[2].replace(/,/g, '')), m[3]];
    assert.equal(stopped, best + 30, 'three evaluations of 10 steps after the best');
    const seen = /** @type {string[]} */ (await page.evaluate(() => /** @type {any} */ (window).testLosses)).map(Number).filter((x) => x > 0);
    assert.equal(Math.min(...seen).toFixed(4), bestLoss, `the best of the test losses shown: ${seen}`);
    assert.equal(await page.textContent('#test-loss'), bestLoss, 'after the stop, the restored model\'s test loss');
    assert.ok(seen.some((x) => x > Number(bestLoss)), 'it had got worse before stopping');
    // The loss chart marks the best step it went back to and the stop; a constant rate is not drawn.
    const chart = page.locator('#loss-chart');
    assert.deepEqual(JSON.parse(await chart.getAttribute('data-marks') ?? '[]'), [best, stopped]);
    assert.doesNotMatch(await page.locator('#loss-chart .u-legend').innerText(), /learning rate/);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});
