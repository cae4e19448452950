// @ts-check
//! What the browser specs do through the page's own controls: set a field the way a user does
//! (fill, then Tab away, which commits it), press the buttons, and read the numbers the page shows.

import assert from 'node:assert/strict';

/** SwiftShader runs WebGPU on the CPU: its first steps take seconds. */
export const WEBGPU_TIMEOUT = 10 * 60_000;

/** Waits on the CPU backend: generous, as CI machines may have two busy cores. */
export const CPU_TIMEOUT = 120_000;

/** @typedef {import('playwright-core').Page} Page */

/** Settings that learn the spiral quickly; the control ids are the keys. */
export const SPIRAL = {
  'data-kind': 'spiral',
  'train-optimizer': 'adam',
  'train-learning-rate': 0.03,
  'train-batch-size': 300,
};

/**
 * A CSV of short film reviews, a text column `review` and a label `label` (pos, neg): five
 * filler words and one that gives the label away, with `suffix` after each review, made here.
 * @param {number} rows @param {string} [suffix]
 */
export function reviewsCsv(rows, suffix = '') {
  const good = ['great', 'lovely', 'superb', 'fun'];
  const bad = ['dull', 'awful', 'boring', 'slow'];
  const filler = ['the', 'film', 'was', 'quite', 'and', 'very', 'a', 'plot'];
  const lines = ['review,label'];
  for (let i = 0; i < rows; i++) {
    const words = Array.from({ length: 5 }, (_, j) => filler[(i * 7 + j * 3) % filler.length]);
    words.splice(i % 6, 0, (i % 2 ? bad : good)[(i >> 1) % 4]);
    lines.push(`"${words.join(' ')}${suffix}",${i % 2 ? 'neg' : 'pos'}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

/**
 * Waits until the page has a model: the worker loaded the wasm and built the first session.
 * @param {Page} page
 */
export async function waitForSession(page, timeout = CPU_TIMEOUT) {
  await page.locator('#play:not([disabled])').waitFor({ timeout });
  await page.locator('#boundary-canvas[data-step="0"]').waitFor({ timeout });
}

/**
 * Sets one setting through its control and waits for the worker to accept it (the URL hash,
 * which holds the settings that differ from the defaults, changes when it does).
 * @param {Page} page @param {string} id the control's id @param {string | number} value
 */
export async function setField(page, id, value, timeout = CPU_TIMEOUT) {
  const control = page.locator(`#${id}`);
  const text = String(value);
  if ((await control.inputValue()) === text) return;
  const before = await page.evaluate(() => location.hash);
  if ((await control.evaluate((e) => e.tagName)) === 'SELECT') {
    await control.selectOption(text);
  } else {
    await control.fill(text);
    await control.press('Tab');
  }
  await page.waitForFunction((b) => location.hash !== b, before, { timeout });
}

/**
 * Sets several fields in order (object keys are control ids).
 * @param {Page} page @param {Record<string, string | number>} fields
 */
export async function setFields(page, fields, timeout = CPU_TIMEOUT) {
  for (const [id, value] of Object.entries(fields)) await setField(page, id, value, timeout);
}

/**
 * Waits until the WebGPU check is over and returns its outcome as the status line shows it.
 * @param {Page} page
 * @returns {Promise<{ state: string, backend: string, text: string }>}
 */
export async function waitForWebgpuCheck(page, timeout = WEBGPU_TIMEOUT) {
  const status = page.locator(['ok', 'failed', 'unavailable']
    .map((s) => `#backend-status[data-webgpu-state="${s}"]`).join(', '));
  await status.waitFor({ timeout });
  return {
    state: /** @type {string} */ (await status.getAttribute('data-webgpu-state')),
    backend: /** @type {string} */ (await status.getAttribute('data-backend')),
    text: await status.innerText(),
  };
}

/**
 * auto: waits until the model in force has been timed on both backends; the status line's
 * numbers ("CPU is faster for this model: 2.9 ms a step, WebGPU 410 ms").
 * @param {Page} page
 */
export async function waitForTiming(page, timeout = WEBGPU_TIMEOUT) {
  const status = page.locator('#backend-status[data-faster="cpu"], #backend-status[data-faster="webgpu"]');
  await status.waitFor({ timeout });
  const text = await status.innerText();
  const m = /(CPU|WebGPU) is faster for this model: ([\d.]+) ms a step, (CPU|WebGPU) ([\d.]+) ms/.exec(text);
  return {
    faster: /** @type {string} */ (await status.getAttribute('data-faster')),
    backend: /** @type {string} */ (await status.getAttribute('data-backend')),
    text,
    winnerMs: m ? Number(m[2]) : NaN,
    loserMs: m ? Number(m[4]) : NaN,
  };
}

/**
 * Chooses a backend in the toolbar and waits until the status line says it is the active one.
 * @param {Page} page @param {'auto' | 'webgpu' | 'cpu'} choice @param {'webgpu' | 'cpu'} expected
 */
export async function chooseBackend(page, choice, expected, timeout = WEBGPU_TIMEOUT) {
  await page.selectOption('#backend-choice', choice);
  await page.locator(`#backend-status[data-backend="${expected}"]`).waitFor({ timeout });
  await waitForSession(page, timeout);
}

/** The step count in the status line. @param {Page} page */
export async function stepCount(page) {
  return Number(await page.textContent('#step-count'));
}

/**
 * The unformatted value of a metric cell (#test-accuracy, #train-loss, …), or null before any.
 * @param {Page} page @param {string} id
 */
export async function metric(page, id) {
  const v = await page.getAttribute(`#${id}`, 'data-value');
  return v === null || v === '' ? null : Number(v);
}

/**
 * Presses Play and waits until the test accuracy shown reaches `target`; then pauses.
 * @param {Page} page @param {number} target @param {number} timeout
 * @returns {Promise<number>} the accuracy reached
 */
export async function trainUntilAccuracy(page, target, timeout) {
  await page.click('#play');
  await page.locator('#play[data-running="true"]').waitFor();
  try {
    await page.waitForFunction(
      (t) => Number(document.querySelector('#test-accuracy')?.getAttribute('data-value') || 0) >= t,
      target, { timeout, polling: 500 });
  } catch (err) {
    const shown = await page.textContent('#status-bar');
    const acc = await metric(page, 'test-accuracy');
    const messages = await page.textContent('#messages');
    throw new Error(`test accuracy ${acc} never reached ${target} (${shown?.replace(/\s+/g, ' ')}; ` +
      `messages: ${messages}): ${err}`, { cause: err });
  }
  await pause(page);
  return /** @type {number} */ (await metric(page, 'test-accuracy'));
}

/** Presses Pause and waits until the worker says it stopped. @param {Page} page */
export async function pause(page) {
  if ((await page.getAttribute('#play', 'data-running')) === 'true') await page.click('#play');
  await page.locator('#play[data-running="false"]').waitFor({ timeout: WEBGPU_TIMEOUT });
}

/**
 * Runs `body` with a page and closes the browser afterwards, whatever happens.
 * @template {{ page: Page, close: () => Promise<void> }} Opened what openPage gives
 * @param {Promise<Opened>} opening
 * @param {(opened: Opened) => Promise<void>} body
 */
export async function withPage(opening, body) {
  const opened = await opening;
  opened.page.setDefaultTimeout(CPU_TIMEOUT);
  try {
    await body(opened);
  } finally {
    await opened.close();
  }
}

export { assert };

/**
 * Switches the page to the sequence models with the mode switch and waits for the first
 * attention maps of the untrained model.
 * @param {Page} page
 */
export async function switchToSequences(page, timeout = CPU_TIMEOUT) {
  await page.selectOption('#mode-choice', 'sequences');
  await waitForSequenceSession(page, timeout);
}

/**
 * Waits until the page has a sequence model: its attention maps at step 0 are drawn.
 * @param {Page} page
 */
export async function waitForSequenceSession(page, timeout = CPU_TIMEOUT) {
  await page.locator('#play:not([disabled])').waitFor({ timeout });
  await page.locator('#attention-grid[data-step="0"]').waitFor({ timeout });
}
