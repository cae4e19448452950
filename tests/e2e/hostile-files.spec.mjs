// @ts-check
//! Hostile files through the page's own file chooser, each made here (none is in the repository):
//! a wide header over a million empty lines, a wide sparse JSON Lines file and a one-hot blow-up
//! each give their message, and the default spiral model trains on afterwards; a European CSV
//! (`;` and decimal commas) previews with numeric columns, says "decimal comma", reads again
//! with a point when asked, and trains.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import { CPU_TIMEOUT, assert, pause, stepCount, waitForSession, withPage } from './helpers.mjs';

/** @param {import('playwright-core').Page} page @param {string} name @param {Buffer} buffer */
async function chooseFile(page, name, buffer, mimeType = 'text/csv') {
  await page.setInputFiles('#data-file', { name, mimeType, buffer });
}

/** The message shown in the upload status and the message area. @param {import('playwright-core').Page} page @param {string} text */
async function seeError(page, text) {
  await page.locator('#messages', { hasText: text }).waitFor({ timeout: CPU_TIMEOUT });
}

/** Play: the step count grows past where it was; then pause. @param {import('playwright-core').Page} page */
async function stillTrains(page) {
  const before = await stepCount(page);
  await page.click('#play');
  await page.waitForFunction((b) => Number(document.querySelector('#step-count')?.textContent) > b + 5,
    before, { timeout: CPU_TIMEOUT });
  await pause(page);
}

test('hostile files give their messages; the spiral trains on after each', { timeout: 600_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);

    // (a) 300 names over a million empty lines (1 MB): once an "unreachable" trap of the wasm.
    const names = Array.from({ length: 300 }, (_, i) => `c${i}`).join(',');
    await chooseFile(page, 'wide.csv', Buffer.from(names + '\n'.repeat(1_000_000)));
    await page.locator('#upload-status[data-state="error"]', { hasText: 'wide.csv has 300 columns; the limit is 200' }).waitFor({ timeout: CPU_TIMEOUT });
    await seeError(page, 'leave out the columns you do not need');
    await stillTrains(page);

    // (b) each line three keys of its own: thousands of keys in all.
    const sparse = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ [`a${i}`]: 1, [`b${i}`]: 'x', [`c${i}`]: null })).join('\n');
    await chooseFile(page, 'sparse.jsonl', Buffer.from(sparse), 'application/jsonl');
    await seeError(page, "sparse.jsonl, line 67, column 'c66': is key number 201; the limit is 200 keys");
    await stillTrains(page);

    // (c) 199 categorical columns of 40 categories over 3,000 rows: 6,368 one-hot inputs a row.
    const columns = 199, rows = ['y'];
    rows[0] = [...Array.from({ length: columns }, (_, c) => `c${c}`), 'y'].join(',');
    for (let r = 0; r < 3000; r++) {
      rows.push([...Array.from({ length: columns }, (_, c) => `v${(r * 7 + c) % 40}`), String(r % 2)].join(','));
    }
    await chooseFile(page, 'onehot.csv', Buffer.from(rows.join('\n')));
    await page.locator('#table-preview[data-file="onehot.csv"]').waitFor({ timeout: CPU_TIMEOUT });
    await page.locator('#use-file:not([disabled])').waitFor({ timeout: CPU_TIMEOUT });
    await page.click('#use-file');
    await seeError(page, 'onehot.csv has 3,000 rows of 6,368 inputs');
    assert.match(await page.innerText('#messages'), /the limit is 16,777,216: choose fewer features/);
    // the spiral is still the data in force
    assert.ok(await page.locator('#boundary-panel').isVisible());
    await stillTrains(page);
  }));

test('a European CSV: decimal commas read as numbers, shown, changeable, and trained on', { timeout: 600_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    const lines = ['sepal;petal;species'];
    for (let i = 0; i < 60; i++) {
      const kind = i % 3;
      const sepal = (4.5 + kind + (i % 7) / 10).toFixed(1).replace('.', ',');
      const petal = (1 + 2 * kind + (i % 5) / 10).toFixed(2).replace('.', ',');
      lines.push(`${sepal};${petal};${['setosa', 'versicolor', 'virginica'][kind]}`);
    }
    await chooseFile(page, 'european.csv', Buffer.from(lines.join('\r\n')));
    await page.locator('#table-preview[data-file="european.csv"][data-decimal="comma"]').waitFor({ timeout: CPU_TIMEOUT });
    const kind = (/** @type {string} */ c) => page.getAttribute(`[data-testid="preview-columns"] tr[data-column="${c}"]`, 'data-kind');
    assert.equal(await kind('sepal'), 'numeric');
    assert.equal(await kind('petal'), 'numeric');
    assert.equal(await page.innerText('[data-testid="decimal-mark"]'), 'decimal comma');
    assert.match(await page.innerText('#preview-format'), /separated by semicolon/);
    assert.match(await page.innerText('[data-testid="preview-summary"]'), /european\.csv: 60 rows, 3 columns/);
    // the other convention: the commas are not decimal marks, the columns are categories
    await page.selectOption('#table-decimal', 'point');
    await page.locator('#table-preview[data-decimal="point"]').waitFor({ timeout: CPU_TIMEOUT });
    assert.equal(await page.innerText('[data-testid="decimal-mark"]'), 'decimal point');
    assert.equal(await kind('sepal'), 'categorical');
    await page.selectOption('#table-decimal', 'comma');
    await page.locator('#table-preview[data-decimal="comma"]').waitFor({ timeout: CPU_TIMEOUT });
    assert.equal(await kind('sepal'), 'numeric');
    await page.locator('#use-file:not([disabled])').waitFor({ timeout: CPU_TIMEOUT });
    await page.click('#use-file');
    await page.locator('[data-testid="confusion-matrix"]').waitFor({ timeout: CPU_TIMEOUT });
    assert.match(await page.innerText('#upload-status'), /Training on european\.csv: 48 rows to train, 12 to test/);
    await stillTrains(page);
  }));
