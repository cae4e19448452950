// @ts-check
//! Layout geometry, in Chromium (Playwright) and Firefox (puppeteer-core over WebDriver BiDi),
//! at a wide and a narrow window: the drop zone's "choose a file" button overlaps no text line,
//! and a long status line stays one line, so nothing below it moves when one appears.

import { test } from 'node:test';
import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { baseUrl, openPage } from './browser.mjs';
import { assert, waitForSession, withPage } from './helpers.mjs';

const FIREFOX = process.env.KINDLING_FIREFOX ?? '/usr/bin/firefox';
const WIDTHS = [1280, 700];

/**
 * The drop zone's button and every line box of the text around it (CSS px), in the page.
 * @param {{ evaluate: (f: () => any) => Promise<any> }} page
 * @returns {Promise<{ button: DOMRect, lines: DOMRect[] }>}
 */
function dropZoneBoxes(page) {
  return page.evaluate(() => {
    const zone = /** @type {HTMLElement} */ (document.querySelector('#drop-zone'));
    const button = /** @type {HTMLElement} */ (zone.querySelector('.file-button')).getBoundingClientRect();
    const lines = [];
    const walker = document.createTreeWalker(zone, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // The button's own words are inside it.
      if (node.parentElement?.closest('.file-button') || !node.textContent?.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      lines.push(...Array.from(range.getClientRects()).map((r) => r.toJSON()));
    }
    return { button: button.toJSON(), lines };
  });
}

/** @param {DOMRect} a @param {DOMRect} b the area both cover, px² */
function overlap(a, b) {
  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return Math.max(0, w) * Math.max(0, h);
}

/**
 * Puts a long text (generated: many words, then one unbroken run) in the status line's backend
 * and autosave fields, and measures what is below it before and after.
 * @param {{ evaluate: (f: (n: number) => any, n: number) => Promise<any> }} page
 * @param {number} seed
 */
function longStatus(page, seed) {
  return page.evaluate(async (n) => {
    const bar = /** @type {HTMLElement} */ (document.querySelector('#status-bar'));
    const below = () => ({
      bar: bar.getBoundingClientRect().height,
      main: /** @type {HTMLElement} */ (document.querySelector('main.layout')).getBoundingClientRect().top,
    });
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    await frame();
    const before = below();
    let words = '';
    for (let i = 0; i < 60; i++) words += `word${(n * 7919 + i * 104729) % 9973} `;
    const run = 'x'.repeat(200 + (n % 50));
    const backend = /** @type {HTMLElement} */ (document.querySelector('#backend-status'));
    const saved = /** @type {HTMLElement} */ (document.querySelector('#autosave-status'));
    backend.textContent = `CPU — WebGPU self-check failed: ${words}${run}`;
    saved.textContent = `saved in this browser at step ${run}`;
    await frame();
    const after = below();
    const lineHeight = parseFloat(getComputedStyle(backend).lineHeight) || 1.3 * parseFloat(getComputedStyle(backend).fontSize);
    return {
      before, after, lineHeight,
      backendHeight: backend.getBoundingClientRect().height,
      overflow: bar.scrollWidth - bar.clientWidth,
      barRight: bar.getBoundingClientRect().right,
      backendRight: backend.getBoundingClientRect().right,
    };
  }, seed);
}

/**
 * The checks, on any page with `evaluate`.
 * @param {any} page @param {string} where
 */
async function checkLayout(page, where) {
  const { button, lines } = await dropZoneBoxes(page);
  assert.ok(lines.length >= 2, `${where}: the drop zone's text lines were found (${lines.length})`);
  for (const line of lines) {
    assert.ok(overlap(button, line) < 0.5,
      `${where}: the "choose a file" button ${JSON.stringify(button)} overlaps a line of text ${JSON.stringify(line)}`);
  }
  const s = await longStatus(page, where.length);
  assert.ok(Math.abs(s.after.main - s.before.main) < 0.5,
    `${where}: the layout below the status line moved from ${s.before.main} to ${s.after.main} px`);
  assert.ok(Math.abs(s.after.bar - s.before.bar) < 0.5, `${where}: the status line grew from ${s.before.bar} to ${s.after.bar} px`);
  assert.ok(s.backendHeight < 1.6 * s.lineHeight, `${where}: the long backend text took ${s.backendHeight} px (a line: ${s.lineHeight})`);
  assert.ok(s.overflow <= 0 && s.backendRight <= s.barRight + 0.5, `${where}: the status line's text runs out of it (${JSON.stringify(s)})`);
}

test('Chromium: the drop zone button overlaps no text; a long status keeps to one line', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    // The real status fields carry their whole text in their title (the line may cut it).
    const backend = await page.locator('#backend-status').evaluate((e) => ({ text: e.textContent, title: /** @type {HTMLElement} */ (e).title }));
    assert.ok(backend.title.startsWith(/** @type {string} */ (backend.text)), `backend title: ${JSON.stringify(backend)}`);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.reload();
      await waitForSession(page);
      await checkLayout(page, `Chromium ${width}px`);
    }
  }));

test('Firefox: the drop zone button overlaps no text; a long status keeps to one line',
  { timeout: 300_000, skip: existsSync(FIREFOX) ? false : `no Firefox at ${FIREFOX}` }, async () => {
    for (const width of WIDTHS) {
      const browser = await puppeteer.launch({
        browser: 'firefox', executablePath: FIREFOX, headless: true, defaultViewport: null,
        args: [`--width=${width}`, '--height=900'],
      });
      try {
        const page = await browser.newPage();
        await page.goto(`${baseUrl()}#backend=cpu`);
        // The layout is the page's markup and style: no model needed, only its fonts.
        await page.evaluate(() => document.fonts.ready.then(() => true));
        await checkLayout(page, `Firefox ${width}px`);
      } finally {
        await browser.close();
      }
    }
  });
