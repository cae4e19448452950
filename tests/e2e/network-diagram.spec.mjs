// @ts-check
//! The network diagram (issue 17) on the CPU backend: one cell per hidden unit, whose pictures
//! change while training and are identical within a layer after a zeros init; a click shows a
//! unit large beside the boundary; a closed diagram gets no units; a table of four inputs shows
//! histograms, with a dead mark on each unit the worker reports active on no test row.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import { CPU_TIMEOUT, assert, pause, stepCount, waitForSession, withPage } from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** The hash of a page with these hidden layers ("units:activation:dropout,…") on the CPU. @param {string} layers */
const withLayers = (layers, more = '') => `#backend=cpu&model.hidden=${encodeURIComponent(layers)}${more}`;

/**
 * An FNV-1a hash of each hidden cell's pixels, by layer, and how many distinct colours the
 * first cell of each layer has.
 * @param {Page} page @returns {Promise<{ hashes: Record<string, string[]>, colours: Record<string, number> }>}
 */
function cellPixels(page) {
  return page.evaluate(() => {
    /** @type {Record<string, string[]>} */ const hashes = {};
    /** @type {Record<string, number>} */ const colours = {};
    for (const c of /** @type {NodeListOf<HTMLCanvasElement>} */ (document.querySelectorAll('#diagram canvas.is-hidden'))) {
      const data = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d')).getImageData(0, 0, c.width, c.height).data;
      let h = 0x811c9dc5;
      const seen = new Set();
      for (let i = 0; i < data.length; i++) {
        h = Math.imul(h ^ data[i], 0x01000193);
        if (i % 4 === 0) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
      const layer = c.dataset.layer ?? '';
      (hashes[layer] ??= []).push((h >>> 0).toString(16));
      colours[layer] ??= seen.size;
    }
    return { hashes, colours };
  });
}

/** The step of the units drawn last. @param {Page} page */
const drawnStep = async (page) => Number(await page.getAttribute('#diagram', 'data-step'));

/** Trains until the diagram has drawn units of step `step` or later, then pauses. @param {Page} page @param {number} step */
async function trainPast(page, step) {
  await page.click('#play');
  await page.waitForFunction((s) => Number(document.querySelector('#diagram')?.getAttribute('data-step')) >= s,
    step, { timeout: CPU_TIMEOUT });
  await pause(page);
}

test('one cell per unit, changing while training; a click shows it large; closed, no units', { timeout: 300_000 }, () =>
  withPage(openPage(withLayers('4:tanh:0,4:relu:0')), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await page.locator('#diagram[data-cells="8"][data-step="0"][data-view="plane"]').waitFor();
    assert.equal(await page.locator('#diagram canvas.is-hidden').count(), 8);
    assert.equal(await page.locator('#diagram canvas.is-output').count(), 2);
    assert.deepEqual(await page.locator('#diagram .diagram-input').allInnerTexts(), ['x', 'y']);
    const before = await cellPixels(page);
    // Kaiming init: the units of a layer compute different things.
    for (const layer of ['1', '2']) assert.ok(new Set(before.hashes[layer]).size > 1, `layer ${layer}: ${before.hashes[layer]}`);

    await trainPast(page, 100);
    const after = await cellPixels(page);
    for (const layer of ['1', '2']) {
      const changed = after.hashes[layer].filter((h, i) => h !== before.hashes[layer][i]).length;
      assert.ok(changed > 0, `layer ${layer}: no picture changed while training`);
    }

    // Hover: the unit's numbers.
    const cell = page.locator('#diagram canvas.is-hidden[data-layer="2"][data-unit="1"]');
    await cell.hover();
    await page.locator('#diagram-tooltip:not([hidden])').waitFor();
    const tip = await page.innerText('#diagram-tooltip');
    assert.match(tip, /layer 2, unit 2/);
    assert.match(tip, /bias -?\d/);
    assert.match(tip, /mean activation -?\d/);

    // Hover a link: its ends and its weight (a point near the input x's end of its first link).
    const from = /** @type {{ x: number, y: number, width: number, height: number }} */ (await page.locator('#diagram .diagram-input').first().boundingBox());
    const to = /** @type {{ x: number, y: number, width: number, height: number }} */ (await page.locator('#diagram canvas.is-hidden[data-layer="1"]').first().boundingBox());
    const [x1, y1, x2, y2] = [from.x + from.width, from.y + from.height / 2, to.x, to.y + to.height / 2];
    await page.mouse.move(x1 + (x2 - x1) * 0.1, y1 + (y2 - y1) * 0.1);
    await page.locator('#diagram-tooltip:not([hidden])').waitFor();
    assert.match(await page.innerText('#diagram-tooltip'), /^x → layer 1, unit \d\nweight -?\d/);

    // A click shows it large beside the boundary; "Back to the output" hides it.
    await cell.click();
    await page.locator('#boundary-row #unit-zoom:not([hidden])').waitFor();
    assert.equal(await page.getAttribute('#unit-zoom-canvas', 'data-layer'), '2');
    assert.equal(await page.getAttribute('#unit-zoom-canvas', 'data-unit'), '1');
    assert.ok(await page.locator('#boundary-canvas').isVisible(), 'the boundary stays beside it');
    await page.click('#unit-zoom-close');
    await page.locator('#unit-zoom[hidden]').waitFor({ state: 'attached' });
    // From the keyboard too.
    await page.focus('#diagram canvas.is-hidden[data-layer="1"][data-unit="3"]');
    await page.keyboard.press('Enter');
    await page.locator('#unit-zoom:not([hidden])').waitFor();
    assert.equal(await page.getAttribute('#unit-zoom-canvas', 'data-unit'), '3');

    // Closed, the diagram gets no units (the worker computes none); opened, it gets them at once.
    const shownStep = await drawnStep(page);
    const step = await stepCount(page);
    await page.click('#diagram-details summary');
    await page.locator('#diagram-details:not([open])').waitFor({ state: 'attached' });
    await page.click('#step');
    await page.locator(`#boundary-canvas[data-step="${step + 1}"]`).waitFor();
    assert.equal(await drawnStep(page), shownStep, 'a closed diagram received units');
    await page.click('#diagram-details summary');
    await page.locator(`#diagram[data-step="${step + 1}"]`).waitFor();
    assert.deepEqual(consoleErrors, []);
  }));

test('zeros init: the units of a layer stay identical while training', { timeout: 300_000 }, () =>
  withPage(openPage(withLayers('4:sigmoid:0,3:sigmoid:0', '&model.init=zeros')), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await page.locator('#diagram[data-cells="7"][data-step="0"]').waitFor();
    await trainPast(page, 100);
    const { hashes, colours } = await cellPixels(page);
    for (const layer of ['1', '2']) {
      assert.equal(new Set(hashes[layer]).size, 1, `layer ${layer} units differ: ${hashes[layer]}`);
    }
    // Not a blank picture: the first layer has learned something over the plane.
    assert.ok(colours['1'] > 1, `layer 1 is one colour (${colours['1']})`);
    assert.deepEqual(consoleErrors, []);
  }));

test('a table of four inputs: histograms over the test rows, and dead ReLU units marked', { timeout: 300_000 }, () =>
  // Zero weights and biases: every ReLU unit's input is 0 on every row, so it never fires.
  withPage(openPage(withLayers('6:relu:0,5:tanh:0', '&model.init=zeros')), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await page.selectOption('#sample-choice', 'iris.csv');
    await page.locator('#table-preview[data-file="iris.csv"]').waitFor();
    await page.click('#use-file');
    await page.locator('#diagram[data-view="histograms"][data-cells="11"]').waitFor();
    const inputs = await page.locator('#diagram .diagram-input').allInnerTexts();
    assert.equal(inputs.length, 4);
    assert.match(inputs[0], /^sepal_length/);
    assert.ok(await page.locator('#boundary-panel').isHidden(), 'four inputs have no plane');
    const reported = Number(await page.getAttribute('#diagram', 'data-dead-reported'));
    assert.ok(reported >= 6, `the worker reports ${reported} units never active`);
    // Only ReLU units are marked: a tanh unit at 0 is not stuck there.
    assert.equal(await page.locator('#diagram canvas.dead').count(), 6);
    assert.equal(await page.locator('#diagram canvas.is-hidden[data-layer="1"].dead').count(), 6);
    await page.locator('#diagram-dead:not([hidden])').waitFor();
    assert.match(await page.innerText('#diagram-dead'), /6 dead ReLU units/);
    const cell = page.locator('#diagram canvas.is-hidden[data-layer="1"][data-unit="0"]');
    await cell.hover();
    assert.match(await page.innerText('#diagram-tooltip'), /active on 0 of \d+ rows\ndead/);
    // With no plane, the unit shows large in the diagram's own panel.
    await cell.click();
    await page.locator('#diagram-panel #unit-zoom:not([hidden])').waitFor();
    assert.deepEqual(consoleErrors, []);
  }));

test('a wide layer: its first 16 units drawn, and how many more', { timeout: 300_000 }, () =>
  withPage(openPage(withLayers('256:relu:0,3:relu:0')), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await page.locator('#diagram[data-cells="19"][data-step="0"]').waitFor();
    assert.equal(await page.locator('#diagram canvas.is-hidden[data-layer="1"]').count(), 16);
    assert.deepEqual(await page.locator('#diagram .diagram-more').allInnerTexts(), ['+240 more']);
    assert.deepEqual(consoleErrors, []);
  }));
