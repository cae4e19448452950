// @ts-check
//! Predict on new rows (issue 19, item 1) in the page: after training on a generated table, a
//! file of new rows without the target gets one prediction per row (the predicted class and each
//! class's probability, beside the file's columns) as a downloadable CSV; a file missing a column
//! is refused with a message naming it, and so is a hostile one; the predictions shown before
//! stay. A text classifier classifies a typed text. That the
//! probabilities are exactly the model's outputs on those rows is tests/predict.rs's (native).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openPage } from './browser.mjs';
import { CPU_TIMEOUT, pause, reviewsCsv } from './helpers.mjs';

/** Rows of a, b, c (and the class when `target`), from a fixed generator. @param {number} rows @param {boolean} target @param {number} seed */
function table(rows, target, seed) {
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lines = [target ? 'a,b,c,species' : 'c,a,b'];
  for (let i = 0; i < rows; i++) {
    const [a, b, c] = [random(), random(), random()];
    lines.push(target ? `${a.toFixed(6)},${b.toFixed(6)},${c.toFixed(6)},${a + b > 1 ? 'high' : 'low'}` : `${c.toFixed(6)},${a.toFixed(6)},${b.toFixed(6)}`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

test('predictions on a file of new rows download as CSV, and a file missing a column is refused', async () => {
  const { page, consoleErrors, close } = await openPage('#backend=cpu');
  try {
    await page.locator('#play:not([disabled])').waitFor({ timeout: CPU_TIMEOUT });
    assert.equal(await page.locator('#predict-panel').isVisible(), false, 'no table yet: nothing to predict on');
    await page.setInputFiles('#data-file', { name: 'train.csv', mimeType: 'text/csv', buffer: table(300, true, 7) });
    await page.locator('#table-preview[data-file="train.csv"]').waitFor({ timeout: CPU_TIMEOUT });
    await page.click('#use-file');
    await page.locator('#predict-panel:not([hidden])').waitFor({ timeout: CPU_TIMEOUT });
    await page.click('#play');
    await page.waitForFunction(() => Number(document.querySelector('#step-count')?.textContent?.replace(/\D/g, '')) >= 200,
      null, { timeout: CPU_TIMEOUT });
    await pause(page);

    // New rows, columns in another order, no target.
    await page.setInputFiles('#predict-file', { name: 'new.csv', mimeType: 'text/csv', buffer: table(25, false, 99) });
    await page.locator('#predict-result[data-state="done"]').waitFor({ timeout: CPU_TIMEOUT });
    assert.match(await page.innerText('#predict-result'), /Predicted 25 rows/);
    const header = await page.locator('#predict-table thead th').allInnerTexts();
    assert.deepEqual(header, ['c', 'a', 'b', 'predicted species', 'P(species = high)', 'P(species = low)']);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#predict-download')]);
    assert.equal(download.suggestedFilename(), 'new-predictions.csv');
    const lines = readFileSync(/** @type {string} */ (await download.path()), 'utf8').trim().split('\n');
    assert.equal(lines.length, 1 + 25, 'a header and one line per input row');
    let agree = 0;
    for (const line of lines.slice(1)) {
      const [c, a, b, label, high, low] = line.split(',');
      const [pHigh, pLow] = [Number(high), Number(low)];
      assert.ok(Math.abs(pHigh + pLow - 1) < 1e-5, `probabilities sum to 1: ${line}`);
      assert.equal(label, pHigh > pLow ? 'high' : 'low', 'the class is the likelier one');
      assert.ok([a, b, c].every((x) => /^0\.\d{6}$/.test(x)), 'the input cells come back as they were');
      if (label === (Number(a) + Number(b) > 1 ? 'high' : 'low')) agree += 1;
    }
    assert.ok(agree >= 20, `a trained model gets most new rows right: ${agree} of 25`);

    // A file without column b: refused by name; the predictions shown stay.
    const missing = Buffer.from('a,c\n0.5,0.5\n');
    await page.setInputFiles('#predict-file', { name: 'missing.csv', mimeType: 'text/csv', buffer: missing });
    await page.locator('#predict-result[data-state="refused"]').waitFor({ timeout: CPU_TIMEOUT });
    assert.match(await page.innerText('#predict-result'), /missing\.csv has no column 'b'/);
    assert.equal(await page.locator('#predict-table tbody tr').count(), 10, 'the earlier predictions are still shown');
    assert.equal(await page.isEnabled('#predict-download'), true);
    // A hostile file of new rows (300 names over a million empty lines, made here): refused by
    // the upload's own limits; the predictions shown stay, and the model trains on.
    const names = Array.from({ length: 300 }, (_, i) => `c${i}`).join(',');
    await page.setInputFiles('#predict-file', { name: 'wide.csv', mimeType: 'text/csv', buffer: Buffer.from(names + '\n'.repeat(1_000_000)) });
    await page.locator('#predict-result[data-state="refused"]', { hasText: 'wide.csv has 300 columns; the limit is 200' }).waitFor({ timeout: CPU_TIMEOUT });
    assert.equal(await page.locator('#predict-table tbody tr').count(), 10, 'the earlier predictions are still shown');
    const before = Number((await page.textContent('#step-count'))?.replace(/\D/g, ''));
    await page.click('#step');
    await page.waitForFunction((b) => Number(document.querySelector('#step-count')?.textContent?.replace(/\D/g, '')) > b,
      before, { timeout: CPU_TIMEOUT });
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test('the plane answers a click, and Enter at a point chosen with the arrow keys, with the output there', async () => {
  const { page, consoleErrors, close } = await openPage('#backend=cpu&data.kind=circles');
  try {
    await page.locator('#play:not([disabled])').waitFor({ timeout: CPU_TIMEOUT });
    await page.click('#play');
    await page.waitForFunction(() => Number(document.querySelector('#step-count')?.textContent?.replace(/\D/g, '')) >= 300,
      null, { timeout: CPU_TIMEOUT });
    await pause(page);
    const probe = page.locator('#boundary-probe');
    const values = async () => (await probe.getAttribute('data-values') ?? '').split(',').map(Number);
    // The keyboard: the cross starts at the centre, Enter asks there.
    await page.focus('#boundary-canvas');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /^At \(0\.00, 0\.00\): class 0 [\d.]+%, class 1 [\d.]+%\.$/.test(document.querySelector('#boundary-probe')?.textContent ?? ''),
      null, { timeout: CPU_TIMEOUT });
    const centre = await values();
    assert.ok(Math.abs(centre[0] + centre[1] - 1) < 1e-5, `probabilities sum to 1: ${centre}`);
    // A click near a corner, far outside the inner circle: the other class is the likelier one.
    const box = /** @type {{ x: number, y: number, width: number, height: number }} */ (await page.locator('#boundary-canvas').boundingBox());
    await page.mouse.click(box.x + box.width * 0.04, box.y + box.height * 0.04);
    await page.waitForFunction(() => /^At \(-1\.\d\d, 1\.\d\d\)/.test(document.querySelector('#boundary-probe')?.textContent ?? ''),
      null, { timeout: CPU_TIMEOUT });
    const corner = await values();
    assert.notEqual(centre[0] > centre[1], corner[0] > corner[1], `the centre ${centre} and the corner ${corner} are of different classes`);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test('a text classifier reads a typed text as its training texts, and its classes follow the model', async () => {
  const { page, consoleErrors, close } = await openPage('#backend=cpu&mode=sequences');
  try {
    await page.locator('#play:not([disabled])').waitFor({ timeout: CPU_TIMEOUT });
    assert.equal(await page.locator('#classify-box').isVisible(), false, 'a built-in task takes no typed text');
    await page.setInputFiles('#data-file', { name: 'reviews.csv', mimeType: 'text/csv', buffer: reviewsCsv(300) });
    await page.locator('#text-column-choices').waitFor({ timeout: CPU_TIMEOUT });
    await page.fill('#text-max-length', '8');
    await page.click('#use-text-column');
    await page.locator('#classify-box:not([hidden])').waitFor({ timeout: CPU_TIMEOUT });
    const answer = async () => ({
      p: ((await page.getAttribute('#classify-classes', 'data-probabilities')) ?? '').split(',').map(Number),
      classes: await page.locator('#classify-classes .text-class').evaluateAll((rows) => rows.map((r) => /** @type {HTMLElement} */ (r).dataset.class)),
      top: await page.locator('#classify-classes .text-class.top').getAttribute('data-class'),
      tokens: await page.innerText('#classify-tokens'),
    });
    // Untrained: an answer all the same, in capitals and with a word it never saw.
    await page.fill('#classify-text', 'The FILM was superb, truly superb and long-winded beyond words');
    await page.locator('#classify-classes[data-probabilities]').waitFor({ timeout: CPU_TIMEOUT });
    let a = await answer();
    assert.deepEqual([...a.classes].sort(), ['neg', 'pos']);
    assert.ok(Math.abs(a.p[0] + a.p[1] - 1) < 1e-5, `probabilities sum to 1: ${a.p}`);
    assert.match(a.tokens, /^The model reads: the · film · was · superb · <unk> · superb · and · <unk>/);
    assert.match(a.tokens, /Not in its vocabulary \(read as <unk>\): truly, long\./);
    assert.match(a.tokens, /3 more tokens are past its length \(8\) and left out\./);
    const untrained = a.p.join();
    // Trained: the answer follows the model, and is the right one.
    await page.click('#play');
    await page.waitForFunction(() => Number(document.querySelector('#test-accuracy')?.getAttribute('data-value') || 0) >= 0.9,
      null, { timeout: 300_000, polling: 500 });
    await pause(page);
    await page.waitForFunction((before) => document.querySelector('#classify-classes')?.getAttribute('data-probabilities') !== before,
      untrained, { timeout: CPU_TIMEOUT });
    await page.fill('#classify-text', 'the film was superb');
    await page.waitForFunction(() => document.querySelector('#classify-tokens')?.textContent === 'The model reads: the · film · was · superb',
      null, { timeout: CPU_TIMEOUT });
    assert.equal((await answer()).top, 'pos');
    await page.fill('#classify-text', 'a very boring plot');
    await page.waitForFunction(() => document.querySelector('#classify-tokens')?.textContent === 'The model reads: a · very · boring · plot',
      null, { timeout: CPU_TIMEOUT });
    assert.equal((await answer()).top, 'neg');
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});
