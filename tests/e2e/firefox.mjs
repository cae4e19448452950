// @ts-check
//! Opens a page of the running Kindling server in headless Firefox (Debian's firefox-esr),
//! driven by puppeteer-core over WebDriver BiDi (Playwright cannot drive a stock Firefox), and
//! the few page helpers firefox.spec.mjs needs, in puppeteer's terms (helpers.mjs has
//! Playwright's). Each page gets a fresh browser with its own temporary profile.
//!
//! WebGPU: `webgpu: true` sets the prefs that would expose it (dom.webgpu.enabled, in workers
//! too, ignoring the blocklist) and points Vulkan at Mesa's lavapipe. Release builds of Firefox
//! 140 (ESR) still refuse `requestAdapter()` with "WebGPU is not yet available in Release or late
//! Beta builds": the check is compiled in (dom/webgpu/Instance.cpp, `#ifndef
//! EARLY_BETA_OR_EARLIER`), so no pref lifts it. A Nightly (KINDLING_FIREFOX) would offer it.

import puppeteer from 'puppeteer-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { baseUrl } from './browser.mjs';
import { CPU_TIMEOUT } from './helpers.mjs';

export const FIREFOX = process.env.KINDLING_FIREFOX ?? '/usr/bin/firefox-esr';

/** @typedef {import('puppeteer-core').Page} Page */

const WEBGPU_PREFS = {
  'dom.webgpu.enabled': true,
  'dom.webgpu.workers.enabled': true,
  'gfx.webgpu.ignore-blocklist': true,
};

/**
 * Launches a fresh Firefox and opens `KINDLING_URL + pagePath`.
 * @param {string} [pagePath] relative to KINDLING_URL, e.g. '#backend=cpu'
 * @param {{ webgpu?: boolean }} [options]
 * @returns {Promise<{ page: Page, consoleErrors: string[], foreignRequests: string[],
 *                     close: () => Promise<void> }>}
 *   consoleErrors: console.error messages and uncaught page errors, in order.
 *   foreignRequests: every request to another origin (each is aborted: the app must work offline).
 */
export async function openFirefox(pagePath = '', { webgpu = false } = {}) {
  const base = baseUrl();
  const origin = new URL(base).origin;
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'kindling-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    protocol: 'webDriverBiDi',
    userDataDir,
    defaultViewport: { width: 1280, height: 900 },
    extraPrefsFirefox: webgpu ? WEBGPU_PREFS : {},
    env: webgpu ? { ...process.env, VK_ICD_FILENAMES: '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json' } : process.env,
  });
  const close = async () => {
    await browser.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  };
  try {
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    page.setDefaultTimeout(CPU_TIMEOUT);
    /** @type {string[]} */
    const consoleErrors = [];
    /** @type {string[]} */
    const foreignRequests = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err instanceof Error ? err.message : String(err)}`));
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin) {
        request.continue().catch(() => {});
        return;
      }
      foreignRequests.push(url);
      request.abort('blockedbyclient').catch(() => {});
    });
    await page.goto(new URL(pagePath, base).href);
    return { page, consoleErrors, foreignRequests, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Runs `body` with a Firefox page and closes the browser afterwards, whatever happens.
 * @param {ReturnType<typeof openFirefox>} opening
 * @param {(opened: Awaited<ReturnType<typeof openFirefox>>) => Promise<void>} body
 */
export async function withFirefox(opening, body) {
  const opened = await opening;
  try {
    await body(opened);
  } finally {
    await opened.close();
  }
}

/** The unformatted value of a metric cell, or null before any. @param {Page} page @param {string} id */
export async function metric(page, id) {
  const v = await page.$eval(`#${id}`, (e) => e.getAttribute('data-value'));
  return v === null || v === '' ? null : Number(v);
}

/** The step count in the status line. @param {Page} page */
export async function stepCount(page) {
  return Number(await page.$eval('#step-count', (e) => e.textContent));
}

/** Waits until the worker loaded the wasm and built the first session. @param {Page} page */
export async function waitForSession(page, timeout = CPU_TIMEOUT) {
  await page.waitForSelector('#play:not([disabled])', { timeout });
  await page.waitForSelector('#boundary-canvas[data-step="0"]', { timeout });
}

/**
 * Sets one setting through its control as a user does (choose, or type then Enter) and waits
 * for the worker to accept it: the URL hash changes.
 * @param {Page} page @param {string} id @param {string | number} value
 */
export async function setField(page, id, value, timeout = CPU_TIMEOUT) {
  const text = String(value);
  const selector = `#${id}`;
  const [tag, current] = await page.$eval(selector, (e) => [e.tagName, /** @type {HTMLInputElement} */ (e).value]);
  if (current === text) return;
  const before = await page.evaluate(() => location.hash);
  if (tag === 'SELECT') {
    await page.select(selector, text);
  } else {
    await page.click(selector, { count: 3 });
    await page.keyboard.type(text);
    // Enter commits the edit (a change event); Tab would too for a user, but headless Firefox
    // under BiDi moves the focus without firing blur or change.
    await page.keyboard.press('Enter');
  }
  await page.waitForFunction((b) => location.hash !== b, { timeout }, before);
}

/** @param {Page} page @param {Record<string, string | number>} fields control ids and values */
export async function setFields(page, fields, timeout = CPU_TIMEOUT) {
  for (const [id, value] of Object.entries(fields)) await setField(page, id, value, timeout);
}

/** Presses Pause and waits until the worker says it stopped. @param {Page} page */
export async function pause(page) {
  if ((await page.$eval('#play', (e) => e.getAttribute('data-running'))) === 'true') await page.click('#play');
  await page.waitForSelector('#play[data-running="false"]');
}

/**
 * Presses Play, waits until `#metricId`'s value passes `target` (at least, or with `below`, at
 * most), then pauses.
 * @param {Page} page @param {string} metricId @param {number} target @param {number} timeout
 * @returns {Promise<number>} the value reached
 */
export async function trainUntil(page, metricId, target, timeout, { below = false } = {}) {
  await page.click('#play');
  await page.waitForSelector('#play[data-running="true"]');
  try {
    await page.waitForFunction((id, t, low) => {
      const v = document.getElementById(id)?.getAttribute('data-value');
      return v ? (low ? Number(v) <= t : Number(v) >= t) : false;
    }, { timeout, polling: 500 }, metricId, target, below);
  } catch (err) {
    const shown = await page.$eval('#status-bar', (e) => e.textContent?.replace(/\s+/g, ' '));
    const messages = await page.$eval('#messages', (e) => e.textContent);
    throw new Error(`${metricId} ${await metric(page, metricId)} never reached ${target} (${shown}; ` +
      `messages: ${messages}): ${err}`, { cause: err });
  }
  await pause(page);
  return /** @type {number} */ (await metric(page, metricId));
}

/**
 * What the status line says of the backend once the WebGPU check is over.
 * @param {Page} page
 */
export async function webgpuOutcome(page, timeout = CPU_TIMEOUT) {
  const status = await page.waitForSelector(['ok', 'failed', 'unavailable']
    .map((s) => `#backend-status[data-webgpu-state="${s}"]`).join(', '), { timeout });
  return /** @type {NonNullable<typeof status>} */ (status).evaluate((e) => ({
    state: e.getAttribute('data-webgpu-state') ?? '',
    backend: e.getAttribute('data-backend') ?? '',
    text: e.textContent ?? '',
    title: e.getAttribute('title') ?? '',
  }));
}
