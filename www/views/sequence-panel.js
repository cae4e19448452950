// @ts-check
//! The sequence task and its data: task, symbols, length, shift (copy with shift only),
//! sequences, test fraction, seed; below, what the data holds (vocabularies, split sizes) and, for
//! the text task, the start of the text.

import { SettingsForm } from './settings-form.js';

/** What each task asks of the model, in a sentence. */
const TASKS = /** @type {Record<string, string>} */ ({
  reverse: 'Output the input backwards.',
  sort: 'Output the input symbols in ascending order.',
  shift: 'Output the input rotated right by the shift: output[i] = input[i − shift].',
  count: 'At each position, output how often that symbol has occurred so far.',
  brackets: 'Say whether a string of brackets is balanced: one label for the whole sequence.',
  text: 'Predict each next character of a text (a character-level language model).',
});

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
  }

  /** @param {any} event */
  update(event) {
    super.update(event);
    if (event.type === 'settings') {
      this.showTask(event.settings.data.task);
    } else if (event.type === 'sequenceData') {
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
    this.description.textContent = TASKS[task] ?? '';
  }
}

/** "16 symbols in, 16 out · length 8 · 1,600 train / 400 test sequences". @param {any} d */
function summarize(d) {
  const n = (/** @type {number} */ x) => x.toLocaleString('en');
  const vocab = d.task === 'lm'
    ? `${d.inputVocab.length} characters`
    : d.task === 'classification'
      ? `${d.inputVocab.length} symbols in, ${d.outputVocab.length} labels out`
      : `${d.inputVocab.length} symbols in, ${d.outputVocab.length} out`;
  const unit = d.task === 'lm' ? 'windows' : 'sequences';
  return `${vocab} · length ${d.length} · ${n(d.train)} train / ${n(d.test)} test ${unit}`;
}
