// @ts-check
//! Asks for the data file a shared model was trained on when its link (or model file) does not
//! carry it: names the file, its size and fingerprint, and takes it by the file picker or a file
//! dropped anywhere on the page while the box is up. The worker checks the fingerprint; a wrong file leaves the ask up with its message
//! (message-area.js). The names shown come from the link: set as text, never as HTML.

import { onLanguageChange, t } from '../i18n.js';

export class DataRequest {
  /** @param {HTMLElement} container */
  constructor(container) {
    /** Called with a worker command (`openData`, `cancelData`). */
    this.onCommand = (/** @type {any} */ _command) => {};
    this.container = container;
    const $ = (/** @type {string} */ sel) => /** @type {any} */ (container.querySelector(sel));
    /** @type {HTMLElement} */ this.text = $('#data-request-text');
    /** @type {HTMLInputElement} */ this.input = $('#data-request-file');
    /** The ask shown, worded again in another language. @type {any} */
    this.asked = null;
    onLanguageChange(() => { if (this.asked) this.say(this.asked); });
    this.input.addEventListener('change', () => {
      const file = this.input.files?.[0];
      if (file) this.give(file);
      this.input.value = '';
    });
    $('#data-request-cancel').addEventListener('click', () => {
      this.container.hidden = true;
      this.onCommand({ type: 'cancelData' });
    });
    // While the box is up, a file dropped anywhere on the page is the data file: these listen
    // in the capture phase, before share-panel.js (a model file) or the upload panel see it.
    const waiting = (/** @type {DragEvent} */ e) =>
      !this.container.hidden && Array.from(e.dataTransfer?.types ?? []).includes('Files');
    document.addEventListener('dragover', (e) => {
      if (!waiting(e)) return;
      e.preventDefault();
      e.stopPropagation();
    }, true);
    document.addEventListener('drop', (e) => {
      if (!waiting(e)) return;
      e.preventDefault();
      e.stopPropagation();
      const file = e.dataTransfer?.files?.[0];
      if (file) this.give(file);
    }, true);
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'needData':
        this.asked = event;
        this.say(event);
        this.container.dataset.name = event.name;
        this.container.hidden = false;
        break;
      case 'opened':
        this.container.hidden = true;
        break;
    }
  }

  /** @param {any} event a needData event */
  say(event) {
    const size = event.bytes >= 1024 ? `${(event.bytes / 1024).toFixed(1)} KB` : t('dataRequest.bytes', { count: event.bytes });
    this.text.textContent = t(event.source === 'link' ? 'dataRequest.fromLink' : 'dataRequest.fromFile', {
      name: event.name, size, step: String(event.step), sha: `${String(event.sha256).slice(0, 12)}…`,
    });
  }

  /** @param {File} file */
  async give(file) {
    const bytes = await file.arrayBuffer();
    this.onCommand({ type: 'openData', name: file.name, bytes });
  }
}
