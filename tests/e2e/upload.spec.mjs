// @ts-check
//! Your own data from the UI, on the CPU backend: a CSV through the file chooser, its preview,
//! the target chosen, training and the test metrics; a malformed file's message while the data
//! and model in force stay; a .txt trained as a character-level language model. The file never
//! leaves the page: every request is checked.

import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { openPage } from './browser.mjs';
import { CPU_TIMEOUT, assert, pause, reviewsCsv, setFields, stepCount, waitForSession, withPage } from './helpers.mjs';

const IRIS = readFileSync(new URL('../../assets/datasets/iris.csv', import.meta.url));

/**
 * Records the method and URL of every request the page makes, and whether it carried a body.
 * @param {import('playwright-core').Page} page
 */
function watchRequests(page) {
  /** @type {{ method: string, url: string, body: boolean }[]} */
  const seen = [];
  page.on('request', (r) => seen.push({ method: r.method(), url: r.url(), body: r.postDataBuffer() !== null }));
  return seen;
}

/**
 * Chooses a file through the file picker as a user does.
 * @param {import('playwright-core').Page} page @param {string} name @param {Buffer} buffer
 */
async function chooseFile(page, name, buffer, mimeType = 'text/csv') {
  await page.setInputFiles('#data-file', { name, mimeType, buffer });
}

/** @param {import('playwright-core').Page} page @param {string} name */
async function waitForPreview(page, name) {
  await page.locator(`#table-preview[data-file="${name}"]`).waitFor({ timeout: CPU_TIMEOUT });
}

test('a CSV from the file chooser: preview, target, training and test metrics', { timeout: 600_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page, foreignRequests }) => {
    const requests = watchRequests(page);
    await waitForSession(page);
    await setFields(page, { 'train-optimizer': 'adam', 'train-learning-rate': 0.03 });
    await chooseFile(page, 'flowers.csv', IRIS);
    await waitForPreview(page, 'flowers.csv');
    // the preview: the first rows, each column's type, the proposed target's class balance
    assert.match(await page.innerText('[data-testid="preview-summary"]'), /flowers\.csv: 150 rows, 5 columns \(header detected\)/);
    assert.equal(await page.locator('[data-testid="preview-rows"] tbody tr').count(), 8);
    assert.equal(await page.getAttribute('[data-testid="preview-columns"] tr[data-column="petal_width_cm"]', 'data-kind'), 'numeric');
    // choose the target (the proposal is already species: pick another, then species again)
    await page.selectOption('#table-target', 'petal_width_cm');
    await page.locator('#class-balance', { hasText: 'regression' }).waitFor();
    await page.selectOption('#table-target', 'species');
    await page.locator('#class-balance .balance-row').nth(2).waitFor();
    assert.match(await page.innerText('#class-balance'), /setosa\s+50/);
    await page.click('#use-file');
    // the confusion matrix takes the decision boundary's place
    await page.locator('[data-testid="confusion-matrix"]').waitFor();
    assert.equal(await page.locator('#boundary-panel').isVisible(), false);
    assert.match(await page.innerText('#upload-status'), /Training on flowers\.csv: 120 rows to train, 30 to test/);
    await page.click('#play');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="table-accuracy"]')?.getAttribute('data-value') || 0) >= 0.9,
      null, { timeout: 300_000, polling: 500 });
    await pause(page);
    const cells = await page.locator('[data-testid="confusion-matrix"] td').evaluateAll(
      (tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
    assert.equal(cells.length, 9);
    assert.equal(cells.reduce((a, b) => a + b, 0), 30);
    assert.equal(await page.locator('[data-testid="per-class"] tr').count(), 4);
    assert.ok(Number(await page.getAttribute('#test-accuracy', 'data-value')) >= 0.9);
    // the projection view: the last hidden layer, one point per test row
    await page.click('#projection-details > summary');
    await page.waitForFunction(() => document.querySelector('#projection-canvas')?.getAttribute('data-points') === '30',
      null, { timeout: 60_000 });
    // a link carries the file (share-data.spec.mjs opens such links)
    await page.click('#share');
    await page.locator('#share-panel[data-data="embedded"][data-pending="false"]').waitFor({ timeout: CPU_TIMEOUT });
    // the data never left the page
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(requests.filter((r) => r.method !== 'GET' || r.body), []);
  }));

test('a malformed file shows its message; the dataset and model in force stay', { timeout: 600_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    await page.selectOption('#sample-choice', 'penguins.csv');
    await waitForPreview(page, 'penguins.csv');
    assert.match(await page.innerText('#sample-source'), /Licence: CC0/);
    await page.click('#use-file');
    await page.locator('[data-testid="confusion-matrix"]').waitFor();
    for (let i = 0; i < 3; i++) await page.click('#step');
    await page.waitForFunction(() => Number(document.querySelector('#step-count')?.textContent) === 3);
    const before = await page.innerText('#upload-status');

    const bad = [
      ['ragged.csv', Buffer.from('a,b,c\n1,2,3\n4,5\n'), 'ragged.csv, line 3: has 2 fields; the first line has 3'],
      ['prices.csv', Buffer.from('item,price\na,1.5\nb,2\nc,n/a\nd,4\n'),
        "prices.csv, line 4, column 'price': 'n/a' is not a number"],
      ['empty.csv', Buffer.alloc(0), 'empty.csv is empty'],
      ['photo.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'photo.csv looks like a binary file'],
      ['latin1.csv', Buffer.from([0x61, 0x0a, 0x4a, 0x6f, 0x73, 0xe9, 0x0a]), 'latin1.csv, line 2: is not UTF-8'],
    ];
    for (const [name, bytes, message] of bad) {
      await chooseFile(page, /** @type {string} */ (name), /** @type {Buffer} */ (bytes));
      await page.locator('#upload-status[data-state="error"]', { hasText: /** @type {string} */ (message) }).waitFor();
      assert.match(await page.innerText('#messages'), new RegExp(/** @type {string} */ (message).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    }
    // the previewed table, the data and the model in force are still there, and train on
    assert.equal(await page.getAttribute('#table-preview', 'data-file'), 'penguins.csv');
    assert.equal(await stepCount(page), 3);
    assert.ok(await page.locator('[data-testid="confusion-matrix"]').isVisible());
    await page.click('#step');
    await page.waitForFunction(() => Number(document.querySelector('#step-count')?.textContent) === 4);
    await page.locator('[data-testid="test-metrics"][data-step="4"]').waitFor();
    assert.match(before, /^Training on penguins\.csv: 275 rows to train, 69 to test; 0 rows left out for a missing value, 19 missing values imputed/);
  }));

test('a .txt trains a character-level language model', { timeout: 600_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    const text = 'It was the best of times, it was the worst of times, it was the age of wisdom. '.repeat(60);
    await chooseFile(page, 'dickens.txt', Buffer.from(text), 'text/plain');
    await waitForPreview(page, 'dickens.txt');
    assert.match(await page.innerText('[data-testid="preview-summary"]'), new RegExp(`dickens\\.txt: ${text.length} characters`));
    await page.click('#use-file');
    // the sequences mode, on the uploaded text
    await page.locator('body[data-mode="sequences"]').waitFor();
    await page.locator('#attention-grid[data-step="0"]').waitFor();
    const before = Number(await page.getAttribute('#test-loss', 'data-value'));
    await page.click('#play');
    await page.waitForFunction(() => Number(document.querySelector('#step-count')?.textContent) >= 100, null,
      { timeout: 300_000 });
    await pause(page);
    await page.locator('#test-loss').waitFor();
    await page.waitForFunction((b) => Number(document.querySelector('#test-loss')?.getAttribute('data-value')) < b,
      before, { timeout: CPU_TIMEOUT });
    // generated text uses the file's characters
    await page.click('#generate');
    await page.locator('#generated-text:not(:empty)').waitFor();
    const generated = (await page.innerText('#generated-text')).replace(/<pad>|<unk>/g, '');
    assert.ok([...generated].every((c) => text.includes(c) || /\s|…/.test(c)), generated);
  }));

test('a text column with labels trains a sequence classifier', { timeout: 600_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    await chooseFile(page, 'reviews.csv', reviewsCsv(300, ', really'));
    await waitForPreview(page, 'reviews.csv');
    assert.equal(await page.getAttribute('[data-testid="preview-columns"] tr[data-column="review"]', 'data-kind'), 'text');
    await page.locator('#text-column-choices').waitFor();
    await page.fill('#text-max-length', '8');
    await page.click('#use-text-column');
    await page.locator('body[data-mode="sequences"]').waitFor();
    await page.locator('#attention-grid[data-step="0"]').waitFor();
    await page.click('#play');
    await page.waitForFunction(() => Number(document.querySelector('#test-accuracy')?.getAttribute('data-value') || 0) >= 0.9,
      null, { timeout: 300_000, polling: 500 });
    await pause(page);
  }));

test('a table of two inputs keeps the decision boundary, over its own plane', { timeout: 600_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    const rows = ['height,weight,kind'];
    for (let i = 0; i < 200; i++) {
      const h = 150 + ((i * 37) % 50), w = 40 + ((i * 53) % 80);
      rows.push(`${h},${w},${w / (h / 100) ** 2 > 25 ? 'heavy' : 'light'}`);
    }
    await chooseFile(page, 'bmi.csv', Buffer.from(`${rows.join('\n')}\n`));
    await waitForPreview(page, 'bmi.csv');
    await page.click('#use-file');
    await page.locator('[data-testid="confusion-matrix"]').waitFor();
    await page.locator('#boundary-canvas[data-step="0"]').waitFor();
    assert.ok(await page.locator('#boundary-panel').isVisible());
    assert.equal(await page.locator('#dataset-panel').isVisible(), false);
    for (let i = 0; i < 2; i++) await page.click('#step');
    await page.locator('#boundary-canvas[data-step="2"]').waitFor();
    // The plane (the standardised inputs) answers a click with each class's probability there.
    const box = /** @type {{ x: number, y: number, width: number, height: number }} */ (await page.locator('#boundary-canvas').boundingBox());
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(() => /^At \(-?\d+\.\d\d, -?\d+\.\d\d\): class (heavy|light) [\d.]+%, class (heavy|light) [\d.]+%\.$/.test(document.querySelector('#boundary-probe')?.textContent ?? ''),
      null, { timeout: CPU_TIMEOUT });
    const p = ((await page.getAttribute('#boundary-probe', 'data-values')) ?? '').split(',').map(Number);
    assert.ok(p.length === 2 && Math.abs(p[0] + p[1] - 1) < 1e-5, `probabilities sum to 1: ${p}`);
    // back to the built-in data: the spiral and its panel
    await page.click('#leave-file');
    await page.locator('#dataset-panel').waitFor();
    assert.equal(await page.locator('#test-metrics-panel').isVisible(), false);
  }));
