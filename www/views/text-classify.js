// @ts-check
//! A text classifier on a text the user types (issue 19, item 1, sequences mode): the worker
//! reads the text as the model read its training texts (characters, or lowercased words; the
//! training vocabulary, `<unk>` for the rest; cut or padded to its length) and answers each
//! class's probability, drawn as bars with the tokens the model read beneath. The answer follows
//! the model as it trains: one question is in flight at a time, and a newer text or a newer
//! evaluation asks again once it is answered.

import { errorText, t, onLanguageChange } from '../i18n.js';

/** How long typing rests before the text is asked about, ms. */
const TYPING_REST_MS = 120;

export class TextClassify {
  /** @param {HTMLElement} container the predictions panel */
  constructor(container) {
    const $ = (/** @type {string} */ sel) => /** @type {any} */ (container.querySelector(sel));
    /** @type {HTMLElement} */ this.box = $('#classify-box');
    /** @type {HTMLTextAreaElement} */ this.input = $('#classify-text');
    /** @type {HTMLElement} */ this.classes = $('#classify-classes');
    /** @type {HTMLElement} */ this.tokens = $('#classify-tokens');
    /** Called with a worker command ({ type: 'classifyText', text }). */
    this.onCommand = (/** @type {any} */ _command) => {};
    /** a question is in flight */
    this.asking = false;
    /** the text or the model changed since the question in flight */
    this.stale = false;
    /** @type {any} the last answer (or refusal), to word again */
    this.last = null;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.typing = undefined;
    this.input.addEventListener('input', () => {
      clearTimeout(this.typing);
      this.typing = setTimeout(() => this.ask(), TYPING_REST_MS);
    });
    onLanguageChange(() => this.describe());
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'sequenceData':
        this.box.hidden = !event.classifiesText;
        this.last = null;
        this.describe();
        break;
      case 'session': if (!event.continued) { this.last = null; this.describe(); } this.ask(); break;
      case 'eval': this.ask(); break;
      case 'textClasses': this.answered(event); break;
      case 'error': if (event.command === 'classifyText') this.answered(event); break;
    }
  }

  /** Asks about the text, or marks the answer in flight stale. */
  ask() {
    if (this.box.hidden || !this.input.value.trim()) return;
    if (this.asking) {
      this.stale = true;
      return;
    }
    this.asking = true;
    this.stale = false;
    this.onCommand({ type: 'classifyText', text: this.input.value });
  }

  /** @param {any} event a `textClasses` event, or the `error` refusing the question */
  answered(event) {
    this.asking = false;
    this.last = event;
    this.describe();
    if (this.stale) this.ask();
  }

  describe() {
    const last = this.last;
    this.classes.replaceChildren();
    this.tokens.textContent = '';
    delete this.classes.dataset.probabilities;
    if (!last || !this.input.value.trim()) return;
    if (last.type === 'error') {
      this.tokens.textContent = errorText(last);
      return;
    }
    const top = last.probabilities.indexOf(Math.max(...last.probabilities));
    last.classes.forEach((/** @type {string} */ name, /** @type {number} */ c) => {
      const p = last.probabilities[c];
      const row = document.createElement('div');
      row.className = c === top ? 'text-class top' : 'text-class';
      row.dataset.class = name;
      const label = document.createElement('span');
      label.textContent = name;
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = `${(100 * p).toFixed(1)}%`;
      const percent = document.createElement('span');
      percent.className = 'percent';
      percent.textContent = `${(100 * p).toFixed(1)}%`;
      row.setAttribute('aria-label', t('classify.class', { class: name, percent: (100 * p).toFixed(1) }));
      row.append(label, bar, percent);
      this.classes.append(row);
    });
    this.classes.dataset.probabilities = last.probabilities.join(',');
    let text = last.tokens.length ? t('classify.reads', { tokens: last.tokens.join(' · ') }) : t('classify.empty');
    if (last.unknown.length) text += t('classify.unknown', { tokens: last.unknown.join(', ') });
    if (last.cut) text += t('classify.cut', { count: last.cut, length: last.tokens.length });
    this.tokens.textContent = text;
  }
}
