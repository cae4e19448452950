// @ts-check
//! The projection view (issue 4), driven through the page on the CPU backend: one point per
//! test point for the spiral MLP's last hidden layer, frames that change while training, hover
//! and click (nearest neighbours by cosine), search, CSV and PNG export; one point per token for
//! the reverse task's embeddings and one per position for a block; UMAP and t-SNE frames from the
//! projection worker; PCA and neighbours on WebGPU.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import {
  CPU_TIMEOUT, SPIRAL, WEBGPU_TIMEOUT, assert, pause, setField, setFields, switchToSequences, waitForSession,
  withPage,
} from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** What the projection canvas shows now. @param {Page} page */
async function shown(page) {
  return page.evaluate(() => ({ .../** @type {HTMLElement} */ (document.querySelector('#projection-canvas')).dataset }));
}

/** Opens the projection view and waits for its first frame. @param {Page} page */
async function openProjection(page, timeout = CPU_TIMEOUT) {
  await page.click('#projection-details > summary');
  await page.waitForFunction(() => Number(document.querySelector('#projection-canvas')?.getAttribute('data-points')) > 0,
    null, { timeout });
}

/** Plays until the step count reaches `steps`, then pauses. @param {Page} page @param {number} steps */
async function trainTo(page, steps, timeout = CPU_TIMEOUT) {
  await page.click('#play');
  await page.waitForFunction((n) => Number(document.querySelector('#step-count')?.textContent) >= n, steps, { timeout });
  await pause(page);
}

/** Clicks the probe point (once the points are still) and returns the neighbour list. @param {Page} page */
async function clickProbe(page) {
  await page.locator('#projection-canvas[data-busy="false"]').waitFor();
  await page.waitForTimeout(400); // the points ease to the last frame
  const probe = /** @type {string} */ (await page.getAttribute('#projection-canvas', 'data-probe'));
  const [x, y] = probe.split(',').map(Number);
  await page.click('#projection-canvas', { position: { x, y } });
  await page.locator('#projection-neighbours li').first().waitFor();
  return page.$$eval('#projection-neighbours li', (items) => items.map((li) => ({
    index: Number(/** @type {HTMLElement} */ (li).dataset.index),
    similarity: Number(li.querySelector('.similarity')?.textContent),
  })));
}

test('the spiral MLP: one point per test point, frames follow training, neighbours on click', { timeout: 600_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await setFields(page, { ...SPIRAL, 'train-eval-every': 20 });
    await openProjection(page);
    // Not a setting of the model (no hash change): a frame every 20 steps.
    await page.fill('#projection-every', '20');
    await page.press('#projection-every', 'Tab');
    const untrained = await shown(page);
    // Default data: 600 points, half of them for testing.
    assert.equal(untrained.points, '300');
    assert.equal(untrained.method, 'pca');
    assert.equal(untrained.step, '0');
    assert.match(await page.textContent('#projection-variance') ?? '', /^variance explained: PC1 \d+\.\d%, PC2/);
    assert.equal(await page.inputValue('#projection-source'), 'hidden');
    const firstImage = await page.locator('#projection-canvas').evaluate((c) => /** @type {HTMLCanvasElement} */ (c).toDataURL());

    // Frames while training: several, with later steps, and a different picture.
    await page.click('#play');
    await page.waitForFunction(() => Number(document.querySelector('#projection-canvas')?.getAttribute('data-step')) >= 100,
      null, { timeout: CPU_TIMEOUT });
    await pause(page);
    const trained = await shown(page);
    assert.ok(Number(trained.frames) >= Number(untrained.frames) + 3, `frames ${untrained.frames} -> ${trained.frames}`);
    assert.equal(trained.points, '300');
    await page.waitForTimeout(400); // the points ease to the last frame
    const trainedImage = await page.locator('#projection-canvas').evaluate((c) => /** @type {HTMLCanvasElement} */ (c).toDataURL());
    assert.notEqual(trainedImage, firstImage);
    assert.match(await page.textContent('#projection-status') ?? '', /PCA of 300 points in 64-D · frame from step \d+, now step \d+/);

    // Hover: the label.
    const probe = /** @type {string} */ (trained.probe);
    const [x, y] = probe.split(',').map(Number);
    await page.hover('#projection-canvas', { position: { x, y } });
    await page.locator('#projection-tooltip:not([hidden])').waitFor();
    assert.match(await page.textContent('#projection-tooltip') ?? '', /^class [01]$/);

    // Click: ten neighbours by cosine similarity, most similar first, the point itself left out.
    const neighbours = await clickProbe(page);
    assert.equal(neighbours.length, 10);
    assert.ok(neighbours.every((n) => n.index !== 0 && n.similarity <= 1.0005 && n.similarity >= -1.0005));
    for (let i = 1; i < neighbours.length; i++) assert.ok(neighbours[i - 1].similarity >= neighbours[i].similarity);

    // Search by label: every test point of class 1 matches.
    await page.fill('#projection-search', 'class 1');
    const matches = await page.textContent('#projection-matches');

    // CSV: a header and one row per point.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#projection-csv')]);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const rows = readFileSync(/** @type {string} */ (path), 'utf8').trim().split('\n');
    assert.equal(rows[0], 'index,x,y,label,class');
    assert.equal(rows.length, 301);
    const ones = rows.slice(1).filter((r) => r.endsWith(',class 1')).length;
    assert.equal(matches, `${ones} matches`);
    assert.match(download.suggestedFilename(), /^kindling-projection-hidden-pca-step\d+\.csv$/);
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('#projection-png')]);
    assert.match(png.suggestedFilename(), /^kindling-projection-hidden-pca-step\d+\.png$/);
    const pngBytes = readFileSync(/** @type {string} */ (await png.path()));
    assert.equal(pngBytes.subarray(1, 4).toString(), 'PNG');
    assert.deepEqual(consoleErrors, []);
  }));

test('the reverse task: one point per token of the embedding table, and per position of a block', { timeout: 600_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await switchToSequences(page);
    await setField(page, 'seq-task', 'reverse');
    await openProjection(page);
    const table = await shown(page);
    assert.equal(await page.inputValue('#projection-source'), 'embedding');
    assert.equal(table.points, '16', 'one point per input token (16 symbols)');
    const neighbours = await clickProbe(page);
    assert.equal(neighbours.length, 10);
    // Search a token: its one point.
    const [x, y] = /** @type {string} */ (table.probe).split(',').map(Number);
    await page.hover('#projection-canvas', { position: { x, y } });
    await page.locator('#projection-tooltip:not([hidden])').waitFor();
    const token = /** @type {string} */ (await page.textContent('#projection-tooltip'));
    await page.fill('#projection-search', token);
    assert.equal(await page.textContent('#projection-matches'), '1 match');
    await page.fill('#projection-search', '');

    // UMAP on 16 points: its neighbourhood is cut to the points there are.
    await page.selectOption('#projection-method', 'umap');
    await page.waitForFunction(() => {
      const c = document.querySelector('#projection-canvas');
      return c?.getAttribute('data-method') === 'umap' && c?.getAttribute('data-busy') === 'false';
    }, null, { timeout: CPU_TIMEOUT });
    assert.equal((await shown(page)).points, '16');
    await page.selectOption('#projection-method', 'pca');

    // Block 1's output at each position of the test sequences: 400 sequences of 8.
    await page.selectOption('#projection-source', 'block:0');
    await page.waitForFunction(() => document.querySelector('#projection-canvas')?.getAttribute('data-points') === '3200',
      null, { timeout: CPU_TIMEOUT });
    const colourings = await page.$$eval('#projection-colour option', (o) => o.map((e) => e.textContent));
    assert.deepEqual(colourings, ['token', 'target', 'position', 'none']);
    await page.fill('#projection-every', '10');
    await page.press('#projection-every', 'Tab');
    await trainTo(page, 30);
    await page.waitForFunction(() => Number(document.querySelector('#projection-canvas')?.getAttribute('data-step')) >= 30,
      null, { timeout: CPU_TIMEOUT });
    assert.deepEqual(consoleErrors, []);
  }));

test('UMAP and t-SNE frames come from the projection worker and say how old they are', { timeout: 600_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await openProjection(page);
    for (const method of ['tsne', 'umap']) {
      await page.selectOption('#projection-method', method);
      await page.waitForFunction((m) => {
        const c = document.querySelector('#projection-canvas');
        return c?.getAttribute('data-method') === m && c?.getAttribute('data-points') === '300';
      }, method, { timeout: CPU_TIMEOUT });
      await page.waitForFunction(() => !/iterating/.test(document.querySelector('#projection-status')?.textContent ?? ''),
        null, { timeout: CPU_TIMEOUT });
      const name = method === 'tsne' ? 't-SNE' : 'UMAP';
      assert.match(await page.textContent('#projection-status') ?? '',
        new RegExp(`^${name} of 300 points in 64-D · frame from step 0, now step 0`));
    }
    // While training, the frame lags behind the step and says so.
    await page.click('#play');
    await page.waitForFunction(() => Number(document.querySelector('#projection-canvas')?.getAttribute('data-step')) >= 100,
      null, { timeout: CPU_TIMEOUT });
    await pause(page);
    assert.match(await page.textContent('#projection-status') ?? '', /frame from step \d+, now step \d+/);
    const neighbours = await clickProbe(page);
    assert.equal(neighbours.length, 10);
    assert.deepEqual(consoleErrors, []);
  }));

test('on WebGPU the PCA frame and the neighbours come from the device, read back asynchronously', { timeout: 2 * WEBGPU_TIMEOUT }, () =>
  withPage(openPage('#backend=webgpu'), async ({ page, consoleErrors }) => {
    await page.locator('#backend-status[data-backend="webgpu"]').waitFor({ timeout: WEBGPU_TIMEOUT });
    await waitForSession(page, WEBGPU_TIMEOUT);
    await openProjection(page, WEBGPU_TIMEOUT);
    const frame = await shown(page);
    assert.equal(frame.points, '300');
    assert.equal(frame.method, 'pca');
    const neighbours = await clickProbe(page);
    assert.equal(neighbours.length, 10);
    assert.ok(neighbours.every((n) => Math.abs(n.similarity) <= 1.0005));
    assert.deepEqual(consoleErrors, []);
  }));
