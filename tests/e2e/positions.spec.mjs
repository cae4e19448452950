// @ts-check
//! The position vectors beside the projection (www/views/positions.js), driven through the page:
//! sinusoidal vectors are the formula's, read cell by cell with the keyboard; their similarity
//! matrix has ones on the diagonal and is symmetric, read under the pointer; learned vectors
//! move with training.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import { CPU_TIMEOUT, assert, pause, setField, switchToSequences, waitForSequenceSession, waitForSession, withPage } from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** The number at the end of the readout. @param {Page} page */
const readout = async (page) => {
  const text = /** @type {string} */ (await page.textContent('#positions-readout'));
  return { text, value: Number(text.match(/(-?[\d.]+(?:e[-+]?\d+)?)$/)?.[1]) };
};

/**
 * Hovers cell (row, col) of a map of `rows` × `cols`.
 * @param {Page} page @param {string} id @param {number} row @param {number} col @param {number} rows @param {number} cols
 */
async function hover(page, id, row, col, rows, cols) {
  const box = /** @type {{ x: number, y: number, width: number, height: number }} */ (await page.locator(`#${id}`).boundingBox());
  await page.mouse.move(box.x + ((col + 0.5) * box.width) / cols, box.y + ((row + 0.5) * box.height) / rows);
  await page.locator(`#${id}[data-row="${row}"][data-col="${col}"]`).waitFor();
  return readout(page);
}

test('sinusoidal positions are the formula’s, their similarity symmetric with ones on the diagonal', { timeout: 3 * CPU_TIMEOUT }, () =>
  withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await switchToSequences(page);
    await setField(page, 'seq-positional', 'sinusoidal');
    await waitForSequenceSession(page);
    await page.click('#projection-details > summary');
    await page.locator('#positions[data-learned="false"][data-length="8"][data-d-model="32"]').waitFor();

    // By keyboard: PE(0, 1) = cos 0 = 1, PE(1, 1) = cos 1, PE(1, 0) = sin 1.
    await page.focus('#positions-table');
    await page.keyboard.press('ArrowRight');
    assert.equal((await readout(page)).value, 1);
    await page.keyboard.press('ArrowDown');
    assert.ok(Math.abs((await readout(page)).value - Math.cos(1)) < 1e-3);
    await page.keyboard.press('ArrowLeft');
    const sin1 = await readout(page);
    assert.ok(Math.abs(sin1.value - Math.sin(1)) < 1e-3, sin1.text);
    assert.match(sin1.text, /position 1, dimension 0/);

    for (const i of [0, 3, 7]) assert.equal((await hover(page, 'positions-similarity', i, i, 8, 8)).value, 1, `diagonal ${i}`);
    const a = await hover(page, 'positions-similarity', 2, 5, 8, 8);
    const b = await hover(page, 'positions-similarity', 5, 2, 8, 8);
    assert.equal(a.value, b.value, 'symmetric');
    assert.ok(a.value < 1);
    assert.deepEqual(consoleErrors, []);
  }));

test('learned positions move with training, at the projection’s rate', { timeout: 3 * CPU_TIMEOUT }, () =>
  withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await switchToSequences(page);
    await page.click('#projection-details > summary');
    await page.locator('#positions[data-learned="true"][data-step="0"]').waitFor();
    const before = await page.getAttribute('#positions', 'data-checksum');
    await page.fill('#projection-every', '10');
    await page.press('#projection-every', 'Tab');
    await page.click('#play');
    await page.waitForFunction(() => Number(document.querySelector('#positions')?.getAttribute('data-step')) >= 20, null, { timeout: CPU_TIMEOUT });
    await pause(page);
    assert.notEqual(await page.getAttribute('#positions', 'data-checksum'), before);
    assert.deepEqual(consoleErrors, []);
  }));
