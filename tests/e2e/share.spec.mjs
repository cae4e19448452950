// @ts-check
//! Sharing a trained model (issue 6), through the page: a link that reopens the same model in a
//! fresh browser (metrics, decision boundary, step and history; Play goes on), damaged links
//! refused with their message, the sequences mode, and a .safetensors file exported by download
//! and imported with the file picker. On the CPU backend for speed, but for one model trained on
//! WebGPU and reopened on the CPU.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import {
  CPU_TIMEOUT, SPIRAL, WEBGPU_TIMEOUT, assert, metric, pause, setField, setFields, stepCount, switchToSequences,
  trainUntilAccuracy, waitForSession, waitForWebgpuCheck, withPage,
} from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

const METRICS = ['train-loss', 'test-loss', 'train-accuracy', 'test-accuracy'];

/** Presses Step and waits until the metrics show the evaluation of that step. @param {Page} page */
async function stepAndEvaluate(page) {
  const next = (await stepCount(page)) + 1;
  await page.click('#step');
  await page.locator(`#test-loss[data-step="${next}"]`).waitFor({ timeout: CPU_TIMEOUT });
  return next;
}

/** @param {Page} page */
async function metrics(page) {
  /** @type {Record<string, number | null>} */
  const out = {};
  for (const id of METRICS) out[id] = await metric(page, id);
  return out;
}

/**
 * Accuracies within 0.02, losses within `lossTolerance` (absolute plus relative).
 * @param {Record<string, number | null>} got @param {Record<string, number | null>} sent
 * @param {number} lossTolerance
 */
function assertMetricsClose(got, sent, lossTolerance) {
  for (const id of ['test-accuracy', 'train-accuracy']) {
    const a = /** @type {number} */ (got[id]), b = /** @type {number} */ (sent[id]);
    assert.ok(Math.abs(a - b) <= 0.02, `${id}: ${a} vs ${b}`);
  }
  for (const id of ['test-loss', 'train-loss']) {
    const a = /** @type {number} */ (got[id]), b = /** @type {number} */ (sent[id]);
    assert.ok(Math.abs(a - b) <= lossTolerance + lossTolerance * b, `${id}: ${a} vs ${b}`);
  }
}

/** The decision boundary's pixels, RGBA. @param {Page} page */
async function boundaryPixels(page) {
  return page.locator('#boundary-canvas').evaluate((c) => {
    const canvas = /** @type {HTMLCanvasElement} */ (c);
    const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
    return Array.from(ctx.getImageData(0, 0, canvas.width, canvas.height).data);
  });
}

/**
 * Opens the share panel at `precision` and returns the link it shows.
 * @param {Page} page @param {string} [precision]
 */
async function shareLink(page, precision = 'f16') {
  await page.click('#share');
  await page.locator('#share-panel:not([hidden])').waitFor();
  if ((await page.inputValue('#share-precision')) !== precision) await page.selectOption('#share-precision', precision);
  await page.locator('#share-panel[data-pending="false"]').waitFor({ timeout: CPU_TIMEOUT });
  const link = await page.inputValue('#share-link');
  assert.ok(link.includes('model=k1.'), link.slice(0, 120));
  return link;
}

/** The fragment of a link, for openPage. @param {string} link */
const hashOf = (link) => new URL(link).hash;

test('a link reopens the trained spiral in a fresh page: same metrics, boundary and step; Play goes on', { timeout: 600_000 }, async () => {
  /** @type {{ step: number, metrics: Record<string, number | null>, pixels: number[], link: string }} */
  let sent = /** @type {any} */ (null);
  await withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await setFields(page, SPIRAL);
    await trainUntilAccuracy(page, 0.9, 420_000);
    // An evaluation at the very step the link holds.
    const step = await stepAndEvaluate(page);
    await page.locator(`#boundary-canvas[data-step="${step}"]`).waitFor();
    const link = await shareLink(page);
    assert.equal(await page.getAttribute('#share-link', 'data-step'), String(step));
    assert.match(await page.textContent('#share-precision option:checked') ?? '', /^f16/);
    const size = Number(await page.getAttribute('#share-size', 'data-value'));
    assert.equal(size, link.length);
    assert.match(await page.textContent('#share-size') ?? '', /^\d+\.\d KB$/);
    assert.ok(size < 64 * 1024, `a small MLP makes a small link (${size} bytes)`);
    assert.equal(await page.isHidden('#share-large'), true);
    // The usual settings are in the same fragment, before the model.
    assert.ok(/^#train\.learningRate=0\.03&.*&backend=cpu&model=k1\./.test(hashOf(link)), hashOf(link).slice(0, 120));
    sent = { step, metrics: await metrics(page), pixels: await boundaryPixels(page), link };
    assert.deepEqual(consoleErrors, []);
  });

  await withPage(openPage(hashOf(sent.link)), async ({ page, consoleErrors }) => {
    await page.locator(`#model-tools[data-opened="link:${sent.step}"]`).waitFor({ timeout: CPU_TIMEOUT });
    await page.locator(`#boundary-canvas[data-step="${sent.step}"]`).waitFor();
    await page.locator(`#test-loss[data-step="${sent.step}"]`).waitFor();
    assert.equal(await stepCount(page), sent.step);
    assert.equal(await page.inputValue('#data-kind'), 'spiral');
    assert.equal(await page.inputValue('#train-optimizer'), 'adam');
    // The URL keeps the settings; the model text is not kept in it.
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /train\.learningRate=0\.03/);
    assert.doesNotMatch(hash, /model=/);

    assertMetricsClose(await metrics(page), sent.metrics, 0.02);
    const pixels = await boundaryPixels(page);
    assert.equal(pixels.length, sent.pixels.length);
    let total = 0, far = 0;
    for (let i = 0; i < pixels.length; i++) {
      const d = Math.abs(pixels[i] - sent.pixels[i]);
      total += d;
      if (d > 24) far += 1;
    }
    const mean = total / pixels.length;
    assert.ok(mean < 1.5, `mean channel difference ${mean}`);
    assert.ok(far / pixels.length < 0.01, `${far} channels differ by more than 24`);
    assert.equal(await page.locator('[data-testid="error-message"]').count(), 0);

    // Training goes on from the shared step.
    await page.click('#play');
    await page.waitForFunction((s) => Number(document.querySelector('#step-count')?.textContent) >= s + 20,
      sent.step, { timeout: CPU_TIMEOUT });
    await pause(page);
    assert.ok((await stepCount(page)) > sent.step);
    assert.deepEqual(consoleErrors, []);
  });
});

test('a damaged link shows its message and the page starts with the defaults', { timeout: 300_000 }, async () => {
  let link = '';
  await withPage(openPage('#backend=cpu&data.kind=circles'), async ({ page }) => {
    await waitForSession(page);
    for (let i = 0; i < 3; i++) await stepAndEvaluate(page);
    link = await shareLink(page);
  });
  const hash = hashOf(link);
  const at = hash.indexOf('model=k1.') + 'model=k1.'.length;
  const middle = at + Math.floor((hash.length - at) / 2);
  const flipped = hash.slice(0, middle) +
    Array.from(hash.slice(middle, middle + 8), (c) => (c === 'A' ? 'B' : 'A')).join('') + hash.slice(middle + 8);

  await withPage(openPage(flipped), async ({ page, consoleErrors }) => {
    const message = page.locator('[data-testid="error-message"]');
    await message.waitFor({ timeout: CPU_TIMEOUT });
    assert.match(await message.innerText(), /damaged|not a Kindling/i);
    assert.match(await message.innerText(), /default settings/);
    await waitForSession(page);
    assert.equal(await stepCount(page), 0);
    assert.equal(await page.inputValue('#data-kind'), 'spiral', 'the defaults, not the link’s settings');
    assert.doesNotMatch(await page.evaluate(() => location.hash), /model=|circles/);

    // A truncated link pasted into the address bar: its message, and the model in force stays.
    await stepAndEvaluate(page);
    await page.evaluate((h) => { location.hash = h; }, hash.slice(0, at + Math.floor((hash.length - at) / 3)));
    await page.locator('[data-testid="error-message"]', { hasText: /ends in the middle|damaged/ }).first()
      .waitFor({ timeout: CPU_TIMEOUT });
    assert.equal(await stepCount(page), 1);

    // The whole link, pasted the same way, opens its model.
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.locator('#model-tools[data-opened="link:3"]').waitFor({ timeout: CPU_TIMEOUT });
    await page.locator('#boundary-canvas[data-step="3"]').waitFor();
    assert.equal(await page.inputValue('#data-kind'), 'circles');
    assert.deepEqual(consoleErrors, []);
  });
});

test('a shared sequence model shows the same predictions when reopened', { timeout: 600_000 }, async () => {
  let link = '', step = 0, output = '', acc = /** @type {number | null} */ (null);
  await withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    await switchToSequences(page);
    await setField(page, 'seq-task', 'reverse');
    await setFields(page, {
      'seq-symbols': 8, 'seq-length': 6, 'seq-d-model': 16, 'seq-heads': 1, 'seq-layers': 1,
      'train-optimizer': 'adam', 'train-learning-rate': 0.01, 'train-batch-size': 32,
    });
    await page.click('#play');
    await page.waitForFunction(() => Number(document.querySelector('#step-count')?.textContent) >= 60, null,
      { timeout: CPU_TIMEOUT });
    await pause(page);
    step = await stepAndEvaluate(page);
    await page.locator(`#predictions[data-step="${step}"]`).waitFor();
    output = /** @type {string} */ (await page.getAttribute('#predictions', 'data-output'));
    acc = await metric(page, 'test-accuracy');
    link = await shareLink(page, 'f32');
    assert.match(hashOf(link), /^#mode=sequences&/);
  });

  await withPage(openPage(hashOf(link)), async ({ page, consoleErrors }) => {
    await page.locator(`#model-tools[data-opened="link:${step}"]`).waitFor({ timeout: CPU_TIMEOUT });
    await page.locator(`#predictions[data-step="${step}"]`).waitFor();
    assert.equal(await page.getAttribute('body', 'data-mode'), 'sequences');
    assert.equal(await page.inputValue('#seq-task'), 'reverse');
    assert.equal(await stepCount(page), step);
    assert.equal(await page.getAttribute('#predictions', 'data-output'), output);
    const got = /** @type {number} */ (await metric(page, 'test-accuracy'));
    assert.ok(Math.abs(got - /** @type {number} */ (acc)) < 1e-4, `test tokens right ${got} vs ${acc}`);
    assert.deepEqual(consoleErrors, []);
  });
});

test('a model exported as a file imports into a fresh page with the same metrics', { timeout: 300_000 }, async () => {
  let file = '', step = 0, sent = /** @type {Record<string, number | null>} */ ({});
  await withPage(openPage('#backend=cpu&data.kind=xor'), async ({ page }) => {
    await waitForSession(page);
    for (let i = 0; i < 5; i++) step = await stepAndEvaluate(page);
    sent = await metrics(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-model')]);
    assert.equal(download.suggestedFilename(), `kindling-points-step${step}.safetensors`);
    file = /** @type {string} */ (await download.path());
    // The bytes must outlive this browser: copy them.
    const { copyFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const kept = path.join(mkdtempSync(path.join(tmpdir(), 'kindling-model-')), download.suggestedFilename());
    copyFileSync(file, kept);
    file = kept;
  });

  await withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await page.setInputFiles('#import-model', file);
    await page.locator(`#model-tools[data-opened="file:${step}"]`).waitFor({ timeout: CPU_TIMEOUT });
    await page.locator(`#test-loss[data-step="${step}"]`).waitFor();
    assert.equal(await stepCount(page), step);
    assert.equal(await page.inputValue('#data-kind'), 'xor');
    const got = await metrics(page);
    for (const id of METRICS) {
      assert.ok(Math.abs(/** @type {number} */ (got[id]) - /** @type {number} */ (sent[id])) < 1e-5,
        `${id}: ${got[id]} vs ${sent[id]}`);
    }
    assert.deepEqual(consoleErrors, []);
  });
});

test('a model trained on WebGPU reopens from its link with the same predictions, and trains on', { timeout: WEBGPU_TIMEOUT }, async () => {
  /** @type {{ step: number, metrics: Record<string, number | null>, link: string }} */
  let sent = /** @type {any} */ (null);
  await withPage(openPage('#backend=webgpu'), async ({ page, consoleErrors }) => {
    const check = await waitForWebgpuCheck(page);
    assert.equal(check.state, 'ok', check.text);
    await page.locator('#backend-status[data-backend="webgpu"]').waitFor({ timeout: WEBGPU_TIMEOUT });
    // A few steps on WebGPU (SwiftShader: seconds for the first, then ~2 a second); the link's
    // weights are read off the GPU asynchronously.
    for (let i = 0; i < 3; i++) await stepAndEvaluate(page);
    const step = await stepCount(page);
    assert.equal(await page.getAttribute('#backend-status', 'data-backend'), 'webgpu');
    const link = await shareLink(page);
    sent = { step, metrics: await metrics(page), link };
    assert.deepEqual(consoleErrors, []);
  });

  // Opened on the CPU: the GPU-trained weights must predict the same there.
  const withoutBackend = hashOf(sent.link).slice(1).replace(/(^|&)backend=webgpu/, '');
  await withPage(openPage(`#backend=cpu&${withoutBackend}`), async ({ page }) => {
    await page.locator(`#model-tools[data-opened="link:${sent.step}"]`).waitFor({ timeout: CPU_TIMEOUT });
    await page.locator(`#test-loss[data-step="${sent.step}"]`).waitFor();
    assert.equal(await stepCount(page), sent.step);
    assertMetricsClose(await metrics(page), sent.metrics, 0.01);
    await page.click('#play');
    await page.waitForFunction((s) => Number(document.querySelector('#step-count')?.textContent) >= s + 20,
      sent.step, { timeout: CPU_TIMEOUT });
  });
});
