// @ts-check
//! Predict on new rows (issue 19, item 1): after training on a table, a file of new rows (its
//! feature columns, with or without the target) goes to the worker, which runs the model in
//! force on it; the first rows of the predictions are shown, and all of them download as CSV
//! beside the file's own columns. A file the model cannot take (a missing column, an unseen
//! category) is refused with its message here and in the messages, and nothing else changes.

import { errorText, t, onLanguageChange } from '../i18n.js';

export class PredictPanel {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
    /** Called with a worker command ({ type: 'predictFile', name, bytes }). */
    this.onCommand = (/** @type {any} */ _command) => {};
    const $ = (/** @type {string} */ sel) => /** @type {any} */ (container.querySelector(sel));
    /** @type {HTMLInputElement} */ this.input = $('#predict-file');
    /** @type {HTMLElement} */ this.result = $('#predict-result');
    /** @type {HTMLTableElement} */ this.table = $('#predict-table');
    /** @type {HTMLButtonElement} */ this.download = $('#predict-download');
    /** @type {{ csv: string, name: string, rows: number, ignored: string[] } | null} */
    this.last = null;
    /** @type {any} the refusal shown, to word again */
    this.refused = null;
    this.input.addEventListener('change', async () => {
      const file = this.input.files?.[0];
      if (!file) return;
      const bytes = await file.arrayBuffer();
      this.onCommand({ type: 'predictFile', name: file.name, bytes });
      this.input.value = '';
    });
    this.download.addEventListener('click', () => {
      if (!this.last) return;
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([this.last.csv], { type: 'text/csv' }));
      a.download = this.last.name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    });
    onLanguageChange(() => this.describe());
  }

  reset() {
    this.last = null;
    this.refused = null;
    this.table.replaceChildren();
    this.download.disabled = true;
    this.describe();
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'tableData': this.container.hidden = false; break;
      case 'dataset': if (!event.fromTable) this.container.hidden = true; break;
      case 'session': if (!event.continued) this.reset(); break;
      case 'predictedFile': this.show(event); break;
      case 'error':
        if (event.command === 'predictFile') {
          this.refused = event;
          this.describe();
        }
        break;
    }
  }

  /** @param {any} event */
  show(event) {
    this.refused = null;
    const base = event.name.replace(/\.[^.]*$/, '');
    this.last = { csv: event.csv, name: `${base}-predictions.csv`, rows: event.rows, ignored: event.ignored };
    const [header, ...rows] = event.preview;
    const tr = (/** @type {string[]} */ cells, /** @type {'th' | 'td'} */ tag) => {
      const row = document.createElement('tr');
      for (const c of cells) {
        const cell = document.createElement(tag);
        cell.textContent = c;
        row.append(cell);
      }
      return row;
    };
    const head = document.createElement('thead');
    head.append(tr(header, 'th'));
    const body = document.createElement('tbody');
    for (const r of rows) body.append(tr(r, 'td'));
    this.table.replaceChildren(head, body);
    this.download.disabled = false;
    this.describe();
  }

  describe() {
    if (this.refused) {
      this.result.textContent = errorText(this.refused);
      this.result.dataset.state = 'refused';
    } else if (this.last) {
      const ignored = this.last.ignored.length ? t('predict.ignored', { columns: this.last.ignored.join(', ') }) : '';
      this.result.textContent = t('predict.done', { rows: this.last.rows.toLocaleString() }) + ignored;
      this.result.dataset.state = 'done';
    } else {
      this.result.textContent = t('predict.none');
      delete this.result.dataset.state;
    }
  }
}
