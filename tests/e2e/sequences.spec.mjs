// @ts-check
//! The sequence playground (self-attention on sequence tasks), driven through the page: the mode
//! switch, the attention heatmap grid on WebGPU, learning to reverse on the CPU with the
//! predictions and the heatmap showing it, text generation, refused settings, and the URL.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import {
  CPU_TIMEOUT, WEBGPU_TIMEOUT, assert, pause, setField, setFields, stepCount, switchToSequences,
  trainUntilAccuracy, waitForSequenceSession, waitForSession, waitForWebgpuCheck, withPage,
} from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** What the attention grid shows now. @param {Page} page */
async function grid(page) {
  return page.evaluate(() => ({ .../** @type {HTMLElement} */ (document.querySelector('#attention-grid')).dataset }));
}

/** Presses Step and waits for the attention maps of the step it took. @param {Page} page */
async function stepAndWait(page, timeout = CPU_TIMEOUT) {
  const next = (await stepCount(page)) + 1;
  await page.click('#step');
  await page.locator(`#attention-grid[data-step="${next}"]`).waitFor({ timeout });
  await page.locator(`#predictions[data-step="${next}"]`).waitFor({ timeout });
}

test('on WebGPU the grid has a map per layer and head, and the maps change as it trains', { timeout: 2 * WEBGPU_TIMEOUT }, () =>
  withPage(openPage('#backend=webgpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await switchToSequences(page);
    // Set on the CPU while WebGPU is checked: the untrained model then moves to WebGPU.
    await setField(page, 'seq-task', 'reverse');
    await setFields(page, { 'seq-layers': 2, 'seq-heads': 2, 'train-eval-every': 1 });
    const check = await waitForWebgpuCheck(page);
    assert.equal(check.state, 'ok', check.text);
    await page.locator('#backend-status[data-backend="webgpu"]').waitFor({ timeout: WEBGPU_TIMEOUT });
    await waitForSequenceSession(page, WEBGPU_TIMEOUT);

    assert.equal(await page.inputValue('#seq-task'), 'reverse');
    const untrained = await grid(page);
    assert.equal(untrained.layers, '2');
    assert.equal(untrained.heads, '2');
    assert.equal(await page.locator('#attention-grid canvas.attention-cell').count(), 4);
    for (const cell of ['0-0', '0-1', '1-0', '1-1']) {
      await page.locator(`[data-testid="attention-cell-${cell}"]`).waitFor();
    }

    await stepAndWait(page, WEBGPU_TIMEOUT);
    await stepAndWait(page, WEBGPU_TIMEOUT);
    const trained = await grid(page);
    assert.equal(trained.step, '2');
    assert.notEqual(trained.checksum, untrained.checksum, 'the attention weights changed with training');

    // The scrubber goes back to the untrained maps.
    assert.equal(await page.getAttribute('#attention-scrubber', 'max'), '2');
    await page.locator('#attention-scrubber').evaluate((e) => {
      const input = /** @type {HTMLInputElement} */ (e);
      input.value = '0';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.locator('#attention-grid[data-step="0"]').waitFor();
    assert.equal((await grid(page)).checksum, untrained.checksum);
    assert.match(await page.innerText('#attention-snapshot'), /^step 0 · snapshot 1 of 3$/);
    assert.equal(await page.getAttribute('#backend-status', 'data-backend'), 'webgpu');
    assert.deepEqual(consoleErrors, []);
  }));

test('on the CPU it learns to reverse: the predictions are right and the map shows how', { timeout: 600_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    await switchToSequences(page);
    await setField(page, 'seq-task', 'reverse');
    await setFields(page, {
      'seq-symbols': 16, 'seq-length': 8, 'seq-d-model': 32, 'seq-heads': 1, 'seq-layers': 1,
      'train-optimizer': 'adam', 'train-learning-rate': 0.005, 'train-batch-size': 64,
    });
    const accuracy = await trainUntilAccuracy(page, 0.99, 420_000);
    assert.ok(accuracy >= 0.99, `test token accuracy ${accuracy}`);

    // The predictions of the example shown, from the same evaluation as the maps.
    const step = (await grid(page)).step;
    await page.locator(`#predictions[data-step="${step}"]`).waitFor();
    const shown = await page.evaluate(() => ({ .../** @type {HTMLElement} */ (document.querySelector('#predictions')).dataset }));
    assert.equal(shown.output, shown.input?.split(' ').reverse().join(' '), JSON.stringify(shown));
    assert.equal(shown.correct, 'true');
    assert.equal(await page.locator('#predictions .token.wrong').count(), 0);

    // Another example: its maps and predictions come at once, for the model as it is now.
    const now = await stepCount(page);
    await page.click('#next-example');
    await page.locator(`#predictions[data-example="1"][data-step="${now}"]`).waitFor();
    await page.locator(`#attention-grid[data-example="1"][data-step="${now}"]`).waitFor();
    assert.equal(await page.inputValue('#example-picker'), '1');

    // Enlarge the one map; hovering it names the query, the key and the weight. Output position
    // q reads input position L-1-q: the weight sits on the anti-diagonal.
    await page.click('[data-testid="attention-cell-0-0"]');
    const zoom = page.locator('#attention-zoom-canvas');
    await zoom.waitFor();
    const tokens = /** @type {string} */ (await page.getAttribute('#predictions', 'data-input')).split(' ');
    const margin = Number(await zoom.getAttribute('data-margin'));
    const cell = Number(await zoom.getAttribute('data-cell'));
    const L = tokens.length;
    let onDiagonal = 0;
    for (let q = 0; q < L; q++) {
      const k = L - 1 - q;
      await zoom.hover({ position: { x: margin + (k + 0.5) * cell, y: margin + (q + 0.5) * cell } });
      const tip = page.locator(`#attention-tooltip[data-query="${q}"][data-key="${k}"]`);
      await tip.waitFor();
      const text = await tip.innerText();
      assert.match(text, new RegExp(`query ${q}: '${tokens[q]}'`));
      assert.match(text, new RegExp(`key ${k}: '${tokens[k]}'`));
      assert.match(text, /weight \d\.\d{3}/);
      onDiagonal += Number(await tip.getAttribute('data-weight'));
    }
    assert.ok(onDiagonal / L > 2 / L, `mean anti-diagonal weight ${onDiagonal / L} (uniform ${1 / L})`);
  }));

test('the text task: the mask is causal, and Generate continues a prompt', { timeout: 600_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    await switchToSequences(page);
    await setField(page, 'seq-task', 'text');
    assert.equal(await page.isChecked('#seq-causal'), true);
    assert.equal(await page.isDisabled('#seq-causal'), true);
    await page.locator('#seq-corpus').waitFor({ state: 'attached' });
    assert.ok((await page.textContent('#seq-corpus-text'))?.length, 'the text it learns from is shown');

    await page.click('#play');
    await page.waitForFunction(() => Number(document.querySelector('#step-count')?.textContent) >= 30, null,
      { timeout: CPU_TIMEOUT });
    await pause(page);

    await page.fill('#generate-prompt', 'Shall I compare thee');
    await page.fill('#generate-length', '40');
    await page.click('#generate');
    const continuation = page.locator('[data-testid="generated-continuation"]');
    await continuation.waitFor({ timeout: CPU_TIMEOUT });
    const text = /** @type {string} */ (await continuation.textContent());
    assert.equal([...text].length, 40, JSON.stringify(text));
    assert.match(await page.innerText('#generated-text'), /^Shall I compare thee/);
    assert.equal(await page.textContent('#generate'), 'Generate');
    assert.equal(await page.textContent('#messages'), '');
  }));

test('a bad setting shows the wasm message and keeps the model', { timeout: 300_000 }, () =>
  withPage(openPage('#mode=sequences&backend=cpu'), async ({ page }) => {
    await waitForSequenceSession(page);
    const hash = await page.evaluate(() => location.hash);
    await page.fill('#seq-heads', '3');
    await page.press('#seq-heads', 'Tab');
    const error = page.locator('[data-testid="error-message"]');
    await error.waitFor();
    assert.match(await error.innerText(), /d_model 32 is not divisible by 3 heads/);
    await page.waitForFunction(
      () => /** @type {HTMLInputElement | null} */ (document.querySelector('#seq-heads'))?.value === '1');
    assert.equal(await page.evaluate(() => location.hash), hash);

    await page.fill('#seq-length', '200');
    await page.press('#seq-length', 'Tab');
    await page.locator('[data-testid="error-message"]', { hasText: /128/ }).waitFor();
    await page.waitForFunction(
      () => /** @type {HTMLInputElement | null} */ (document.querySelector('#seq-length'))?.value === '8');

    // The previous model is still there and trains.
    await stepAndWait(page);
  }));

test('the mode and the sequence settings live in the URL hash', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    await switchToSequences(page);
    await setFields(page, { 'seq-task': 'sort', 'seq-heads': 2, 'seq-positional': 'sinusoidal' });
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /^#mode=sequences&/);
    assert.match(hash, /data\.task=sort/);
    assert.match(hash, /model\.heads=2/);
    assert.match(hash, /model\.positional=sinusoidal/);
    assert.doesNotMatch(hash, /dModel|symbols/, 'only values that differ from the defaults are in the hash');
    assert.equal(await page.isVisible('#boundary-panel'), false);

    await page.reload();
    await waitForSequenceSession(page);
    assert.equal(await page.inputValue('#mode-choice'), 'sequences');
    assert.equal(await page.inputValue('#seq-task'), 'sort');
    assert.equal(await page.inputValue('#seq-heads'), '2');
    assert.equal(await page.inputValue('#seq-positional'), 'sinusoidal');

    // Back to points: the MLP's panels, and a hash without the sequence settings.
    await page.selectOption('#mode-choice', 'points');
    await page.locator('#boundary-canvas[data-step="0"]').waitFor();
    assert.equal(await page.evaluate(() => location.hash), '#backend=cpu');
    assert.equal(await page.isVisible('#attention-panel'), false);
    // And to sequences again: the settings it had.
    await page.selectOption('#mode-choice', 'sequences');
    await waitForSequenceSession(page);
    assert.equal(await page.inputValue('#seq-task'), 'sort');
  }));
