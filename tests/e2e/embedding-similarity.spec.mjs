// @ts-check
//! The token embeddings' similarity beside the projection (www/views/embedding-similarity.js),
//! driven through the page on the reversal task: a vocabulary × vocabulary matrix, symmetric with
//! ones on the diagonal, sorted by a token's similarity when its row header is clicked, updated
//! at the projection's rate; and the projection's 16 points labelled with their tokens.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import { CPU_TIMEOUT, assert, pause, switchToSequences, waitForSession, withPage } from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** The matrix as the page shows it: the order, and each cell's value by its pair. @param {Page} page */
const matrix = (page) => page.evaluate(() => {
  const table = /** @type {HTMLElement} */ (document.querySelector('#similarity-matrix'));
  /** @type {Record<string, number>} */
  const values = {};
  for (const td of table.querySelectorAll('td[data-pair]')) values[/** @type {string} */ (/** @type {HTMLElement} */ (td).dataset.pair)] = Number(/** @type {HTMLElement} */ (td).dataset.value);
  const rows = [...table.querySelectorAll('tr')].slice(1).map((tr) => [...tr.querySelectorAll('td[data-pair]')].map((td) => /** @type {string} */ (/** @type {HTMLElement} */ (td).dataset.pair)));
  const { count, order } = table.dataset;
  return { count: Number(count), order: String(order), values, rows, title: table.querySelector('td[title]')?.getAttribute('title') ?? '' };
});

test('the embeddings’ cosine similarity: symmetric, ones on the diagonal, sortable by a token, at the projection’s rate', { timeout: 3 * CPU_TIMEOUT }, () =>
  withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await switchToSequences(page);
    assert.equal(await page.isVisible('#embedding-similarity'), false, 'nothing before the projection is opened');
    await page.click('#projection-details > summary');
    await page.locator('#similarity-matrix[data-step="0"]').waitFor();
    const first = await matrix(page);
    const n = first.count;
    assert.equal(n, 16, 'the reversal task’s 16 input tokens');
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(first.values[`${i},${i}`] - 1) < 1e-6, `diagonal ${i}`);
      for (let j = 0; j < n; j++) {
        assert.equal(first.values[`${i},${j}`], first.values[`${j},${i}`], `symmetric ${i},${j}`);
        assert.ok(Math.abs(first.values[`${i},${j}`]) <= 1 + 1e-6);
      }
    }
    assert.match(first.title, /'.+' · '.+': cosine 1\.000/);
    // The projection's points carry their tokens.
    await page.locator('#projection-canvas[data-named="16"]').waitFor();

    // Sorted by token 5: it comes first, then the others by their similarity to it.
    await page.click('#similarity-matrix button[data-token="5"]');
    await page.locator('#similarity-matrix[data-sort-by="5"]').waitFor();
    const sorted = await matrix(page);
    const order = sorted.order.split(',').map(Number);
    assert.equal(order[0], 5);
    const toFive = order.map((j) => sorted.values[`5,${j}`]);
    for (let k = 1; k < n; k++) assert.ok(toFive[k] <= toFive[k - 1], `descending at ${k}: ${toFive}`);
    assert.deepEqual(sorted.rows[0], order.map((j) => `5,${j}`), 'rows and columns in the same order');
    await page.click('#similarity-matrix button[data-token="5"]');
    await page.locator('#similarity-matrix[data-sort-by=""]').waitFor();
    assert.equal((await matrix(page)).order, [...Array(n).keys()].join(','));

    // At the projection's rate while training.
    await page.fill('#projection-every', '10');
    await page.press('#projection-every', 'Tab');
    await page.click('#play');
    await page.waitForFunction(() => Number(document.querySelector('#similarity-matrix')?.getAttribute('data-step')) >= 20, null, { timeout: CPU_TIMEOUT });
    await pause(page);
    const trained = await matrix(page);
    assert.notDeepEqual(trained.values, first.values, 'the similarities moved with training');
    assert.deepEqual(consoleErrors, []);
  }));
