// @ts-check
//! Opens a page of the running Kindling server in headless Chromium with WebGPU on SwiftShader.
//! The spec files import `openPage`; `cargo xtask test` serves the app and sets KINDLING_URL.
//!
//! Flags: Playwright already passes --headless (new mode), --no-sandbox (chromiumSandbox: false),
//! --no-first-run, --disable-background-networking, --disable-component-update, --disable-sync
//! and --enable-unsafe-swiftshader. The one flag WebGPU needs on top is --enable-unsafe-webgpu:
//! without it `requestAdapter()` returns null on Linux. With it, Chromium's SwiftShader adapter
//! (vendor 'google', architecture 'swiftshader') offers 'subgroups' (subgroup size 4).

import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const CHROMIUM = process.env.KINDLING_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--enable-unsafe-webgpu'];

/** The server's base URL, with a trailing slash. */
export function baseUrl() {
  const url = process.env.KINDLING_URL;
  if (!url) throw new Error('KINDLING_URL is not set: run the browser tests with `cargo xtask test`');
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * Launches a fresh browser (own temporary profile) and opens `KINDLING_URL + path`.
 * @param {string} [pagePath] relative to KINDLING_URL, e.g. '' or 'bench.html' or '?backend=cpu'
 * @param {{ timeout?: number, onConsole?: (msg: import('playwright-core').ConsoleMessage) => void,
 *            initScript?: () => void, base?: string, args?: string[], locale?: string }} [options]
 *   timeout: navigation timeout in ms; onConsole: sees every console message from the start;
 *   initScript: runs in the page before its own scripts (e.g. to observe long tasks);
 *   base: another server's URL to open `pagePath` against (the static site); args: more flags;
 *   locale: the browser's language (navigator.languages, Accept-Language), e.g. 'zh-CN'.
 * @returns {Promise<{ page: import('playwright-core').Page,
 *                     browser: import('playwright-core').BrowserContext,
 *                     consoleErrors: string[], foreignRequests: string[],
 *                     close: () => Promise<void> }>}
 *   consoleErrors: console.error messages and uncaught page errors, in order.
 *   foreignRequests: every request to another origin (each is aborted: the app must work offline).
 */
export async function openPage(pagePath = '', { timeout = 60_000, onConsole, initScript, base = baseUrl(), args = [], locale } = {}) {
  const origin = new URL(base).origin;
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'kindling-chromium-'));
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    args: [...CHROMIUM_ARGS, ...args],
    viewport: { width: 1280, height: 900 },
    ...(locale ? { locale } : {}),
  });
  /** @type {string[]} */
  const consoleErrors = [];
  /** @type {string[]} */
  const foreignRequests = [];
  await browser.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    foreignRequests.push(url);
    return route.abort('blockedbyclient');
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
    onConsole?.(msg);
  });
  page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
  if (initScript) await page.addInitScript(initScript);
  const close = async () => {
    await browser.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  };
  try {
    await page.goto(new URL(pagePath, base).href, { timeout });
  } catch (err) {
    await close();
    throw err;
  }
  return { page, browser, consoleErrors, foreignRequests, close };
}
