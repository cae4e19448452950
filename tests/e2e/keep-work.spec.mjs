// @ts-check
//! The user's trained model is what the page protects (issue 15): training settings apply to the
//! running model, a backend switch moves it, every replacement can be undone, a reload reopens
//! it, a crash restarts the worker with it, and the Play button always tells the truth.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import {
  CPU_TIMEOUT, WEBGPU_TIMEOUT, assert, metric, pause, setField, stepCount, waitForSession,
  waitForWebgpuCheck, withPage,
} from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** Plays until the step count reaches `steps`, then pauses. @param {Page} page @param {number} steps */
async function trainTo(page, steps, timeout = CPU_TIMEOUT) {
  await page.click('#play');
  await page.waitForFunction((n) => Number(document.querySelector('#step-count')?.textContent) >= n, steps,
    { timeout, polling: 100 });
  await pause(page);
  return stepCount(page);
}

/** The test loss shown last. @param {Page} page */
const testLoss = (page) => metric(page, 'test-loss');

/**
 * One more step (Step reports everything after it), so that the metrics and the boundary shown
 * are of the step count shown; returns it. @param {Page} page
 */
async function settle(page, timeout = CPU_TIMEOUT) {
  const step = (await stepCount(page)) + 1;
  await page.click('#step');
  await page.locator(`#boundary-canvas[data-step="${step}"]`).waitFor({ timeout });
  return step;
}

test('a new learning rate applies to the running model: the steps go on and the loss keeps falling', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu&data.kind=spiral&train.batchSize=300&train.learningRate=0.03'), async ({ page }) => {
    await waitForSession(page);
    await page.click('#play');
    await page.waitForFunction(() => Number(document.querySelector('#step-count')?.textContent) >= 300, null,
      { timeout: CPU_TIMEOUT, polling: 100 });
    const before = await stepCount(page);
    const lossBefore = /** @type {number} */ (await testLoss(page));
    // While it trains: the field is committed and the model takes it at its next batch.
    await setField(page, 'train-learning-rate', 0.01);
    assert.equal(await page.getAttribute('#play', 'data-running'), 'true', 'training goes on');
    await page.waitForFunction((n) => Number(document.querySelector('#step-count')?.textContent) >= n + 600, before,
      { timeout: CPU_TIMEOUT, polling: 100 });
    await pause(page);
    const after = await stepCount(page);
    assert.ok(after > before, `the steps went on from ${before}: ${after}`);
    const lossAfter = /** @type {number} */ (await testLoss(page));
    assert.ok(lossAfter < lossBefore, `test loss ${lossBefore} -> ${lossAfter}`);
    // The chart marks the step where the change took effect.
    const marks = JSON.parse(await page.getAttribute('#loss-chart', 'data-marks') ?? '[]');
    assert.equal(marks.length, 1);
    assert.ok(marks[0] >= before && marks[0] < after, `mark at ${marks[0]}`);
    assert.match(await page.getAttribute('#loss-chart', 'aria-description') ?? '', /learning rate 0.03 → 0.01/);
    // Another optimiser keeps the weights; the page says its state starts afresh.
    await setField(page, 'train-optimizer', 'sgd');
    assert.match(await page.getAttribute('#loss-chart', 'aria-description') ?? '', /optimiser Adam → SGD \(optimiser state fresh\)/);
    assert.equal(await stepCount(page), after);
  }));

test('a change of architecture replaces the model, and Undo puts it back with its step', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    await trainTo(page, 200);
    const trained = await settle(page);
    const accuracy = await metric(page, 'test-accuracy');
    await setField(page, 'layer-0-units', 8);
    await page.locator('#boundary-canvas[data-step="0"]').waitFor();
    const undo = page.locator('[data-testid="undo-message"]');
    assert.match(await undo.innerText(), new RegExp(`New settings: the model from step ${trained.toLocaleString('en')} was replaced`));
    await undo.getByRole('button', { name: 'Undo' }).click();
    await page.locator(`#boundary-canvas[data-step="${trained}"]`).waitFor();
    assert.equal(await stepCount(page), trained);
    assert.equal(await page.inputValue('#layer-0-units'), '64', 'the settings came back with the model');
    assert.equal(await metric(page, 'test-accuracy'), accuracy, 'the same weights');
    // Undo is itself undoable: the untrained 8-unit model was not trained, so nothing is offered.
    assert.equal(await undo.count(), 0);
    // Reset too can be undone, and training goes on from the step it had.
    await page.click('#reset');
    await page.locator('#boundary-canvas[data-step="0"]').waitFor();
    await page.locator('[data-testid="undo-message"]', { hasText: /^Reset: the model from step/ }).getByRole('button', { name: 'Undo' }).click();
    await page.locator(`#boundary-canvas[data-step="${trained}"]`).waitFor();
    const later = await trainTo(page, trained + 50);
    assert.ok(later >= trained + 50);
  }));

test('opening a link and importing a model file can be undone', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    // A link of this model at its first steps, then more training: the link replaces the model.
    const early = await trainTo(page, 30);
    await page.click('#share');
    await page.locator('#share-panel[data-pending="false"]').waitFor();
    const link = await page.inputValue('#share-link');
    const trained = await trainTo(page, early + 150);
    await page.evaluate((url) => { location.hash = new URL(url).hash; }, link);
    await page.locator('[data-testid="undo-message"]', { hasText: /^Opened a link: the model from step/ }).waitFor();
    assert.equal(await stepCount(page), early);
    await page.locator('[data-testid="undo-message"]').getByRole('button', { name: 'Undo' }).click();
    await page.locator(`#boundary-canvas[data-step="${trained}"]`).waitFor();
    assert.equal(await stepCount(page), trained);

    // A model file of the model now, imported after more training.
    const download = page.waitForEvent('download');
    await page.click('#export-model');
    const file = await (await download).path();
    const more = await trainTo(page, trained + 100);
    await page.setInputFiles('#import-model', file);
    await page.locator('[data-testid="undo-message"]', { hasText: /^Opened a model file: the model from step/ }).waitFor();
    assert.equal(await stepCount(page), trained);
    await page.locator('[data-testid="undo-message"]').getByRole('button', { name: 'Undo' }).click();
    await page.locator(`#boundary-canvas[data-step="${more}"]`).waitFor();
  }));

test('a reload reopens the model saved in the browser, and Start fresh starts over', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu&data.kind=circles'), async ({ page }) => {
    await waitForSession(page);
    const trained = await trainTo(page, 120);
    // Pausing saves it.
    await page.locator(`#autosave-status[data-step="${trained}"]`).waitFor();
    const started = Date.now();
    await page.reload();
    const restored = page.locator('[data-testid="restored-message"]');
    await restored.waitFor();
    const reopenMs = Date.now() - started;
    assert.match(await restored.innerText(), new RegExp(`Restored your model from step ${trained.toLocaleString('en')}, just now`));
    await page.locator(`#boundary-canvas[data-step="${trained}"]`).waitFor();
    assert.equal(await page.inputValue('#data-kind'), 'circles');
    console.log(`reload to restored model: ${reopenMs} ms`);
    await restored.getByRole('button', { name: 'Start fresh' }).click();
    await page.locator('#boundary-canvas[data-step="0"]').waitFor();
    assert.equal(await page.inputValue('#data-kind'), 'spiral', 'the defaults');
    // Start fresh can be undone like the rest.
    await page.locator('[data-testid="undo-message"]', { hasText: /^Start fresh/ }).waitFor();
  }));

test('a panic in the wasm restarts the worker with the saved model and says what failed', { timeout: 300_000 }, () =>
  withPage(openPage('?testhooks#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    const trained = await trainTo(page, 150);
    await page.locator(`#autosave-status[data-step="${trained}"]`).waitFor();
    await page.evaluate(() => {
      /** @type {any} */ (window).kindlingTestSend({ type: 'panicForTest', message: 'a test panic' });
    });
    // A link asked for behind the crash must not stay on "Making the link…".
    await page.click('#share');
    const message = page.locator('[data-testid="restored-message"]');
    await message.waitFor();
    assert.match(await message.innerText(),
      new RegExp(`^The training worker crashed \\(a test panic \\(at src/web/mod.rs:\\d+\\)\\)\\. It restarted and reopened your model from step ${trained.toLocaleString('en')}, saved just now`));
    await page.locator('#share-panel[data-pending="false"]').waitFor();
    await page.locator(`#boundary-canvas[data-step="${trained}"]`).waitFor();
    // The new worker trains.
    const later = await trainTo(page, trained + 30);
    assert.ok(later >= trained + 30);
  }));

test('switching CPU -> WebGPU -> CPU carries the step and the predictions over', { timeout: 900_000 }, () =>
  withPage(openPage('#backend=cpu&data.kind=xor'), async ({ page }) => {
    await waitForSession(page);
    await trainTo(page, 100);
    const trained = await settle(page);
    const boundary = () => page.locator('#boundary-canvas').evaluate((c) => /** @type {HTMLCanvasElement} */ (c).toDataURL());
    const accuracy = await metric(page, 'test-accuracy');
    const picture = await boundary();
    await page.selectOption('#backend-choice', 'webgpu');
    const check = await waitForWebgpuCheck(page);
    assert.equal(check.state, 'ok', check.text);
    await page.locator('#backend-status[data-backend="webgpu"]').waitFor({ timeout: WEBGPU_TIMEOUT });
    await page.locator(`#boundary-canvas[data-step="${trained}"]`).waitFor({ timeout: WEBGPU_TIMEOUT });
    assert.equal(await stepCount(page), trained);
    assert.equal(await metric(page, 'test-accuracy'), accuracy, 'the same predictions on WebGPU');
    // Not chooseBackend: it waits for a fresh session at step 0, and this one keeps its step.
    await page.selectOption('#backend-choice', 'cpu');
    await page.locator('#backend-status[data-backend="cpu"]').waitFor({ timeout: WEBGPU_TIMEOUT });
    await page.locator(`#boundary-canvas[data-step="${trained}"]`).waitFor({ timeout: WEBGPU_TIMEOUT });
    assert.equal(await stepCount(page), trained);
    assert.equal(await metric(page, 'test-accuracy'), accuracy);
    assert.equal(await boundary(), picture, 'the same decision boundary back on the CPU');
  }));

test('Play pressed during a backend switch shows that training will start, and starts', { timeout: 900_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    await page.selectOption('#backend-choice', 'webgpu');
    await page.click('#play');
    const shown = await page.getAttribute('#play', 'data-running');
    assert.ok(shown === 'starting' || shown === 'true', `after Play the button says ${shown}`);
    await page.locator('#play[data-running="true"]').waitFor({ timeout: WEBGPU_TIMEOUT });
    await page.waitForFunction(() => Number(document.querySelector('#step-count')?.textContent) >= 5, null,
      { timeout: WEBGPU_TIMEOUT });
    // Pause while running: the button and the steps agree.
    await pause(page);
    const stopped = await stepCount(page);
    await page.waitForTimeout(1000);
    assert.equal(await stepCount(page), stopped);
    assert.equal(await page.getAttribute('#play', 'data-running'), 'false');
  }));
