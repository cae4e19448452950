// @ts-check
//! The share link as a QR code (issue 6): a small model's int8 link is drawn as a QR code that
//! decodes (jsQR, in Node) to the very link shown, with its version under it and a PNG to
//! download; the default model's link is too long for one, and the panel says so instead. On the
//! CPU backend for speed.

import { test } from 'node:test';
import jsqr from 'jsqr';
import { openPage } from './browser.mjs';
import { CPU_TIMEOUT, assert, waitForSession, withPage } from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

// jsqr is CommonJS: Node's default import is its module.exports, which is the decoder and also
// holds it as `default`, the one its types declare.
const jsQR = jsqr.default;

/** What one QR code holds: version 40, byte mode, error correction L. */
const QR_MAX_BYTES = 2953;

/**
 * Opens the share panel at `precision` and returns the link it shows.
 * @param {Page} page @param {string} precision
 */
async function shareLink(page, precision) {
  await page.click('#share');
  await page.locator('#share-panel:not([hidden])').waitFor();
  if ((await page.inputValue('#share-precision')) !== precision) await page.selectOption('#share-precision', precision);
  await page.locator('#share-panel[data-pending="false"]').waitFor({ timeout: CPU_TIMEOUT });
  const link = await page.inputValue('#share-link');
  assert.ok(link.includes('model=k1.'), link.slice(0, 120));
  return link;
}

/**
 * The QR canvas's pixels, RGBA, brought over as base64 (a few MB as a JSON array is slow).
 * @param {Page} page
 */
async function qrPixels(page) {
  const { width, height, base64 } = await page.locator('#share-qr-canvas').evaluate((c) => {
    const canvas = /** @type {HTMLCanvasElement} */ (c);
    const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let text = '';
    for (let i = 0; i < data.length; i += 0x8000) text += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return { width: canvas.width, height: canvas.height, base64: btoa(text) };
  });
  return { width, height, data: new Uint8ClampedArray(Buffer.from(base64, 'base64')) };
}

test('a small model’s int8 link is drawn as a QR code that decodes to the link; the PNG downloads', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu&model.hidden=4:relu:0'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    assert.equal(await page.inputValue('#layer-0-units'), '4');
    const link = await shareLink(page, 'int8');
    const bytes = Buffer.byteLength(link, 'utf8');
    assert.ok(bytes <= QR_MAX_BYTES, `the small model's link fits in a QR code (${bytes} bytes)`);

    await page.locator('#share-qr:not([hidden])').waitFor();
    assert.equal(await page.isHidden('#share-qr-reason'), true);
    const version = Number(await page.getAttribute('#share-qr', 'data-version'));
    const modules = Number(await page.getAttribute('#share-qr', 'data-modules'));
    assert.ok(version >= 1 && version <= 40, `version ${version}`);
    assert.equal(modules, 17 + 4 * version);
    assert.equal(await page.textContent('#share-qr-size'),
      `Version ${version}: ${modules} × ${modules} modules, error correction L.`);
    const box = await page.locator('#share-qr-canvas').boundingBox();
    assert.ok(box && box.width >= 100 && box.height >= 100, `drawn at ${JSON.stringify(box)}`);

    // The strong check: the pixels decode to the very link shown.
    const { width, height, data } = await qrPixels(page);
    assert.ok(width > 0 && width === height, `${width} × ${height}`);
    const decoded = jsQR(data, width, height);
    assert.ok(decoded, 'jsQR finds a QR code on the canvas');
    assert.equal(decoded.data, link);
    assert.equal(decoded.version, version);

    // Download QR as PNG.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#share-qr-download')]);
    const step = await page.getAttribute('#share-link', 'data-step');
    assert.equal(download.suggestedFilename(), `kindling-qr-step${step}.png`);
    const { readFileSync } = await import('node:fs');
    const png = readFileSync(/** @type {string} */ (await download.path()));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
    assert.equal(png.readUInt32BE(16), width, 'the PNG is the canvas');

    // A longer precision makes a new link, and its own QR code (or reason): never the old one.
    await page.selectOption('#share-precision', 'f32');
    await page.locator('#share-panel[data-pending="false"]').waitFor({ timeout: CPU_TIMEOUT });
    const f32 = await page.inputValue('#share-link');
    assert.notEqual(f32, link);
    if (Buffer.byteLength(f32, 'utf8') <= QR_MAX_BYTES) {
      const again = await qrPixels(page);
      assert.equal(jsQR(again.data, again.width, again.height)?.data, f32);
    } else {
      assert.equal(await page.isHidden('#share-qr'), true);
    }
    assert.deepEqual(consoleErrors, []);
  }));

test('the default model’s link is too long for a QR code: the reason is shown instead', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    const link = await shareLink(page, 'f16');
    const bytes = Buffer.byteLength(link, 'utf8');
    assert.ok(bytes > QR_MAX_BYTES, `the default model's link is long (${bytes} bytes)`);
    const reason = page.locator('#share-qr-reason');
    await reason.waitFor();
    assert.equal(await reason.textContent(),
      `QR codes hold up to 2,953 characters; this link has ${bytes.toLocaleString('en-US')} — ` +
      'copy it or export the model file.');
    assert.equal(await page.isHidden('#share-qr'), true);
    assert.equal(await page.getAttribute('#share-qr', 'data-version'), '');
    // Over 8 KB in f16: the panel offers int8, which halves the link
    assert.equal(await page.isVisible('#share-shorter'), true);
    await page.click('#share-use-int8');
    await page.locator('#share-panel[data-pending="false"]').waitFor();
    assert.equal(await page.inputValue('#share-precision'), 'int8');
    const int8 = Number(await page.getAttribute('#share-size', 'data-value'));
    assert.ok(int8 < 8 * 1024 && int8 < bytes * 0.6, `int8 link ${int8} bytes, f16 ${bytes}`);
    assert.equal(await page.isHidden('#share-shorter'), true);
    assert.deepEqual(consoleErrors, []);
  }));

test('the QR code holds a link of up to 2,953 bytes (version 40) and gives the reason past that', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page, consoleErrors }) => {
    await waitForSession(page);
    // The panel's QR view, fed links of the sizes at the limit.
    await page.evaluate(async () => {
      const { ShareQr } = await import(new URL('www/views/share-qr.js', location.href).href);
      /** @type {any} */ (window).qr = new ShareQr(document.querySelector('#model-tools'));
    });
    const longest = `${'https://example.org/#model=k1.'}${'A'.repeat(QR_MAX_BYTES - 30)}`;
    assert.equal(longest.length, QR_MAX_BYTES);
    await page.evaluate((url) => /** @type {any} */ (window).qr.show(url, 'qr.png'), longest);
    assert.equal(await page.getAttribute('#share-qr', 'data-version'), '40');
    assert.equal(await page.getAttribute('#share-qr', 'data-modules'), '177');
    assert.equal(await page.isHidden('#share-qr-reason'), true);
    const { width, height, data } = await qrPixels(page);
    assert.equal(jsQR(data, width, height)?.data, longest, 'a version-40 code decodes too');

    await page.evaluate((url) => /** @type {any} */ (window).qr.show(`${url}A`, 'qr.png'), longest);
    assert.equal(await page.getAttribute('#share-qr', 'data-version'), '');
    assert.equal(await page.textContent('#share-qr-reason'),
      'QR codes hold up to 2,953 characters; this link has 2,954 — copy it or export the model file.');
    assert.deepEqual(consoleErrors, []);
  }));
