// @ts-check
//! Your own data, before anything trains: the first rows, per column its type, missing values,
//! statistics and warnings; the target (and task) with its class balance; which columns are
//! features; how missing values are handled; the split. "Train on this data" sends the choices
//! to the worker (TableChoices, docs/wasm-api.md). Every text from the file is set with
//! textContent, never as HTML.

import { el } from '../element.js';
import { errorText, has, onLanguageChange, t } from '../i18n.js';

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
    /** @type {HTMLSelectElement} */ this.decimal = /** @type {any} */ (el('select', {
      id: 'table-decimal', 'data-testid': 'table-decimal', 'data-i18n-aria-label': 'table.decimalMark',
    }, [
      el('option', { value: 'point', 'data-i18n': 'table.decimalPointOption' }),
      el('option', { value: 'comma', 'data-i18n': 'table.decimalCommaOption' }),
    ]));
    /** The file previewed (its filePreview event) and the target's error, worded again in another language. */
    /** @type {any} */ this.file = null;
    /** @type {import('../protocol.js').ErrorDetail | null} */ this.targetError = null;
    onLanguageChange(() => {
      translateOptions(this.decimal);
      if (!this.file) return;
      this.showSummary(this.file);
      if (this.preview?.columns) {
        this.showFormat(this.preview);
        this.showTarget(this.targetInfo, this.targetError);
      }
    });
    translateOptions(this.decimal);
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
        if (event.command === 'describeTarget') this.showTarget(null, event);
        break;
    }
  }

  /** @param {any} event a filePreview event */
  showFile(event) {
    const p = event.preview;
    this.preview = p;
    this.file = event;
    this.container.hidden = false;
    this.container.dataset.kind = event.kind;
    this.container.dataset.file = event.name;
    if (event.kind !== 'table') {
      this.format.replaceChildren();
      this.showSummary(event);
      this.rows.replaceChildren(el('pre', { class: 'text-sample' }, [p.sample]));
      this.columns.replaceChildren();
      this.tableOnly.hidden = true;
      this.useButton.disabled = false;
      return;
    }
    this.tableOnly.hidden = false;
    this.showSummary(event);
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

  /** What the file holds in a sentence, and the button's words. @param {any} event a filePreview event */
  showSummary(event) {
    const p = event.preview;
    if (event.kind !== 'table') {
      this.summary.textContent = t('table.textSummary', { name: event.name, chars: String(p.chars), lines: String(p.lines), distinct: String(p.distinct) });
      this.useButton.textContent = t('table.useChars');
      return;
    }
    this.useButton.textContent = t('table.use');
    const header = t(p.hasHeader ? 'table.header' : 'table.noHeader');
    this.summary.textContent = t('table.summary', {
      name: event.name, rows: String(p.rows), columns: String(p.columns.length), header, duplicates: String(p.duplicateRows),
    });
  }

  /** The delimiter and the decimal mark the table was read with; JSON Lines has neither. @param {any} p */
  showFormat(p) {
    this.container.dataset.decimal = p.decimal;
    if (!p.delimiter) {
      this.format.replaceChildren(t('table.jsonLines'));
      return;
    }
    const names = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };
    const name = names[/** @type {keyof typeof names} */ (p.delimiter)];
    const delimiter = name ? t(`table.delimiter.${name}`) : `'${p.delimiter}'`;
    this.decimal.value = p.decimal;
    this.format.replaceChildren(t('table.format', { delimiter }),
      el('span', { 'data-testid': 'decimal-mark' }, [t(p.decimal === 'comma' ? 'table.decimalComma' : 'table.decimalPoint')]), ' ', this.decimal);
  }

  /**
   * @param {any} info TargetSummary or null
   * @param {import('../protocol.js').ErrorDetail | null} detail why the target cannot be used
   */
  showTarget(info, detail) {
    const p = this.preview;
    if (!p || !p.columns) return;
    this.targetInfo = info;
    this.targetError = detail;
    const error = detail ? errorText(detail) : null;
    const features = new Set(info?.features ?? []);
    this.columns.replaceChildren(el('table', { class: 'columns', 'data-testid': 'preview-columns' }, [
      el('thead', {}, [el('tr', {}, ['feature', 'column', 'type', 'missing', 'values', 'warnings'].map((h) => el('th', {}, [t(`table.head.${h}`)])))]),
      el('tbody', {}, p.columns.map((/** @type {any} */ c) => {
        const box = el('input', { type: 'checkbox', name: 'feature', value: c.name, 'aria-label': t('table.useFeature', { name: c.name }) });
        const isTarget = c.name === this.target.value;
        /** @type {HTMLInputElement} */ (box).checked = features.has(c.name);
        /** @type {HTMLInputElement} */ (box).disabled = isTarget || c.kind === 'empty' || c.kind === 'text';
        const values = c.kind === 'numeric'
          ? t('table.numericValues', { min: fmt(c.min), max: fmt(c.max), mean: fmt(c.mean) })
          : c.kind === 'empty' ? '' : t('table.distinctValues', {
            distinct: c.manyDistinct ? t('table.many') : String(c.distinct),
            top: c.top.slice(0, 3).map((/** @type {[string, number]} */ [v, n]) => `${v} (${n})`).join(t('list.separator')),
          });
        const kind = has(`table.kind.${c.kind}`) ? t(`table.kind.${c.kind}`) : c.kind;
        return el('tr', { 'data-column': c.name, 'data-kind': c.kind, ...(isTarget ? { class: 'target' } : {}) }, [
          el('td', {}, [box]), el('td', {}, [c.name]), el('td', {}, [isTarget ? t('table.kindTarget', { kind }) : kind]),
          el('td', {}, [String(c.missing)]), el('td', {}, [values]), el('td', { class: 'warning' }, [c.warnings.map(errorText).join(t('list.separator'))]),
        ]);
      })),
    ]));
    const items = [...(p.warnings ?? []), ...(info?.warnings ?? [])].map(errorText);
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
      ? [el('p', { class: 'note' }, [t('table.classes', { count: info.classes.length })]),
        ...info.classes.map((/** @type {[string, number]} */ [name, n]) => el('div', { class: 'balance-row' }, [
          el('span', {}, [name]),
          el('span', { class: 'bar', style: `width: ${Math.max(1, Math.round((100 * n) / Math.max(1, total)))}%` }),
          el('span', {}, [`${n}`]),
        ]))]
      : [el('p', { class: 'note' }, [t('table.regressionNote', { count: info.missing })])]));
  }
}

/** The words of a select's options that carry `data-i18n` (built here, not in the markup). @param {HTMLSelectElement} select */
function translateOptions(select) {
  for (const option of select.options) option.textContent = t(option.dataset.i18n ?? '');
  select.setAttribute('aria-label', t(select.dataset.i18nAriaLabel ?? ''));
}
