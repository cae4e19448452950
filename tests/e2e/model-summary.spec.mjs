// @ts-check
//! The model summary panel (issue 19, item 3): Keras's table of layers, output shapes and
//! parameter counts. Its total is the count the network panel and the transformer panel show;
//! a hidden layer added adds its rows; the exported model file's metadata holds the summary.
//! On the CPU backend for speed.

import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { openPage } from './browser.mjs';
import { assert, switchToSequences, waitForSession, withPage } from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** The digits of a count as the page writes it ("4,545 parameters" -> 4545). @param {string | null} text */
const count = (text) => Number((text ?? '').replace(/[^0-9]/g, ''));

/** What the summary table shows: its rows' names, counts and shapes, and its totals. @param {Page} page */
async function table(page) {
  return page.evaluate(() => {
    const el = /** @type {HTMLTableElement} */ (document.querySelector('#model-summary'));
    const rows = [...el.tBodies[0].rows].map((r) => ({
      name: r.dataset.name ?? '',
      parameters: Number(r.dataset.parameters),
      shown: r.cells[2].textContent ?? '',
      shape: r.cells[1].textContent ?? '',
    }));
    return { rows, total: Number(el.dataset.total), foot: el.tFoot?.textContent ?? '' };
  });
}

test('points: the summary adds up to the network panel\'s count, a layer adds its rows, the file holds it', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await page.click('#model-summary-details > summary');
    await page.locator('#model-summary tbody tr').first().waitFor();
    const before = await table(page);
    const shown = count(await page.textContent('#parameter-count'));
    assert.ok(shown > 0, 'the network panel shows a count');
    assert.equal(before.total, shown);
    assert.equal(before.rows.reduce((s, r) => s + r.parameters, 0), shown, 'the rows add up to the total');
    assert.ok(before.foot.includes(shown.toLocaleString('en')), `the foot says the total: ${before.foot}`);
    for (const row of before.rows) assert.equal(count(row.shown), row.parameters);
    // the default network: 2 hidden layers of 64, so the first Linear outputs (None, 64)
    const first = before.rows.find((r) => r.name === 'hidden.0.linear');
    assert.equal(first?.shape, '(None, 64)');

    await page.click('#add-layer');
    await page.waitForFunction((n) => document.querySelectorAll('#model-summary tbody tr').length > n, before.rows.length);
    const after = await table(page);
    // a hidden layer is three rows: its Linear, its activation, its dropout
    assert.equal(after.rows.length, before.rows.length + 3);
    assert.ok(after.rows.some((r) => r.name === 'hidden.2.linear'), 'the new layer has its row');
    const shownAfter = count(await page.textContent('#parameter-count'));
    assert.notEqual(shownAfter, shown);
    assert.equal(after.total, shownAfter);
    assert.equal(after.rows.reduce((s, r) => s + r.parameters, 0), shownAfter);

    // The exported file's safetensors header: 8-byte little-endian length, then JSON.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-model')]);
    const bytes = readFileSync(/** @type {string} */ (await download.path()));
    const length = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'));
    const summary = JSON.parse(header.__metadata__['kindling.summary']);
    assert.equal(summary.total, shownAfter);
    assert.deepEqual(summary.layers.map((/** @type {any} */ l) => l.name), after.rows.map((r) => r.name));
    assert.deepEqual(consoleErrors, []);
  }));

test('sequences: the summary adds up to the transformer panel\'s count, one row per module', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await switchToSequences(page);
    await page.click('#model-summary-details > summary');
    await page.waitForFunction(() => document.querySelector('#model-summary tbody tr')?.getAttribute('data-name') === 'embedding');
    const { rows, total } = await table(page);
    const shown = count(await page.textContent('#seq-parameter-count'));
    assert.ok(shown > 0, 'the transformer panel shows a count');
    assert.equal(total, shown);
    assert.equal(rows.reduce((s, r) => s + r.parameters, 0), shown);
    const layers = Number(await page.inputValue('#seq-layers'));
    const perBlock = ['norm_attention', 'attention.query', 'attention.key', 'attention.value', 'attention.output',
      'norm_mlp', 'expand', 'contract'];
    const names = rows.map((r) => r.name);
    const expected = ['embedding', 'positional'];
    for (let i = 0; i < layers; i++) expected.push(...perBlock.map((p) => `blocks.${i}.${p}`));
    expected.push('norm');
    // a classification task pools the positions before its head
    if (names.includes('pool')) expected.push('pool');
    expected.push('head');
    assert.deepEqual(names, expected);
    // the stream's shape: (None, sequence length, d_model)
    const dModel = await page.inputValue('#seq-d-model');
    assert.match(rows[0].shape, new RegExp(`^\\(None, \\d+, ${dModel}\\)$`));
    assert.deepEqual(consoleErrors, []);
  }));
