// @ts-check
//! Your own data, before anything trains: the first rows, per column its type, missing values,
//! statistics and warnings; the target (and task) with its class balance; which columns are
//! features; how missing values are handled; the split. "Train on this data" sends the choices
//! to the worker (TableChoices, docs/wasm-api.md). Every text from the file is set with
//! textContent, never as HTML.

import { el } from '../element.js';

const fmt = (/** @type {number | null | undefined} */ v) =>
  v === null || v === undefined ? '–' : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : String(+v.toFixed(3));

export class TablePreview {
  /** @param {HTMLElement} container */
  constructor(container) {
    /** Called with a worker command ({type: 'useFile', …}). */
    this.onCommand = (/** @type {any} */ _command) => {};
    this.container = container;
    const $ = (/** @type {string} */ sel) => /** @type {any} */ (container.querySelector(sel));
    /** @type {HTMLElement} */ this.summary = $('#preview-summary');
    /** @type {HTMLElement} */ this.rows = $('#preview-rows');
    /** @type {HTMLElement} */ this.columns = $('#preview-columns');
    /** @type {HTMLSelectElement} */ this.target = $('#table-target');
    /** @type {HTMLSelectElement} */ this.task = $('#table-task');
    /** @type {HTMLElement} */ this.balance = $('#class-balance');
    /** @type {HTMLElement} */ this.warnings = $('#table-warnings');
    /** @type {HTMLSelectElement} */ this.missing = $('#table-missing');
    /** @type {HTMLInputElement} */ this.testFraction = $('#table-test-fraction');
    /** @type {HTMLInputElement} */ this.seed = $('#table-seed');
    /** @type {HTMLButtonElement} */ this.useButton = $('#use-file');
    /** @type {HTMLButtonElement} */ this.leaveButton = $('#leave-file');
    /** @type {HTMLElement} */ this.tableOnly = $('#table-choices');
    /** @type {HTMLElement} */ this.textBox = $('#text-column-choices');
    /** @type {HTMLSelectElement} */ this.textColumn = $('#text-column');
    /** @type {HTMLSelectElement} */ this.textUnit = $('#text-unit');
    /** @type {HTMLInputElement} */ this.textVocab = $('#text-vocab');
    /** @type {HTMLInputElement} */ this.textLength = $('#text-max-length');
    /** @type {HTMLButtonElement} */ this.textButton = $('#use-text-column');
    /** @type {any} */ this.preview = null;
    /** @type {any} */ this.targetInfo = null;
    // How the file writes its numbers, as read (sniffed, or chosen here): choosing the other
    // convention reads the previewed file again with it (readFile with `decimal` alone).
    /** @type {HTMLElement} */ this.format = el('p', { class: 'note', id: 'preview-format', 'data-testid': 'preview-format' });
    /** @type {HTMLSelectElement} */ this.decimal = /** @type {any} */ (el('select', { id: 'table-decimal', 'data-testid': 'table-decimal', 'aria-label': 'decimal mark' }, [
      el('option', { value: 'point' }, ['decimal point (5.3)']),
      el('option', { value: 'comma' }, ['decimal comma (5,3)']),
    ]));
    this.summary.after(this.format);
    this.decimal.addEventListener('change', () => this.onCommand({ type: 'readFile', decimal: this.decimal.value }));

    this.target.addEventListener('change', () => this.askTarget());
    this.task.addEventListener('change', () => this.askTarget());
    this.useButton.addEventListener('click', () => this.onCommand({ type: 'useFile', choices: this.choices() }));
    this.leaveButton.addEventListener('click', () => this.onCommand({ type: 'leaveFile' }));
    this.textButton.addEventListener('click', () => this.onCommand({
      type: 'useFile',
      choices: { ...this.choices(), task: 'classification', features: undefined },
      tokens: {
        column: this.textColumn.value, unit: this.textUnit.value,
        vocabSize: Number(this.textVocab.value), maxLength: Number(this.textLength.value),
      },
    }));
    this.container.hidden = true;
    this.leaveButton.hidden = true;
  }

  reset() {}

  askTarget() {
    this.onCommand({ type: 'describeTarget', target: this.target.value, task: this.task.value === 'auto' ? undefined : this.task.value });
  }

  /** The TableChoices of the form. */
  choices() {
    const features = Array.from(this.columns.querySelectorAll('input[name="feature"]:checked'), (i) => /** @type {HTMLInputElement} */ (i).value);
    return {
      target: this.target.value,
      ...(this.task.value !== 'auto' ? { task: this.task.value } : {}),
      features,
      missing: this.missing.value,
      testFraction: Number(this.testFraction.value),
      seed: Number(this.seed.value),
    };
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'filePreview':
        this.showFile(event);
        break;
      case 'targetSummary':
        this.showTarget(event, null);
        break;
      case 'tableData':
        this.leaveButton.hidden = false;
        break;
      case 'dataset':
        if (!event.fromTable) this.leaveButton.hidden = true;
        break;
      case 'error':
        if (event.command === 'describeTarget') this.showTarget(null, event.message);
        break;
    }
  }

  /** @param {any} event */
  showFile(event) {
    const p = event.preview;
    this.preview = p;
    this.container.hidden = false;
    this.container.dataset.kind = event.kind;
    this.container.dataset.file = event.name;
    if (event.kind !== 'table') {
      this.format.replaceChildren();
      this.summary.textContent = `${event.name}: ${p.chars} characters, ${p.lines} lines, ${p.distinct} distinct characters. A text trains a character-level language model in the sequences mode.`;
      this.rows.replaceChildren(el('pre', { class: 'text-sample' }, [p.sample]));
      this.columns.replaceChildren();
      this.tableOnly.hidden = true;
      this.useButton.disabled = false;
      this.useButton.textContent = 'Train a character model';
      return;
    }
    this.tableOnly.hidden = false;
    this.useButton.textContent = 'Train on this data';
    const header = p.hasHeader ? 'header detected' : 'no header: columns are numbered';
    this.summary.textContent = `${event.name}: ${p.rows} rows, ${p.columns.length} columns (${header}); ${p.duplicateRows} duplicate rows.`;
    this.showFormat(p);
    // the first rows
    const names = p.columns.map((/** @type {any} */ c) => c.name);
    this.rows.replaceChildren(el('table', { class: 'preview', 'data-testid': 'preview-rows' }, [
      el('thead', {}, [el('tr', {}, names.map((/** @type {string} */ n) => el('th', {}, [n])))]),
      el('tbody', {}, p.preview.map((/** @type {string[]} */ row) => el('tr', {}, row.map((v) => el('td', {}, [v]))))),
    ]));
    this.target.replaceChildren(...p.columns.filter((/** @type {any} */ c) => c.kind !== 'empty')
      .map((/** @type {any} */ c) => el('option', { value: c.name }, [c.name])));
    const proposed = event.target?.target ?? p.defaultTarget;
    if (proposed) this.target.value = proposed;
    this.task.value = 'auto';
    const texts = p.columns.filter((/** @type {any} */ c) => c.kind === 'text');
    this.textColumn.replaceChildren(...texts.map((/** @type {any} */ c) => el('option', { value: c.name }, [c.name])));
    this.textBox.hidden = texts.length === 0;
    this.showTarget(event.target, event.targetError);
  }

  /** The delimiter and the decimal mark the table was read with; JSON Lines has neither. @param {any} p */
  showFormat(p) {
    this.container.dataset.decimal = p.decimal;
    if (!p.delimiter) {
      this.format.replaceChildren('JSON Lines: numbers as JSON writes them.');
      return;
    }
    const names = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };
    const delimiter = names[/** @type {keyof typeof names} */ (p.delimiter)] ?? `'${p.delimiter}'`;
    this.decimal.value = p.decimal;
    this.format.replaceChildren(`Fields separated by ${delimiter}; numbers read with a `,
      el('span', { 'data-testid': 'decimal-mark' }, [p.decimal === 'comma' ? 'decimal comma' : 'decimal point']), ' ', this.decimal);
  }

  /** @param {any} info TargetSummary or null @param {string | null} error */
  showTarget(info, error) {
    const p = this.preview;
    if (!p || !p.columns) return;
    this.targetInfo = info;
    const features = new Set(info?.features ?? []);
    this.columns.replaceChildren(el('table', { class: 'columns', 'data-testid': 'preview-columns' }, [
      el('thead', {}, [el('tr', {}, ['feature', 'column', 'type', 'missing', 'values', 'warnings'].map((h) => el('th', {}, [h])))]),
      el('tbody', {}, p.columns.map((/** @type {any} */ c) => {
        const box = el('input', { type: 'checkbox', name: 'feature', value: c.name, 'aria-label': `use ${c.name} as a feature` });
        const isTarget = c.name === this.target.value;
        /** @type {HTMLInputElement} */ (box).checked = features.has(c.name);
        /** @type {HTMLInputElement} */ (box).disabled = isTarget || c.kind === 'empty' || c.kind === 'text';
        const values = c.kind === 'numeric'
          ? `${fmt(c.min)} – ${fmt(c.max)}, mean ${fmt(c.mean)}`
          : c.kind === 'empty' ? '' : `${c.manyDistinct ? 'many' : c.distinct} distinct: ${c.top.slice(0, 3).map((/** @type {[string, number]} */ [v, n]) => `${v} (${n})`).join(', ')}`;
        return el('tr', { 'data-column': c.name, 'data-kind': c.kind, ...(isTarget ? { class: 'target' } : {}) }, [
          el('td', {}, [box]), el('td', {}, [c.name]), el('td', {}, [isTarget ? `${c.kind} (target)` : c.kind]),
          el('td', {}, [String(c.missing)]), el('td', {}, [values]), el('td', { class: 'warning' }, [c.warnings.join('; ')]),
        ]);
      })),
    ]));
    const items = [...(p.warnings ?? []), ...(info?.warnings ?? [])];
    if (error) items.unshift(error);
    this.warnings.replaceChildren(...items.map((w) => el('li', {}, [w])));
    this.warnings.dataset.error = error ? 'true' : 'false';
    this.useButton.disabled = Boolean(error) || !info;
    this.textButton.disabled = Boolean(error) || !info || info.task !== 'classification';
    if (!info) {
      this.balance.replaceChildren();
      return;
    }
    if (this.task.value === 'auto') this.task.dataset.inferred = info.task;
    const total = info.classes.reduce((/** @type {number} */ s, /** @type {[string, number]} */ [, n]) => s + n, 0);
    this.balance.replaceChildren(...(info.task === 'classification'
      ? [el('p', { class: 'note' }, [`${info.task}: ${info.classes.length} classes`]),
        ...info.classes.map((/** @type {[string, number]} */ [name, n]) => el('div', { class: 'balance-row' }, [
          el('span', {}, [name]),
          el('span', { class: 'bar', style: `width: ${Math.max(1, Math.round((100 * n) / Math.max(1, total)))}%` }),
          el('span', {}, [`${n}`]),
        ]))]
      : [el('p', { class: 'note' }, [`regression; ${info.missing} rows without a target are left out`])]));
  }
}
