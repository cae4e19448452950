// @ts-check
//! The memory budget in the page (issue 15): a link whose settings are each in range but whose
//! model would not fit (sequences, batch 5000, length 128, 8 heads) is refused with a message
//! naming the batch size and the largest that fits, and the page trains the defaults instead of
//! crashing; an over-budget value typed into a field is refused the same way, the field goes
//! back, and the model in force keeps its step count and trains on; and the largest batch the
//! message names (batch × 8 heads × 128², ~0.7 GiB live) really trains in the tab.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import {
  CPU_TIMEOUT, assert, pause, stepCount, waitForSequenceSession, withPage,
} from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

const FITS = /The largest batch size that fits is (\d+)\./;

/** Presses Play and waits until the step count passes `after`. @param {Page} page @param {number} after */
async function trainsPast(page, after) {
  await page.click('#play');
  await page.waitForFunction(
    (n) => Number(document.querySelector('#step-count')?.textContent) > n, after, { timeout: CPU_TIMEOUT });
  await pause(page);
}

/** No message says the wasm instance died. @param {Page} page */
async function notCrashed(page) {
  const messages = (await page.textContent('#messages')) ?? '';
  assert.doesNotMatch(messages, /crashed|unreachable|out of memory/i, messages);
}

test('a link over the budget is refused naming the batch size that fits, and the defaults train', { timeout: 300_000 }, () =>
  withPage(openPage('#mode=sequences&train.batchSize=5000&data.length=128&model.heads=8'), async ({ page }) => {
    await waitForSequenceSession(page);
    const error = page.locator('[data-testid="error-message"]', { hasText: 'batch size' });
    await error.waitFor();
    const text = await error.locator('p').innerText();
    assert.match(text, /^The settings in the link were not accepted \(Training: this model needs [\d.]+ GiB for one batch/, text);
    assert.match(text, /attention scores: batch 1600 × 8 heads × 128² positions × 1 block/, text);
    assert.match(text, /the budget on the CPU is 1\.0 GiB/, text);
    const largest = Number(FITS.exec(text)?.[1]);
    assert.ok(largest > 0 && largest < 1600, text);
    // The defaults are in force: length 8, one head, batch 64.
    assert.equal(await page.inputValue('#seq-length'), '8');
    assert.equal(await page.inputValue('#seq-heads'), '1');
    assert.equal(await page.inputValue('#train-batch-size'), '64');
    // The URL now holds the settings in force, so a reload does not ask for the same model.
    assert.doesNotMatch(await page.evaluate(() => location.hash), /batchSize=5000/);
    await trainsPast(page, 0);
    await notCrashed(page);
  }));

test('an over-budget value typed into a field is refused, goes back, and the model trains on', { timeout: 300_000 }, () =>
  withPage(openPage('#mode=sequences&backend=cpu&data.length=128&model.heads=8'), async ({ page }) => {
    await waitForSequenceSession(page);
    assert.equal(await page.getAttribute('#train-batch-size', 'max'), '5000');
    await trainsPast(page, 0);
    const steps = await stepCount(page);
    const hash = await page.evaluate(() => location.hash);

    await page.fill('#train-batch-size', '5000');
    await page.press('#train-batch-size', 'Tab');
    const error = page.locator('[data-testid="error-message"]', { hasText: 'batch size' });
    await error.waitFor();
    const text = await error.locator('p').innerText();
    assert.match(text, /^Training: this model needs [\d.]+ GiB for one batch \(attention scores: batch 1600 × 8 heads × 128² positions × 1 block\); the budget on the CPU is 1\.0 GiB\. The largest batch size that fits is \d+\.$/, text);
    await page.waitForFunction(
      () => /** @type {HTMLInputElement | null} */ (document.querySelector('#train-batch-size'))?.value === '64');
    assert.equal(await page.evaluate(() => location.hash), hash, 'the refused value is not in the URL');
    assert.equal(await stepCount(page), steps, 'the model in force keeps its step count');

    await trainsPast(page, steps);
    await notCrashed(page);
  }));

test('the largest batch size the message names trains in the page', { timeout: 600_000 }, async () => {
  const over = '#mode=sequences&backend=cpu&train.batchSize=5000&data.length=128&model.heads=8';
  let largest = 0;
  await withPage(openPage(over), async ({ page }) => {
    await waitForSequenceSession(page);
    const error = page.locator('[data-testid="error-message"]', { hasText: 'batch size' });
    largest = Number(FITS.exec(await error.locator('p').innerText())?.[1]);
  });
  assert.ok(largest > 0);
  await withPage(openPage(over.replace('batchSize=5000', `batchSize=${largest}`)), async ({ page }) => {
    await waitForSequenceSession(page);
    assert.equal(await page.inputValue('#train-batch-size'), String(largest), 'the settings were accepted');
    for (const step of [1, 2]) {
      await page.click('#step');
      await page.locator(`#attention-grid[data-step="${step}"]`).waitFor({ timeout: 300_000 });
    }
    assert.equal(await page.locator('[data-testid="error-message"]').count(), 0);
    await notCrashed(page);
  });
});
