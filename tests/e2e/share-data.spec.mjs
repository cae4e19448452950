// @ts-check
//! Sharing a model trained on the user's own file (issue 6 with issue 5): a small CSV travels in
//! the link and a fresh page opens the same model on it; a CSV too big for a link is named by its
//! fingerprint, and the page that opens the link asks for it, refuses another file, then opens
//! the model on the right one; a bundled dataset is named, not carried; the model file of a
//! table model opens without asking while that file is in force; a language model of a .txt
//! travels with its text. On the CPU backend.

import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { openPage } from './browser.mjs';
import { CPU_TIMEOUT, assert, pause, setFields, stepCount, waitForSession, withPage } from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

const IRIS = readFileSync(new URL('../../assets/datasets/iris.csv', import.meta.url));

/** A CSV of `rows` random measurements and a class: ~190 KB, too much for a 64 KB link. */
function bigCsv(rows = 6000) {
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lines = ['a,b,c,species'];
  for (let i = 0; i < rows; i++) {
    const [a, b, c] = [random(), random(), random()];
    lines.push(`${a.toFixed(6)},${b.toFixed(6)},${c.toFixed(6)},${a + b > 1 ? 'high' : 'low'}`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

/**
 * Chooses `name` in the upload panel and trains on it with its proposed target.
 * @param {Page} page @param {string} name @param {Buffer} buffer
 */
async function trainOnFile(page, name, buffer) {
  await page.setInputFiles('#data-file', { name, mimeType: 'text/csv', buffer });
  await page.locator(`#table-preview[data-file="${name}"]`).waitFor({ timeout: CPU_TIMEOUT });
  await page.click('#use-file');
  await page.locator('[data-testid="confusion-matrix"]').waitFor({ timeout: CPU_TIMEOUT });
}

/**
 * Trains at least `steps` steps, then one Step so the metrics are of the step shared.
 * @param {Page} page @param {number} steps
 */
async function trainAndEvaluate(page, steps) {
  await page.click('#play');
  await page.waitForFunction((n) => Number(document.querySelector('#step-count')?.textContent) >= n,
    steps, { timeout: CPU_TIMEOUT });
  await pause(page);
  const next = (await stepCount(page)) + 1;
  await page.click('#step');
  await page.locator(`#test-metrics[data-step="${next}"]`).waitFor({ timeout: CPU_TIMEOUT });
  return next;
}

/** The confusion matrix's cells and the test accuracy. @param {Page} page */
async function tableMetrics(page) {
  const cells = await page.locator('[data-testid="confusion-matrix"] td').evaluateAll(
    (tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
  const accuracy = Number(await page.getAttribute('[data-testid="table-accuracy"]', 'data-value'));
  return { cells, accuracy };
}

/**
 * The link the share panel shows at `precision`, and what it says of the data.
 * @param {Page} page @param {'f32' | 'f16' | 'int8'} precision
 */
async function shareLink(page, precision) {
  await page.click('#share');
  await page.locator('#share-panel:not([hidden])').waitFor();
  if ((await page.inputValue('#share-precision')) !== precision) await page.selectOption('#share-precision', precision);
  await page.locator('#share-panel[data-pending="false"]').waitFor({ timeout: CPU_TIMEOUT });
  return {
    link: await page.inputValue('#share-link'),
    data: await page.getAttribute('#share-panel', 'data-data'),
    note: await page.textContent('#share-note') ?? '',
  };
}

const hashOf = (/** @type {string} */ link) => new URL(link).hash;

/** Waits until the shared model is open at `step` with its test metrics. @param {Page} page @param {number} step */
async function waitForOpened(page, step) {
  await page.locator(`#model-tools[data-opened="link:${step}"]`).waitFor({ timeout: CPU_TIMEOUT });
  await page.locator(`#test-metrics[data-step="${step}"]`).waitFor({ timeout: CPU_TIMEOUT });
}

test('a small CSV travels in the link: a fresh page opens the same model on it and trains on', { timeout: 600_000 }, async () => {
  /** @type {any} */
  let sent = null;
  await withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await setFields(page, { 'train-optimizer': 'adam', 'train-learning-rate': 0.03 });
    await trainOnFile(page, 'flowers.csv', IRIS);
    const step = await trainAndEvaluate(page, 30);
    const shared = await shareLink(page, 'f32');
    assert.equal(shared.data, 'embedded');
    assert.ok(shared.note.includes(`It carries your file flowers.csv (${(IRIS.length / 1024).toFixed(1)} KB)`), shared.note);
    sent = { step, link: shared.link, ...(await tableMetrics(page)) };
    assert.deepEqual(consoleErrors, []);
  });

  await withPage(openPage(hashOf(sent.link)), async ({ page, consoleErrors, foreignRequests }) => {
    await waitForOpened(page, sent.step);
    assert.equal(await page.isHidden('#data-request'), true);
    assert.match(await page.innerText('#upload-panel'), /Training on flowers\.csv: 120 rows to train, 30 to test/);
    // f32: the same predictions on the same test rows
    assert.deepEqual(await tableMetrics(page), { cells: sent.cells, accuracy: sent.accuracy });
    assert.equal(await stepCount(page), sent.step);
    // and training goes on from there
    await page.click('#play');
    await page.waitForFunction((s) => Number(document.querySelector('#step-count')?.textContent) >= s + 10,
      sent.step, { timeout: CPU_TIMEOUT });
    await pause(page);
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(consoleErrors, []);
  });
});

test('a CSV too big for the link: the opener is asked for it, a wrong file is refused, the right one opens the model', { timeout: 600_000 }, async () => {
  const big = bigCsv();
  /** @type {any} */
  let sent = null;
  await withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    await trainOnFile(page, 'big.csv', big);
    const step = await trainAndEvaluate(page, 3);
    const shared = await shareLink(page, 'f16');
    assert.equal(shared.data, 'fingerprint');
    assert.match(shared.note, /Your file big\.csv \(\d+\.\d KB\) is too big for a link/);
    assert.ok(shared.link.length < 64 * 1024, `${shared.link.length} characters`);
    sent = { step, link: shared.link, ...(await tableMetrics(page)) };
  });

  await withPage(openPage(hashOf(sent.link)), async ({ page, consoleErrors }) => {
    // The page starts with its defaults and asks for the file.
    await waitForSession(page);
    await page.locator('#data-request:not([hidden])').waitFor({ timeout: CPU_TIMEOUT });
    assert.match(await page.innerText('#data-request'), /trained on big\.csv \(\d+\.\d KB, step \d+\)/);
    assert.equal(await page.getAttribute('#data-request', 'data-name'), 'big.csv');
    // Another file: refused with its fingerprint, the ask stays, the default model stays.
    const other = Buffer.concat([big, Buffer.from('0.5,0.5,0.5,low\n')]);
    await page.setInputFiles('#data-request-file', { name: 'other.csv', mimeType: 'text/csv', buffer: other });
    await page.locator('[data-testid="error-message"]', { hasText: 'other.csv is not the file this model was trained on' })
      .waitFor({ timeout: CPU_TIMEOUT });
    assert.equal(await page.isVisible('#data-request'), true);
    assert.equal(await page.isVisible('#boundary-panel'), true);
    // The right file, dropped on the page, opens the model at its step; f16 weights, so
    // predictions within tolerance.
    await page.evaluate((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'big.csv', { type: 'text/csv' }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, big.toString('utf8'));
    await waitForOpened(page, sent.step);
    assert.equal(await page.isHidden('#data-request'), true);
    const got = await tableMetrics(page);
    assert.ok(Math.abs(got.accuracy - sent.accuracy) <= 0.02, `${got.accuracy} vs ${sent.accuracy}`);

    // Its model file names big.csv; imported while big.csv is in force, it opens without asking.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-model')]);
    await page.setInputFiles('#import-model', /** @type {string} */ (await download.path()));
    await page.locator(`#model-tools[data-opened="file:${sent.step}"]`).waitFor({ timeout: CPU_TIMEOUT });
    assert.equal(await page.isHidden('#data-request'), true);
    assert.deepEqual(consoleErrors, []);
  });
});

test('a bundled dataset is named, not carried, and opens without asking; a built-in model\'s link then replaces it', { timeout: 600_000 }, async () => {
  /** @type {any} */
  let sent = null;
  await withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    const spiral = await shareLink(page, 'int8');
    assert.equal(spiral.data, 'builtin');
    await page.click('#share-close');
    await page.selectOption('#sample-choice', 'penguins.csv');
    await page.locator('#table-preview[data-file="penguins.csv"]').waitFor({ timeout: CPU_TIMEOUT });
    await page.click('#use-file');
    await page.locator('[data-testid="confusion-matrix"]').waitFor({ timeout: CPU_TIMEOUT });
    const step = await trainAndEvaluate(page, 5);
    const shared = await shareLink(page, 'int8');
    assert.equal(shared.data, 'sample');
    assert.match(shared.note, /It names the bundled dataset penguins\.csv/);
    sent = { step, link: shared.link, spiral: spiral.link };
  });
  await withPage(openPage(hashOf(sent.link)), async ({ page, consoleErrors }) => {
    await waitForOpened(page, sent.step);
    assert.match(await page.innerText('#upload-panel'), /Training on penguins\.csv/);
    // A link of a model on a built-in dataset, opened while the table is in force, replaces it.
    await page.evaluate((hash) => { location.hash = hash; }, hashOf(sent.spiral));
    await page.locator('#model-tools[data-opened="link:0"]').waitFor({ timeout: CPU_TIMEOUT });
    await page.locator('#boundary-panel:not([hidden])').waitFor({ timeout: CPU_TIMEOUT });
    assert.equal(await page.isVisible('[data-testid="confusion-matrix"]'), false);
    assert.equal(await page.inputValue('#data-kind'), 'spiral');
    assert.deepEqual(consoleErrors, []);
  });
});

test('a language model of a .txt travels with its text', { timeout: 600_000 }, async () => {
  const text = 'It was the best of times, it was the worst of times, it was the age of wisdom. '.repeat(60);
  /** @type {any} */
  let sent = null;
  await withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    await page.setInputFiles('#data-file', { name: 'dickens.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
    await page.locator('#table-preview[data-file="dickens.txt"]').waitFor({ timeout: CPU_TIMEOUT });
    await page.click('#use-file');
    await page.locator('body[data-mode="sequences"]').waitFor();
    await page.click('#step');
    await page.locator('#test-loss[data-step="1"]').waitFor({ timeout: CPU_TIMEOUT });
    // int8: in f32 this model's weights alone would pass 64 KB, and the text would not travel
    const shared = await shareLink(page, 'int8');
    assert.equal(shared.data, 'embedded');
    sent = { link: shared.link, loss: Number(await page.getAttribute('#test-loss', 'data-value')) };
  });
  await withPage(openPage(hashOf(sent.link)), async ({ page, consoleErrors }) => {
    await page.locator('#model-tools[data-opened="link:1"]').waitFor({ timeout: CPU_TIMEOUT });
    await page.locator('body[data-mode="sequences"]').waitFor();
    await page.locator('#test-loss[data-step="1"]').waitFor({ timeout: CPU_TIMEOUT });
    // int8 weights on the same text: the test loss within the int8 tolerance
    const loss = Number(await page.getAttribute('#test-loss', 'data-value'));
    assert.ok(Math.abs(loss - sent.loss) <= 0.02 + 0.02 * sent.loss, `${loss} vs ${sent.loss}`);
    assert.deepEqual(consoleErrors, []);
  });
});
