// @ts-check
//! The sequence task and its data: task, symbols, length, shift (copy with shift only),
//! sequences, test fraction, seed; below, what the data holds (vocabularies, split sizes) and, for
//! the text task, the start of the text.

import { SettingsForm } from './settings-form.js';
import { has, onLanguageChange, t } from '../i18n.js';

export class SequencePanel extends SettingsForm {
  /** @param {HTMLElement} container */
  constructor(container) {
    super(container, 'data');
    const $ = (/** @type {string} */ sel) => /** @type {HTMLElement} */ (container.querySelector(sel));
    this.task = /** @type {HTMLSelectElement} */ ($('#seq-task'));
    this.symbols = $('#seq-symbols-label');
    this.shift = $('#seq-shift-label');
    this.description = $('#seq-task-description');
    this.summary = $('#seq-data-summary');
    this.corpus = /** @type {HTMLDetailsElement} */ ($('#seq-corpus'));
    this.corpusText = $('#seq-corpus-text');
    this.task.addEventListener('input', () => this.showTask(this.task.value));
    /** The data described, again in another language. @type {any} */
    this.data = null;
    onLanguageChange(() => {
      this.showTask(this.task.value);
      if (this.data) this.summary.textContent = summarize(this.data);
    });
  }

  /** @param {any} event */
  update(event) {
    super.update(event);
    if (event.type === 'settings') {
      this.showTask(event.settings.data.task);
    } else if (event.type === 'sequenceData') {
      this.data = event;
      this.summary.textContent = summarize(event);
      this.summary.dataset.task = event.task;
      this.corpus.hidden = !event.text;
      this.corpusText.textContent = event.text ?? '';
    }
  }

  /** Only the fields the task uses. @param {string} task */
  showTask(task) {
    this.symbols.hidden = task === 'brackets' || task === 'text';
    this.shift.hidden = task !== 'shift';
    // What each task asks of the model, in a sentence.
    this.description.textContent = has(`seq.about.${task}`) ? t(`seq.about.${task}`) : '';
  }
}

/** "16 symbols in, 16 out · length 8 · 1,600 train / 400 test sequences". @param {any} d */
function summarize(d) {
  const sizes = { inputs: d.inputVocab.length, outputs: d.outputVocab.length, count: d.inputVocab.length };
  const vocab = t(d.task === 'lm' ? 'seq.summaryChars' : d.task === 'classification' ? 'seq.summaryLabels' : 'seq.summarySymbols', sizes);
  return t(d.task === 'lm' ? 'seq.summaryWindows' : 'seq.summarySequences', {
    vocab, length: String(d.length), train: d.train, test: d.test,
  });
}
