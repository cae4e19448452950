// @ts-check
//! The step-by-step view of one attention head (www/views/attention-steps.js), driven through
//! the page: closed by default and read for only while open; a click on a cell of the attention
//! grid opens it at that layer, head and query; under a causal mask the later keys show as
//! masked with weight 0; its softmax row is the grid's row for that query (read from the grid's
//! own tooltip); the residual stream's length per block; it follows training and stops when
//! closed; on the CPU and on WebGPU.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import {
  CPU_TIMEOUT, WEBGPU_TIMEOUT, assert, setFields, stepCount, switchToSequences,
  waitForSequenceSession, waitForSession, waitForWebgpuCheck, withPage,
} from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** What the view shows now. @param {Page} page */
const shown = (page) => page.evaluate(() => ({ .../** @type {HTMLElement} */ (document.querySelector('#attention-steps')).dataset }));

/** The cells of one step of the view: value, masked. @param {Page} page @param {string} step */
const cells = (page, step) => page.$$eval(`#attention-steps section[data-step="${step}"] .step-cell`,
  (els) => els.map((e) => ({ value: Number(/** @type {HTMLElement} */ (e).dataset.value), masked: /** @type {HTMLElement} */ (e).dataset.masked === 'true', title: e.getAttribute('title') ?? '' })));

/**
 * Where the centre of cell (query, key) of a grid map is, in page px.
 * @param {Page} page @param {string} map @param {number} query @param {number} key
 */
async function cellCentre(page, map, query, key) {
  const canvas = page.locator(`[data-testid="attention-cell-${map}"]`);
  await canvas.scrollIntoViewIfNeeded();
  const box = /** @type {{ x: number, y: number }} */ (await canvas.boundingBox());
  const margin = Number(await canvas.getAttribute('data-margin'));
  const cell = Number(await canvas.getAttribute('data-cell'));
  return { x: box.x + margin + cell * (key + 0.5), y: box.y + margin + cell * (query + 0.5) };
}

/**
 * The grid's weights of row `query` of a map, each read from its tooltip under the pointer.
 * @param {Page} page @param {string} map @param {number} query @param {number} length
 */
async function gridRow(page, map, query, length) {
  const row = [];
  for (let key = 0; key < length; key++) {
    const { x, y } = await cellCentre(page, map, query, key);
    await page.mouse.move(x, y);
    await page.locator(`#attention-tooltip[data-query="${query}"][data-key="${key}"]`).waitFor();
    row.push(Number(await page.getAttribute('#attention-tooltip', 'data-weight')));
  }
  return row;
}

/** Clicks cell (query, 0) of a map of the grid. @param {Page} page @param {string} map @param {number} query */
async function clickRow(page, map, query) {
  const { x, y } = await cellCentre(page, map, query, 0);
  await page.mouse.click(x, y);
}

/** @param {number[]} a @param {number[]} b */
const maxDifference = (a, b) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

test('a grid cell opens its head and query step by step; the mask, the grid’s row, training and closing', { timeout: 3 * CPU_TIMEOUT }, () =>
  withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await switchToSequences(page);
    await setFields(page, { 'seq-layers': 2, 'seq-heads': 2, 'train-eval-every': 1 });
    const before = await page.evaluate(() => location.hash);
    await page.check('#seq-causal');
    await page.waitForFunction((b) => location.hash !== b, before);
    await waitForSequenceSession(page);
    await page.locator('#attention-grid[data-layers="2"][data-heads="2"]').waitFor();

    // Closed by default: nothing is read for it.
    assert.equal(await page.locator('#attention-steps-details').evaluate((d) => /** @type {HTMLDetailsElement} */ (d).open), false);
    assert.equal((await shown(page)).step, undefined);

    const length = Number(await page.getAttribute('#attention-grid', 'data-length'));
    const query = 3;
    await clickRow(page, '1-1', query);
    await page.locator(`#attention-steps[data-layer="1"][data-head="1"][data-query="${query}"][data-step="0"]`).waitFor();
    assert.equal(await page.locator('#attention-steps-details').evaluate((d) => /** @type {HTMLDetailsElement} */ (d).open), true);
    assert.equal(await page.inputValue('#steps-layer'), '1');
    assert.equal(await page.inputValue('#steps-head'), '1');
    assert.equal(await page.inputValue('#steps-query'), String(query));
    const first = await shown(page);
    assert.equal(first.causal, 'true');

    // Under the causal mask every key after the query is masked, with weight 0.
    const mask = await cells(page, 'mask');
    const weights = await cells(page, 'weights');
    assert.equal(weights.length, length);
    for (let key = 0; key < length; key++) {
      assert.equal(mask[key].masked, key > query, `mask of key ${key}`);
      assert.equal(weights[key].masked, key > query, `weight of key ${key}`);
      if (key > query) assert.equal(weights[key].value, 0);
      else assert.ok(weights[key].value > 0, `key ${key} is visible: ${weights[key].value}`);
      assert.match(weights[key].title, /\d\.\d{3}/, 'the number on hover');
    }
    assert.ok(Math.abs(weights.reduce((s, w) => s + w.value, 0) - 1) < 1e-5);
    // The scaled scores are the scores over √d_k.
    const scores = await cells(page, 'scores');
    const scaled = await cells(page, 'scaled');
    const dHead = 32 / 2;
    scores.forEach((s, j) => assert.ok(Math.abs(s.value / Math.sqrt(dHead) - scaled[j].value) < 1e-5));

    // The softmax row is the grid's row for that cell, as the grid's tooltip reads it.
    const grid = await gridRow(page, '1-1', query, length);
    assert.ok(maxDifference(weights.map((w) => w.value), grid) < 1e-4, `${weights.map((w) => w.value)} vs ${grid}`);
    assert.ok(Number(first.gridDifference) < 1e-6, `the view's own check: ${first.gridDifference}`);

    // The residual stream at the query: entering, after attention, after the MLP, per block.
    const residual = await cells(page, 'residual');
    assert.equal(residual.length, 2 * 3);
    assert.ok(residual.every((r) => r.value > 0 && Number.isFinite(r.value)), JSON.stringify(residual));
    assert.match(residual[0].title, /‖x‖ = \d/);

    // Another query in the view: at once, from the same readback.
    await page.selectOption('#steps-query', { value: '0' });
    await page.locator('#attention-steps[data-query="0"]').waitFor();
    assert.equal((await cells(page, 'weights'))[0].value, 1, 'the first query sees only itself');

    // It follows training.
    for (let i = 0; i < 2; i++) {
      const next = (await stepCount(page)) + 1;
      await page.click('#step');
      await page.locator(`#attention-steps[data-step="${next}"]`).waitFor();
    }
    const trained = await shown(page);
    assert.notEqual(trained.checksum, first.checksum, 'the head’s Q, K and V changed with training');

    // Another head from the view's own picker.
    await page.selectOption('#steps-head', { value: '0' });
    await page.locator(`#attention-steps[data-head="0"][data-step="${trained.step}"]`).waitFor();

    // Closed: no more reads for it.
    await page.click('#steps-close');
    const next = (await stepCount(page)) + 1;
    await page.click('#step');
    await page.locator(`#attention-grid[data-step="${next}"]`).waitFor();
    await page.locator(`#predictions[data-step="${next}"]`).waitFor();
    assert.equal((await shown(page)).step, trained.step, 'a closed view is not refreshed');
    assert.deepEqual(consoleErrors, []);
  }));

test('on WebGPU the view opens from the grid with the grid’s row', { timeout: 2 * WEBGPU_TIMEOUT }, (t) =>
  withPage(openPage('#backend=webgpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await switchToSequences(page);
    const check = await waitForWebgpuCheck(page);
    if (check.state !== 'ok') {
      t.skip(`WebGPU is not usable here: ${check.text}`);
      return;
    }
    await page.locator('#backend-status[data-backend="webgpu"]').waitFor({ timeout: WEBGPU_TIMEOUT });
    await waitForSequenceSession(page, WEBGPU_TIMEOUT);
    const length = Number(await page.getAttribute('#attention-grid', 'data-length'));
    await clickRow(page, '0-0', 2);
    await page.locator('#attention-steps[data-layer="0"][data-head="0"][data-query="2"][data-step="0"]').waitFor({ timeout: WEBGPU_TIMEOUT });
    const weights = (await cells(page, 'weights')).map((w) => w.value);
    const grid = await gridRow(page, '0-0', 2, length);
    assert.ok(maxDifference(weights, grid) < 1e-4, `${weights} vs ${grid}`);
    assert.ok(Number((await shown(page)).gridDifference) < 1e-5);
    assert.deepEqual(consoleErrors, []);
  }));
