// @ts-check
//! The page in Simplified Chinese: loaded by a zh-CN browser, in each mode with its panels open
//! (share, projection, attention), no English word is left in the visible text or in the
//! attributes users and screen readers perceive; the header's switch turns it to English in
//! place (the model and its step stay, `lang=en` in the URL); a link made in Chinese opens in
//! Chinese in a browser whose languages we do not have (the decided order: the user's pick, the
//! browser's languages, then the link's `lang`).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './browser.mjs';
import { CPU_TIMEOUT, waitForSession } from './helpers.mjs';

/**
 * Words that stay as they are in Chinese, each for its reason: the product's and technologies'
 * names (Kindling, WebGPU, CPU, MLP, Transformer, SGD, Adam, AdamW, ReLU and the other
 * activations, Xavier, Kaiming: initialisations named after people, PCA, UMAP, t-SNE), file
 * formats (CSV, TSV, JSON Lines, PNG, QR), precisions (f16, f32, int8), units (KB, ms), the
 * name "English" in the language switch (each language is offered in its own words), softmax and
 * dropout (as Chinese textbooks write them), XOR (next to 异或), ln (the chance line's formula),
 * PC (PC1, PC2: the principal components' notation), wasm (the timing in the backend's title),
 * xy and sin (the input features x², xy, sin πx: formulas), Keras (a library's name: the model
 * summary follows its table).
 */
const ALLOWED = new Set(['kindling', 'webgpu', 'cpu', 'mlp', 'transformer', 'sgd', 'adam', 'adamw', 'relu', 'leaky',
  'prelu', 'gelu', 'tanh', 'sigmoid', 'xavier', 'kaiming', 'pca', 'umap', 'sne', 'csv', 'tsv', 'json', 'lines', 'png',
  'qr', 'int', 'kb', 'ms', 'english', 'softmax', 'dropout', 'xor', 'ln', 'pc', 'wasm', 'xy', 'sin',
  'keras', 'pytorch']);

/** English words in what the page shows (text and perceivable attributes of what is visible). @param {import('playwright-core').Page} page */
async function englishLeft(page) {
  const texts = await page.evaluate(() => {
    const out = [];
    const visible = (/** @type {Element} */ el) => el.checkVisibility?.({ checkVisibilityCSS: true }) ?? true;
    // Data and tokens the page shows as they are: the corpus and generated text (pre), token
    // cells, the example pickers (token text), the bundled datasets' file names, d_model's
    // subscript (a code identifier), and commands to type (code: the share panel's note on a
    // link to this computer).
    const skip = 'pre, code, .tokens, #example-picker, #steps-query, #sample-choice, sub, script, style';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(skip) || !n.textContent?.trim()) continue;
      if (el.tagName === 'OPTION' ? visible(/** @type {Element} */ (el.closest('select'))) : visible(el)) out.push(n.textContent);
    }
    for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt], [aria-description]')) {
      if (!visible(el) || el.closest(skip)) continue;
      for (const a of ['aria-label', 'title', 'placeholder', 'alt', 'aria-description']) {
        const v = el.getAttribute(a);
        if (v) out.push(v);
      }
    }
    out.push(document.title);
    return out;
  });
  const words = texts.flatMap((t) => t.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !ALLOWED.has(w.toLowerCase()));
  return { words: [...new Set(words)], texts };
}

test('in zh-CN no English is left; the switch turns it to English with the model kept; a link keeps its language', { timeout: 4 * CPU_TIMEOUT }, async () => {
  const { page, consoleErrors, close } = await openPage('?backend=cpu', { locale: 'zh-CN' });
  let link;
  try {
    await waitForSession(page);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.match(await page.evaluate(() => location.search), /lang=zh-CN/);
    // Points: train a little, open the share panel and the projection.
    await page.click('#step');
    await page.click('#share');
    await page.locator('#share-panel[data-pending="false"]').waitFor({ timeout: CPU_TIMEOUT });
    link = await page.inputValue('#share-link');
    await page.click('#projection-details > summary');
    await page.locator('#projection-canvas[data-step]:not([data-step=""])').waitFor({ timeout: CPU_TIMEOUT });
    // The model summary's table (layer types, the batch in shapes, the totals), open in both modes.
    await page.click('#model-summary-details > summary');
    await page.locator('#model-summary tfoot td').first().waitFor({ timeout: CPU_TIMEOUT });
    let left = await englishLeft(page);
    assert.ok(left.texts.length > 100 && left.texts.some((t) => t.includes('决策边界')), 'the walk found the page text');
    assert.deepEqual(left.words, [], `points mode: ${left.words.join(', ')}`);
    // Sequences: the attention maps and predictions.
    await page.click('#share-close');
    await page.selectOption('#mode-choice', 'sequences');
    await page.locator('#attention-grid canvas').first().waitFor({ timeout: CPU_TIMEOUT });
    await page.locator('#predictions .token-row').first().waitFor({ timeout: CPU_TIMEOUT });
    // The projection, still open, with the token embeddings' similarity beside it.
    await page.locator('#similarity-matrix[data-step]').waitFor({ timeout: CPU_TIMEOUT });
    left = await englishLeft(page);
    assert.ok(left.texts.some((t) => t.includes('余弦相似度')), 'the walk found the similarity matrix');
    assert.deepEqual(left.words, [], `sequences mode: ${left.words.join(', ')}`);
    // The attention step by step, opened from the grid.
    await page.click('[data-testid="attention-cell-0-0"]');
    await page.locator('#attention-steps[data-step]').waitFor({ timeout: CPU_TIMEOUT });
    left = await englishLeft(page);
    assert.ok(left.texts.some((t) => t.includes('缩放')), 'the walk found the step-by-step view');
    assert.deepEqual(left.words, [], `attention step by step: ${left.words.join(', ')}`);
    // Back to points, train, and switch to English: the model and its step stay.
    await page.selectOption('#mode-choice', 'points');
    await page.locator('body[data-mode="points"]').waitFor();
    await page.click('#step');
    await page.click('#step');
    await page.waitForFunction(() => Number(document.querySelector('#step-count')?.textContent) >= 2, null, { timeout: CPU_TIMEOUT });
    const step = await page.innerText('#step-count');
    await page.selectOption('#language-choice', 'en');
    assert.equal(await page.innerText('#step-count'), step);
    assert.equal(await page.innerText('#play'), 'Play');
    assert.equal(await page.textContent('#boundary-title'), 'Decision boundary');
    assert.match(await page.evaluate(() => location.search), /lang=en/);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
  // The link made in Chinese, in a browser whose languages are neither English nor Chinese.
  assert.match(link, /lang=zh-CN/);
  const opened = await openPage(link.replace(/^https?:\/\/[^/]+\//, ''), { locale: 'de-DE' });
  try {
    await opened.page.locator('#play:not([disabled])').waitFor({ timeout: CPU_TIMEOUT });
    assert.equal(await opened.page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.equal(await opened.page.textContent('#boundary-title'), '决策边界');
  } finally {
    await opened.close();
  }
});
