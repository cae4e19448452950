// @ts-check
//! Your own data, the way in: a drop zone and a file picker (CSV, TSV, JSON Lines, text) and the
//! bundled datasets. A file is read in the worker (its bytes go there, transferred, and nowhere
//! else); the preview and the choices are views/table-preview.js. A file dropped anywhere on the
//! page comes here too, unless it is a model file (.safetensors), which the share panel opens.

import { errorText, onLanguageChange, t } from '../i18n.js';

/** Mirrors `MAX_FILE_BYTES` (src/data/table/mod.rs): a larger file is not even read into memory. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** "64 MB", as the wasm reader writes sizes. @param {number} bytes */
const megabytes = (bytes) => {
  const mb = bytes / (1024 * 1024);
  return mb >= 10 || Number.isInteger(mb) ? `${mb.toFixed(0)} MB` : `${mb.toFixed(1)} MB`;
};

export class UploadPanel {
  /** @param {HTMLElement} container */
  constructor(container) {
    /** Called with a worker command ({type: 'readFile', …}). */
    this.onCommand = (/** @type {any} */ _command) => {};
    const $ = (/** @type {string} */ sel) => /** @type {any} */ (container.querySelector(sel));
    /** @type {HTMLElement} */ this.zone = $('#drop-zone');
    /** @type {HTMLInputElement} */ this.input = $('#data-file');
    /** @type {HTMLSelectElement} */ this.samples = $('#sample-choice');
    /** @type {HTMLElement} */ this.status = $('#upload-status');
    /** @type {HTMLElement} */ this.source = $('#sample-source');
    /** @type {{ name: string, title: string, target: string, source: string, licence: string }[]} */
    this.sampleList = [];
    /** What the status line says, again in another language. @type {() => string} */
    this.words = () => '';
    onLanguageChange(() => {
      this.status.textContent = this.words();
      this.showSource(this.samples.value);
    });

    this.input.addEventListener('change', () => {
      const file = this.input.files?.[0];
      if (file) this.read(file);
      this.input.value = '';
    });
    this.samples.addEventListener('change', () => {
      const name = this.samples.value;
      this.showSource(name);
      if (!name) return;
      this.setStatus(() => t('upload.reading', { name }), 'busy');
      this.onCommand({ type: 'readFile', sample: name });
    });
    const hasFiles = (/** @type {DragEvent} */ e) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    this.zone.addEventListener('dragover', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      this.zone.classList.add('over');
    });
    this.zone.addEventListener('dragleave', () => this.zone.classList.remove('over'));
    // Capture phase: a data file dropped anywhere is ours before the share panel's handler
    // (which opens model files) sees it.
    document.addEventListener('drop', (e) => {
      this.zone.classList.remove('over');
      const file = e.dataTransfer?.files?.[0];
      if (!file || /\.safetensors$/i.test(file.name)) return;
      e.preventDefault();
      e.stopPropagation();
      this.read(file);
    }, true);
  }

  reset() {}

  /** @param {File} file */
  async read(file) {
    this.setStatus(() => t('upload.reading', { name: file.name }), 'busy');
    this.samples.value = '';
    this.showSource('');
    // Refused here, before reading: the same limit and message as the wasm reader's.
    if (file.size > MAX_FILE_BYTES) {
      this.setStatus(() => t('error.file-too-large', { file: file.name, size: megabytes(file.size), limit: megabytes(MAX_FILE_BYTES) }), 'error');
      return;
    }
    const bytes = await file.arrayBuffer();
    this.onCommand({ type: 'readFile', name: file.name, bytes });
  }

  /** @param {() => string} words the text in the language in force @param {'busy' | 'ok' | 'error' | ''} state */
  setStatus(words, state) {
    this.words = words;
    this.status.textContent = words();
    this.status.dataset.state = state;
  }

  /** @param {string} name */
  showSource(name) {
    const s = this.sampleList.find((x) => x.name === name);
    this.source.textContent = s ? t('upload.source', { title: s.title, source: s.source, licence: s.licence }) : '';
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'ready':
        this.sampleList = event.samples ?? [];
        for (const s of this.sampleList) {
          const option = document.createElement('option');
          option.value = s.name;
          option.textContent = s.name;
          this.samples.append(option);
        }
        break;
      case 'filePreview':
        this.setStatus(() => (event.kind === 'table'
          ? t('upload.previewTable', { name: event.name, rows: String(event.preview.rows), columns: String(event.preview.columns.length) })
          : t('upload.previewText', { name: event.name, chars: String(event.preview.chars) })), 'ok');
        break;
      case 'tableData':
        this.setStatus(() => t('upload.training', {
          file: event.file, train: String(event.trainRows), test: String(event.testRows),
          dropped: String(event.droppedRows), imputed: String(event.imputedCells),
        }), 'ok');
        break;
      case 'error':
        if (event.command === 'readFile') this.setStatus(() => errorText(event), 'error');
        break;
      case 'crashed':
        // A file being read may be what crashed it: say so where the user looks.
        if (this.status.dataset.state === 'busy') this.setStatus(() => t('upload.stopped', { reason: event.message }), 'error');
        break;
    }
  }
}
