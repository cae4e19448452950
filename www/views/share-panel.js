// @ts-check
//! Sharing the model: the Share button opens a panel with a link to the model as it is now (at
//! the precision chosen, with its size, a Copy button and its QR code: views/share-qr.js);
//! Export model downloads it as a .safetensors file; Import model (or a file dropped on the page)
//! opens one. Training goes on meanwhile. Nothing from a link or a file is inserted as HTML.

import { ShareQr } from './share-qr.js';
import { onLanguageChange, t } from '../i18n.js';

/** Above this a link is called large, and the file offered instead. */
export const LARGE_LINK_BYTES = 64 * 1024;
/** Above this the panel offers int8 for a shorter link (issue 6's size for the default MLP). */
export const SHORT_LINK_BYTES = 8 * 1024;

export class SharePanel {
  /** @param {HTMLElement} container holds the buttons and the panel */
  constructor(container) {
    /** Called with a worker command ({type: 'share'} …). */
    this.onCommand = (/** @type {any} */ _command) => {};
    /** The page URL that opens the model whose link text is given. */
    this.urlFor = (/** @type {string} */ link) => `#model=${link}`;
    this.container = container;
    const $ = (/** @type {string} */ sel) => /** @type {any} */ (container.querySelector(sel));
    /** @type {HTMLButtonElement} */ this.shareButton = $('#share');
    /** @type {HTMLButtonElement} */ this.exportButton = $('#export-model');
    /** @type {HTMLButtonElement} */ this.pytorchButton = $('#export-pytorch');
    /** @type {HTMLInputElement} */ this.importInput = $('#import-model');
    /** @type {HTMLElement} */ this.panel = $('#share-panel');
    /** @type {HTMLSelectElement} */ this.precision = $('#share-precision');
    /** @type {HTMLInputElement} */ this.field = $('#share-link');
    /** @type {HTMLElement} */ this.size = $('#share-size');
    /** @type {HTMLElement} */ this.note = $('#share-note');
    /** @type {HTMLButtonElement} */ this.copyButton = $('#share-copy');
    /** @type {HTMLButtonElement} */ this.largeExport = $('#share-export-instead');
    /** @type {HTMLElement} */ this.largeBox = $('#share-large');
    /** @type {HTMLElement} */ this.shorterBox = $('#share-shorter');
    this.qr = new ShareQr(container);
    this.qr.onDownload = download;
    /** The link shown (its `shared` event), worded again in another language. @type {any} */
    this.shown = null;
    /** Whether the Copy button says it copied. */
    this.copied = false;
    this.copyButton.textContent = t('share.copy');
    onLanguageChange(() => {
      this.copyButton.textContent = t(this.copied ? 'share.copied' : 'share.copy');
      if (this.panel.dataset.pending === 'true') this.note.textContent = t('share.making');
      else if (this.shown) this.show(this.shown);
    });

    this.shareButton.setAttribute('aria-expanded', 'false');
    this.shareButton.setAttribute('aria-controls', this.panel.id);
    this.shareButton.addEventListener('click', () => {
      this.setOpen(true);
      // A link to 127.0.0.1 opens nothing on a friend's phone: say so, and how to get one that does.
      $('#share-local').hidden = !isLoopback(location.hostname);
      $('#share-local-host').textContent = location.host;
      this.request();
    });
    this.precision.addEventListener('change', () => this.request());
    $('#share-close').addEventListener('click', () => this.setOpen(false));
    // Escape closes the panel from anywhere in it; focus goes back to where it came from.
    this.panel.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      this.setOpen(false);
    });
    this.copyButton.addEventListener('click', () => this.copy());
    this.exportButton.addEventListener('click', () => this.onCommand({ type: 'exportModel' }));
    this.pytorchButton.addEventListener('click', () => this.onCommand({ type: 'exportPytorch' }));
    this.largeExport.addEventListener('click', () => this.onCommand({ type: 'exportModel' }));
    $('#share-use-int8').addEventListener('click', () => {
      this.precision.value = 'int8';
      this.request();
    });
    this.importInput.addEventListener('change', () => {
      const file = this.importInput.files?.[0];
      if (file) this.open(file);
      this.importInput.value = '';
    });
    // A model file dropped anywhere on the page opens it.
    const hasFiles = (/** @type {DragEvent} */ e) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    document.addEventListener('dragover', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    });
    document.addEventListener('drop', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      const file = e.dataTransfer?.files?.[0];
      if (file) this.open(file);
    });
    this.reset();
  }

  /**
   * Opens the panel with the focus on its first control, or closes it with the focus back on
   * the Share button (when the focus was in the panel).
   * @param {boolean} open
   */
  setOpen(open) {
    const inside = this.panel.contains(document.activeElement);
    this.panel.hidden = !open;
    this.shareButton.setAttribute('aria-expanded', String(open));
    if (open) this.precision.focus();
    else if (inside || document.activeElement === document.body) this.shareButton.focus();
  }

  reset() {
    for (const b of [this.shareButton, this.exportButton, this.pytorchButton]) b.disabled = true;
    this.importInput.disabled = true;
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'session':
        for (const b of [this.shareButton, this.exportButton, this.pytorchButton]) b.disabled = false;
        this.importInput.disabled = false;
        break;
      case 'shared':
        this.show(event);
        break;
      case 'modelFile':
        download(new Blob([event.bytes], { type: 'application/octet-stream' }), event.name);
        break;
      case 'opened':
        this.container.dataset.opened = `${event.source}:${event.step}`;
        break;
      case 'error':
        if (event.command === 'share') this.setPending(false, '');
        break;
      case 'crashed':
        this.setPending(false, '');
        break;
    }
  }

  /** Asks the worker for a link at the precision chosen. */
  request() {
    this.shown = null;
    this.setPending(true, t('share.making'));
    this.onCommand({ type: 'share', precision: this.precision.value });
  }

  /** @param {boolean} pending @param {string} text */
  setPending(pending, text) {
    this.panel.dataset.pending = String(pending);
    if (pending) {
      this.field.value = '';
      this.size.textContent = '';
      this.size.dataset.value = '';
      this.largeBox.hidden = true;
      this.shorterBox.hidden = true;
      this.qr.clear();
    }
    this.note.textContent = text;
    this.copyButton.disabled = pending;
  }

  /** @param {import('../protocol.js').SharedEvent} event */
  show(event) {
    // A link for another precision than the one now chosen is stale.
    if (event.precision !== this.precision.value) return;
    this.shown = event;
    const url = this.urlFor(event.link);
    const bytes = new TextEncoder().encode(url).length;
    this.field.value = url;
    this.field.dataset.step = String(event.step);
    this.size.dataset.value = String(bytes);
    this.size.textContent = `${(bytes / 1024).toFixed(1)} KB`;
    this.setPending(false, t('share.note', { step: String(event.step), precision: event.precision }) + dataNote(event.data));
    this.panel.dataset.data = !event.data ? 'builtin' : event.data.sample ? 'sample'
      : event.data.embedded ? 'embedded' : 'fingerprint';
    this.largeBox.hidden = bytes <= LARGE_LINK_BYTES;
    this.shorterBox.hidden = bytes <= SHORT_LINK_BYTES || event.precision === 'int8';
    this.qr.show(url, `kindling-qr-step${event.step}.png`);
  }

  async copy() {
    const text = this.field.value;
    if (!text) return;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard permission (an insecure origin): select it for Ctrl+C instead.
      this.field.select();
      document.execCommand?.('copy');
    }
    this.copied = true;
    this.copyButton.textContent = t('share.copied');
    setTimeout(() => {
      this.copied = false;
      this.copyButton.textContent = t('share.copy');
    }, 1500);
  }

  /** @param {File} file */
  async open(file) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    this.onCommand({ type: 'open', bytes });
  }
}

/**
 * What the link does with the user's file the model trained on (docs/share-format.md).
 * @param {import('../protocol.js').DataOrigin | null} data
 */
function dataNote(data) {
  if (!data) return '';
  const size = `${(data.bytes / 1024).toFixed(1)} KB`;
  if (data.sample) return t('share.dataSample', { name: data.name });
  if (data.embedded) return t('share.dataEmbedded', { name: data.name, size });
  return t('share.dataFingerprint', { name: data.name, size });
}

/** @param {Blob} blob @param {string} name */
function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Whether a host name is this computer only. @param {string} host */
export function isLoopback(host) {
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host === '::1'
    || /^127\.\d+\.\d+\.\d+$/.test(host);
}
