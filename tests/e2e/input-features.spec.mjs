// @ts-check
//! TF Playground's input features (issue 17): ticking x² gives the network a third input, so
//! the input line and the parameter count follow (64 more weights into the first layer of 64);
//! the URL keeps it, and a share link reopens the model with x² ticked and the same count; the
//! last feature ticked cannot be unticked; a table's inputs are its columns, so the toggles go.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import { CPU_TIMEOUT, assert, stepCount, waitForSession, withPage } from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** The parameter count the network panel shows. @param {Page} page */
async function parameters(page) {
  return Number((await page.innerText('#parameter-count')).replace(/\D/g, ''));
}

/** Waits until the panel shows `count` parameters. @param {Page} page @param {number} count */
async function showsParameters(page, count) {
  await page.waitForFunction((n) => Number(document.querySelector('#parameter-count')?.textContent?.replace(/\D/g, '')) === n,
    count, { timeout: CPU_TIMEOUT });
}

test('x² adds an input and its weights, stays in the URL and in a share link', { timeout: 4 * CPU_TIMEOUT }, async () => {
  let link = '', step = 0, count = 0;
  await withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    assert.equal(await page.innerText('#input-description'), 'input: x, y (2)');
    const before = await parameters(page);
    assert.ok(before > 0);
    await page.check('[data-testid="feature-xSquared"]');
    await showsParameters(page, before + 64);
    assert.equal(await page.innerText('#input-description'), 'input: x, y, x² (3)');
    assert.match(await page.evaluate(() => location.hash), /model\.features\.xSquared=true/);
    for (let i = 0; i < 5; i++) await page.click('#step');
    await page.waitForFunction(() => Number(document.querySelector('#step-count')?.textContent) === 5);
    step = await stepCount(page);
    count = await parameters(page);
    await page.click('#share');
    await page.locator('#share-panel[data-pending="false"]').waitFor({ timeout: CPU_TIMEOUT });
    link = await page.inputValue('#share-link');
    assert.match(link, /model\.features\.xSquared=true&.*model=k1\./);

    // Only x² left: its box cannot be unticked, and says why.
    await page.uncheck('[data-testid="feature-x"]');
    await showsParameters(page, count - 64);
    await page.uncheck('[data-testid="feature-y"]');
    await showsParameters(page, count - 128);
    assert.equal(await page.innerText('#input-description'), 'input: x² (1)');
    assert.equal(await page.isDisabled('[data-testid="feature-xSquared"]'), true);
    assert.match(await page.getAttribute('[data-testid="feature-xSquared"]', 'title') ?? '', /at least one input feature/);
    assert.deepEqual(consoleErrors, []);
  });

  await withPage(openPage(new URL(link).hash), async ({ page, consoleErrors }) => {
    await page.locator(`#model-tools[data-opened="link:${step}"]`).waitFor({ timeout: CPU_TIMEOUT });
    assert.equal(await stepCount(page), step);
    assert.equal(await page.isChecked('[data-testid="feature-xSquared"]'), true);
    assert.equal(await page.isChecked('[data-testid="feature-ySquared"]'), false);
    assert.equal(await page.innerText('#input-description'), 'input: x, y, x² (3)');
    assert.equal(await parameters(page), count);
    // It trains on from the shared step.
    await page.click('#step');
    await page.waitForFunction((s) => Number(document.querySelector('#step-count')?.textContent) === s + 1, step);
    assert.deepEqual(consoleErrors, []);
  });
});

test('a table names its columns as inputs, and the feature toggles go', { timeout: 2 * CPU_TIMEOUT }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    assert.equal(await page.isVisible('#input-features'), true);
    await page.selectOption('#sample-choice', 'penguins.csv');
    await page.locator('#table-preview[data-file="penguins.csv"]').waitFor({ timeout: CPU_TIMEOUT });
    await page.click('#use-file');
    await page.locator('[data-testid="confusion-matrix"]').waitFor({ timeout: CPU_TIMEOUT });
    await page.locator('#input-description', { hasText: 'penguins.csv' }).waitFor();
    assert.equal(await page.isVisible('#input-features'), false);
  }));
