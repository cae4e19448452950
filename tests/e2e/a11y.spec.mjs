// @ts-check
//! Accessibility in Chromium on the CPU backend. axe-core (@axe-core/playwright) on each mode
//! with its panels open as a user opens them (share, projection with a point's neighbours, a
//! table's preview, the attention grid with a map enlarged, text generation): no serious or
//! critical violations (the others are printed). Then what axe cannot see, by the keyboard
//! alone: Tab reaches an attention cell within 80 presses and the arrow keys move it, naming what
//! it shows; the projection's points stepped by keys, with their neighbours listed; the share
//! panel opened, used and closed with Escape; the network editor; a visible focus throughout;
//! and the status line's live region, which speaks on pause and on Step, not at every progress.

import { test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { openPage } from './browser.mjs';
import {
  CPU_TIMEOUT, SPIRAL, assert, pause, setField, setFields, switchToSequences, waitForSequenceSession, waitForSession, withPage,
} from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

/**
 * Runs axe on the page as it is: fails on serious and critical violations, prints the others.
 * @param {Page} page @param {string} what
 */
async function axe(page, what) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const line = (/** @type {any} */ v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((/** @type {any} */ n) => n.target.join(' ')).slice(0, 4).join(' | ')})`;
  for (const v of violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical')) {
    console.log(`axe, ${what}: ${line(v)}`);
  }
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map(line), [], `axe, ${what}`);
}

/** What has the focus: its id, test id, accessible label, and whether its focus is drawn. @param {Page} page */
function focused(page) {
  return page.evaluate(() => {
    const e = /** @type {HTMLElement} */ (document.activeElement);
    const style = getComputedStyle(e);
    return {
      id: e.id, testid: e.dataset.testid ?? '', label: e.getAttribute('aria-label') ?? '',
      className: typeof e.className === 'string' ? e.className : '',
      outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    };
  });
}

/** A CSV made here: two numeric columns and a class, `rows` rows. @param {number} rows */
function generatedCsv(rows) {
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const lines = ['width,height,kind'];
  for (let i = 0; i < rows; i++) {
    const w = random() * 10, h = random() * 5;
    lines.push(`${w.toFixed(3)},${h.toFixed(3)},${w + h > 7.5 ? 'big' : 'small'}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

test('points: the status line speaks on pause and Step only; share, projection and network by keyboard; axe', { timeout: 600_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await setFields(page, { ...SPIRAL, 'train-eval-every': 10 });

    // ---- the live region: not the numbers ----
    assert.equal(await page.locator('[aria-live] #step-count, [role="status"] #step-count').count(), 0,
      'the step count is inside no live region');
    await page.evaluate(() => {
      const seen = { progress: 0, summary: /** @type {string[]} */ ([]) };
      Object.assign(window, { a11ySeen: seen });
      new MutationObserver(() => { seen.progress += 1; })
        .observe(/** @type {Node} */ (document.querySelector('#step-count')), { childList: true, characterData: true, subtree: true });
      const region = /** @type {HTMLElement} */ (document.querySelector('#status-summary'));
      new MutationObserver(() => { seen.summary.push(region.textContent ?? ''); })
        .observe(region, { childList: true, characterData: true, subtree: true });
    });
    await page.click('#play');
    await page.waitForFunction(() => /** @type {any} */ (window).a11ySeen.progress >= 40, null, { timeout: CPU_TIMEOUT });
    const running = await page.evaluate(() => structuredClone(/** @type {any} */ (window).a11ySeen));
    await pause(page);
    const step = Number(await page.textContent('#step-count'));
    await page.waitForFunction((s) => document.querySelector('#status-summary')?.textContent?.startsWith(`Paused at step ${s.toLocaleString('en')}.`),
      step, { timeout: 10_000 });
    const seen = await page.evaluate(() => structuredClone(/** @type {any} */ (window).a11ySeen));
    // While it ran: "Training from…", then only milestones (every 1,000 steps, each new tenth of accuracy).
    const allowed = 1 + Math.floor(step / 1000) + 10;
    assert.ok(running.summary.length <= allowed && running.summary.length < running.progress / 3,
      `${running.summary.length} summaries for ${running.progress} progress updates: ${JSON.stringify(running.summary)}`);
    assert.match(running.summary[0] ?? '', /^Training from step/);
    assert.match(seen.summary.at(-1), /^Paused at step [\d,]+\. Test loss [\d.e-]+, test accuracy [\d.]+%\.$/);
    await page.click('#step');
    await page.waitForFunction((s) => document.querySelector('#status-summary')?.textContent?.startsWith(`Step ${(s + 1).toLocaleString('en')}.`),
      step, { timeout: CPU_TIMEOUT });

    // ---- the share panel, by keyboard ----
    await page.focus('#share');
    await page.keyboard.press('Enter');
    await page.locator('#share-panel:not([hidden])').waitFor();
    assert.equal((await focused(page)).id, 'share-precision', 'the panel takes the focus');
    assert.equal(await page.getAttribute('#share', 'aria-expanded'), 'true');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.inputValue('#share-precision'), 'f32', 'the precision is chosen with the arrow keys');
    await page.locator('#share-panel[data-pending="false"]').waitFor({ timeout: CPU_TIMEOUT });
    assert.match(await page.textContent('#share-note') ?? '', /weights in f32/);
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).id, 'share-link');
    await page.keyboard.press('Tab');
    const copy = await focused(page);
    assert.equal(copy.id, 'share-copy');
    assert.ok(copy.outline, 'the focused Copy button shows its focus');
    await page.keyboard.press('Enter');
    await page.locator('#share-copy', { hasText: 'Copied' }).waitFor();
    await axe(page, 'points, share panel open');
    await page.keyboard.press('Escape');
    await page.locator('#share-panel[hidden]').waitFor({ state: 'attached' });
    const back = await focused(page);
    assert.equal(back.id, 'share', 'Escape gives the focus back to the Share button');
    assert.ok(back.outline, 'the Share button shows its focus');
    assert.equal(await page.getAttribute('#share', 'aria-expanded'), 'false');

    // ---- the projection, by keyboard ----
    await page.focus('#projection-details > summary');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => Number(document.querySelector('#projection-canvas')?.getAttribute('data-points')) > 0,
      null, { timeout: CPU_TIMEOUT });
    const points = Number(await page.getAttribute('#projection-canvas', 'data-points'));
    assert.equal(await page.locator('#projection-canvas').evaluate((c) => /** @type {HTMLElement} */ (c).tabIndex), 0, 'Tab reaches the plot');
    await page.focus('#projection-canvas');
    assert.ok((await focused(page)).outline, 'the plot shows its focus');
    /** @type {string[]} */
    const labels = [];
    for (const [key, n] of /** @type {[string, number][]} */ ([['ArrowRight', 1], ['ArrowRight', 2], ['ArrowLeft', 1], ['End', points]])) {
      await page.keyboard.press(key);
      const chosen = await page.getAttribute('#projection-canvas', 'data-chosen');
      // The neighbours of the point chosen, listed in text.
      await page.waitForFunction((c) => {
        const list = document.querySelector('#projection-neighbours');
        return list && !(/** @type {HTMLElement} */ (list)).hidden && list.querySelectorAll('li').length === 10 &&
          document.querySelector('#projection-canvas')?.getAttribute('aria-label')?.includes('Nearest:') && c !== null;
      }, chosen, { timeout: CPU_TIMEOUT });
      const label = (await focused(page)).label;
      assert.match(label, new RegExp(`^Point ${n} of ${points}: .+\\. .*Nearest: .+\\.$`), `after ${key}`);
      assert.match(await page.innerText('#projection-neighbours'), /^Nearest to .+ by cosine similarity/);
      assert.equal(await page.locator('#projection-tooltip').isVisible(), true, 'the point\'s label is shown beside it');
      labels.push(label);
    }
    assert.notEqual(labels[0], labels[1], 'the next point is another point');
    assert.equal(labels[0].split(' Nearest:')[0], labels[2].split(' Nearest:')[0], 'back to the first point');
    await axe(page, 'points, projection open with a point\'s neighbours');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#projection-neighbours').isHidden(), true, 'Escape drops the point chosen');

    // ---- the network editor, by keyboard ----
    await page.focus('#add-layer');
    const layers = Number(await page.textContent('#layer-count'));
    for (let n = layers + 1; n <= 6; n++) {
      await page.keyboard.press('Enter');
      await page.locator('#layer-count', { hasText: String(n) }).waitFor({ timeout: CPU_TIMEOUT });
    }
    await page.locator('#add-layer[disabled]').waitFor();
    assert.equal((await focused(page)).id, 'remove-layer', 'the focus stays on the editor when + disables itself');
    await page.keyboard.press('Enter');
    await page.locator('#layer-count', { hasText: '5' }).waitFor({ timeout: CPU_TIMEOUT });
    await page.focus('#layer-0-units');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('12');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).id, 'layer-0-activation');
    await page.waitForFunction(() => location.hash.includes('hidden=12%3A'), null, { timeout: CPU_TIMEOUT });

    // ---- a table's preview ----
    await page.setInputFiles('#data-file', { name: 'shapes.csv', mimeType: 'text/csv', buffer: generatedCsv(120) });
    await page.locator('#table-preview[data-file="shapes.csv"]').waitFor({ timeout: CPU_TIMEOUT });
    await axe(page, 'points, a table\'s preview');
    assert.deepEqual(consoleErrors, []);
  }));

test('sequences: Tab reaches the attention grid, the arrow keys move through its cells; axe', { timeout: 600_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    await switchToSequences(page);
    await setFields(page, { 'seq-layers': 2, 'seq-heads': 2 });
    await page.locator('#attention-grid[data-shape="2x2"][data-step="0"]').waitFor({ timeout: CPU_TIMEOUT });
    const length = Number(await page.getAttribute('#attention-grid', 'data-length'));

    // From the top of the page, as it opens (the mode and settings are in its URL).
    await page.reload();
    await waitForSequenceSession(page);
    let presses = 0;
    for (; presses < 80; presses++) {
      if ((await focused(page)).className.includes('attention-cell')) break;
      await page.keyboard.press('Tab');
    }
    const first = await focused(page);
    assert.ok(first.className.includes('attention-cell'), `80 presses of Tab reach an attention cell (${JSON.stringify(first)})`);
    console.log(`Tab reaches the attention grid in ${presses} presses`);
    assert.equal(first.testid, 'attention-cell-0-0');
    assert.ok(first.outline, 'the attention map shows its focus');
    const cell = /** @type {RegExp} */ (/^Layer (\d), head (\d): query (\d+) '.*', key (\d+) '.*', weight (\d\.\d{3})\. Enter enlarges this map\.$/);
    const where = (/** @type {string} */ label) => {
      const m = cell.exec(label);
      assert.ok(m, `an attention cell's name: ${label}`);
      return m.slice(1, 5).map(Number);
    };
    assert.deepEqual(where(first.label), [1, 1, 0, 0]);
    assert.equal(await page.locator('#attention-tooltip').isVisible(), true);

    await page.keyboard.press('ArrowRight');
    assert.deepEqual(where((await focused(page)).label), [1, 1, 0, 1]);
    await page.keyboard.press('ArrowDown');
    assert.deepEqual(where((await focused(page)).label), [1, 1, 1, 1]);
    // Past a map's last key: the next head's map, its first key.
    for (let k = 1; k < length; k++) await page.keyboard.press('ArrowRight');
    const crossed = await focused(page);
    assert.equal(crossed.testid, 'attention-cell-0-1');
    assert.deepEqual(where(crossed.label), [1, 2, 1, 0]);
    // Past its last query: the next layer.
    for (let q = 1; q < length; q++) await page.keyboard.press('ArrowDown');
    assert.deepEqual(where((await focused(page)).label), [2, 2, 0, 0]);
    await page.keyboard.press('End');
    assert.deepEqual(where((await focused(page)).label), [2, 2, 0, length - 1]);
    // The weight named is the one shown.
    const tip = await page.locator('#attention-tooltip').evaluate((t) => ({ ...(/** @type {HTMLElement} */ (t)).dataset }));
    assert.equal(Number(tip.weight).toFixed(3), cell.exec((await focused(page)).label)?.[5]);

    // One tab stop: the only map in the tab order is the focused one.
    assert.deepEqual(await page.$$eval('.attention-cell', (cs) => cs.map((c) => /** @type {HTMLElement} */ (c).tabIndex)), [-1, -1, -1, 0]);
    await page.keyboard.press('Enter');
    await page.locator('#attention-zoom:not([hidden])').waitFor();
    assert.equal(await page.getAttribute('[data-testid="attention-cell-1-1"]', 'aria-pressed'), 'true');
    // Enter opened the step-by-step view at the focused cell's map and query, too.
    await page.locator('#attention-steps[data-layer="1"][data-head="1"][data-query="0"]').waitFor({ timeout: CPU_TIMEOUT });
    await axe(page, 'sequences, a map enlarged and its row step by step');
    await page.keyboard.press('Escape');
    await page.locator('#attention-zoom[hidden]').waitFor({ state: 'attached' });
    await page.keyboard.press('Shift+Tab');
    assert.ok(!(await focused(page)).className.includes('attention-cell'), 'Shift+Tab leaves the grid at once');

    await page.click('#projection-details > summary');
    await page.waitForFunction(() => Number(document.querySelector('#projection-canvas')?.getAttribute('data-points')) > 0,
      null, { timeout: CPU_TIMEOUT });
    await page.click('#share');
    await page.locator('#share-panel[data-pending="false"]').waitFor({ timeout: CPU_TIMEOUT });
    // Beside the projection: the token embeddings' similarity and the positions.
    await page.locator('#similarity-matrix[data-step]').waitFor({ timeout: CPU_TIMEOUT });
    await page.locator('#positions[data-step]').waitFor({ timeout: CPU_TIMEOUT });
    // The model summary's table too.
    await page.click('#model-summary-details > summary');
    await page.locator('#model-summary tfoot td').first().waitFor({ timeout: CPU_TIMEOUT });
    await axe(page, 'sequences, projection, share and model summary open');
    await page.keyboard.press('Escape');

    // The language model: its corpus and the generation box.
    await setField(page, 'seq-task', 'text');
    await page.locator('#generate-box:not([hidden])').waitFor({ timeout: CPU_TIMEOUT });
    await page.click('#seq-corpus > summary');
    await axe(page, 'sequences, text: corpus and generation');
    await pause(page);
    assert.deepEqual(consoleErrors, []);
  }));
