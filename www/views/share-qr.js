// @ts-check
//! The share link as a QR code, under the link in the Share panel: drawn on a canvas when the
//! link fits in one, a one-line reason instead when it does not; its size (version, modules)
//! beneath, and a PNG of it to download. The library (qrcode-generator, MIT) is vendored into
//! www/vendor/ at set-up; the link goes into it as bytes and comes out as dark and light modules,
//! so nothing of the link is ever inserted as HTML.

import qrcode from '../vendor/qrcode.mjs';
import { t } from '../i18n.js';

/**
 * The most bytes one QR code holds: version 40 (177 × 177 modules), byte mode, error correction
 * L (ISO/IEC 18004, table 7: 2,956 data codewords less the 20-bit mode and length header).
 * qrcode-generator 2.0.4 takes 2,953 and refuses 2,954 ("code length overflow").
 */
export const QR_MAX_BYTES = 2953;
/** Light modules around the code: the quiet zone the standard asks for. */
const QUIET_ZONE = 4;
/** Pixels of the canvas (and the PNG) across, about: each module is a whole number of them. */
const TARGET_PIXELS = 480;

export class ShareQr {
  /** @param {HTMLElement} container holds #share-qr and #share-qr-reason */
  constructor(container) {
    /** Called with the PNG to save and its name. */
    this.onDownload = (/** @type {Blob} */ _png, /** @type {string} */ _name) => {};
    const $ = (/** @type {string} */ sel) => /** @type {any} */ (container.querySelector(sel));
    /** @type {HTMLElement} */ this.figure = $('#share-qr');
    /** @type {HTMLCanvasElement} */ this.canvas = $('#share-qr-canvas');
    /** @type {HTMLElement} */ this.size = $('#share-qr-size');
    /** @type {HTMLElement} */ this.reason = $('#share-qr-reason');
    /** @type {HTMLButtonElement} */ this.downloadButton = $('#share-qr-download');
    /** The name of the PNG offered. */
    this.name = 'kindling-qr.png';
    this.downloadButton.addEventListener('click', () => this.download());
    this.clear();
  }

  /** No link (one is being made): nothing shown. */
  clear() {
    this.figure.hidden = true;
    this.reason.hidden = true;
    this.reason.textContent = '';
    this.figure.dataset.version = '';
    this.figure.dataset.modules = '';
  }

  /**
   * Draws the QR code of `url`, or says why there is none.
   * @param {string} url @param {string} name the PNG's file name
   */
  show(url, name) {
    this.clear();
    this.name = name;
    const bytes = new TextEncoder().encode(url);
    const code = bytes.length <= QR_MAX_BYTES ? encode(bytes) : null;
    if (!code) {
      this.reason.textContent = t('share.qrTooLong', { max: QR_MAX_BYTES, length: bytes.length });
      this.reason.hidden = false;
      return;
    }
    const modules = code.getModuleCount();
    const version = (modules - 17) / 4;
    draw(this.canvas, code, modules);
    this.figure.dataset.version = String(version);
    this.figure.dataset.modules = String(modules);
    this.size.textContent = t('share.qrSize', { version: String(version), modules: String(modules) });
    this.figure.hidden = false;
  }

  download() {
    this.canvas.toBlob((png) => { if (png) this.onDownload(png, this.name); }, 'image/png');
  }
}

/**
 * The smallest QR code (error correction L, byte mode) that holds `bytes`, or null.
 * @param {Uint8Array} bytes
 */
function encode(bytes) {
  const code = qrcode(0, 'L');
  // The library reads a string as one byte per char code: hand it the UTF-8 bytes so.
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  code.addData(text, 'Byte');
  try {
    code.make();
  } catch {
    return null; // "code length overflow": more than version 40 holds
  }
  return code;
}

/**
 * Dark modules on white, a whole number of pixels each, with the quiet zone.
 * @param {HTMLCanvasElement} canvas @param {any} code @param {number} modules
 */
function draw(canvas, code, modules) {
  const across = modules + 2 * QUIET_ZONE;
  const cell = Math.max(2, Math.round(TARGET_PIXELS / across));
  canvas.width = canvas.height = across * cell;
  // Shown at 2 CSS pixels a module, at least 164: small enough for the panel, large enough to scan.
  canvas.style.width = `${Math.max(164, 2 * across)}px`;
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  for (let row = 0; row < modules; row++) {
    for (let col = 0; col < modules; col++) {
      if (code.isDark(row, col)) ctx.fillRect((col + QUIET_ZONE) * cell, (row + QUIET_ZONE) * cell, cell, cell);
    }
  }
}
