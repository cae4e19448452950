// @ts-check
//! What the model says for the test example shown: the input, the target and the model's output
//! token by token, the wrong ones marked. For the text task, a prompt, a temperature and a
//! Generate button that continue the prompt with sampled characters.
//! `#predictions` carries the tokens (joined by spaces) and whether all are right in data
//! attributes, for tests and tools.

import { display } from '../heatmap.js';
import { onLanguageChange, t } from '../i18n.js';

export class Predictions {
  /** @param {HTMLElement} container */
  constructor(container) {
    /** Called with a worker command ({type: 'generate', …}). */
    this.onCommand = (/** @type {any} */ _command) => {};
    const $ = (/** @type {string} */ sel) => /** @type {any} */ (container.querySelector(sel));
    /** @type {HTMLElement} */ this.table = $('#predictions');
    /** @type {HTMLElement} */ this.summary = $('#predictions-summary');
    /** @type {HTMLElement} */ this.box = $('#generate-box');
    /** @type {HTMLTextAreaElement} */ this.prompt = $('#generate-prompt');
    /** @type {HTMLInputElement} */ this.temperature = $('#generate-temperature');
    /** @type {HTMLOutputElement} */ this.temperatureValue = $('#generate-temperature-value');
    /** @type {HTMLInputElement} */ this.length = $('#generate-length');
    /** @type {HTMLButtonElement} */ this.button = $('#generate');
    /** @type {HTMLElement} */ this.generated = $('#generated-text');
    this.task = '';
    this.hasModel = false;
    this.busy = false;
    /** The predictions shown, written again in another language. @type {any} */
    this.shown = null;
    onLanguageChange(() => {
      this.setBusy(this.busy);
      if (this.shown) this.render(this.shown);
    });

    this.temperature.addEventListener('input', () => { this.temperatureValue.textContent = this.temperature.value; });
    this.button.addEventListener('click', () => this.generate());
    this.prompt.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) this.generate();
    });
    this.setBusy(false);
    this.reset();
  }

  /** Forgets the predictions (a new model); the prompt and the last generated text stay. */
  reset() {
    this.shown = null;
    this.table.replaceChildren();
    for (const key of ['step', 'example', 'input', 'target', 'output', 'correct', 'wrong']) delete this.table.dataset[key];
    this.summary.textContent = '';
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'session':
        this.reset();
        this.hasModel = true;
        this.setBusy(false);
        break;
      case 'sequenceData':
        this.task = event.task;
        this.box.hidden = event.task !== 'lm';
        if (event.task === 'lm' && !this.prompt.value && event.text) this.prompt.value = firstWords(event.text);
        break;
      case 'predictions':
        this.render(event);
        break;
      case 'generated':
        this.showGenerated(event);
        this.setBusy(false);
        break;
      case 'error':
        if (event.command === 'generate') this.setBusy(false);
        break;
      case 'crashed':
        this.setBusy(false);
        break;
    }
  }

  generate() {
    if (this.busy || !this.hasModel) return;
    const length = Math.max(1, Math.min(1000, Math.floor(Number(this.length.value) || 200)));
    this.setBusy(true);
    this.onCommand({ type: 'generate', prompt: this.prompt.value, length, temperature: Number(this.temperature.value) });
  }

  /** @param {boolean} busy */
  setBusy(busy) {
    this.busy = busy;
    this.button.disabled = busy || !this.hasModel;
    this.button.textContent = t(busy ? 'predictions.generating' : 'predictions.generate');
  }

  /** The prompt (muted) and its continuation. @param {import('../protocol.js').GeneratedEvent} event */
  showGenerated({ prompt, text, step }) {
    this.generated.dataset.step = String(step);
    const head = document.createElement('span');
    head.className = 'prompt-part';
    head.textContent = prompt;
    const tail = document.createElement('span');
    tail.className = 'continuation';
    tail.dataset.testid = 'generated-continuation';
    tail.textContent = text;
    this.generated.replaceChildren(head, tail);
  }

  /** @param {import('../protocol.js').PredictionsEvent} p */
  render(p) {
    this.shown = p;
    const classification = p.target.length === 1 && p.input.length > 1;
    const wrong = p.output.map((t, i) => t !== p.target[i]);
    const errors = wrong.filter(Boolean).length;
    Object.assign(this.table.dataset, {
      step: String(p.step), example: String(p.example), input: p.input.join(' '), target: p.target.join(' '),
      output: p.output.join(' '), correct: String(errors === 0 && p.output.length === p.target.length),
      wrong: String(errors),
    });
    this.table.classList.toggle('classification', classification);
    this.table.replaceChildren(
      row(t('predictions.input'), p.input, 'input'), row(t('predictions.target'), p.target, 'target'),
      row(t('predictions.output'), p.output, 'output', wrong));
    const n = p.target.length;
    const at = { example: String(p.example), step: String(p.step) };
    this.summary.textContent = classification
      ? t(errors ? 'predictions.wrongLabel' : 'predictions.rightLabel', at)
      : t(this.task === 'lm' ? 'predictions.charsRight' : 'predictions.tokensRight', { ...at, right: n - errors, count: n });
  }
}

/**
 * One labelled row of token cells.
 * @param {string} name @param {string[]} tokens @param {string} kind @param {boolean[]} [wrong]
 */
function row(name, tokens, kind, wrong) {
  const div = document.createElement('div');
  div.className = `token-row ${kind}`;
  div.dataset.testid = `prediction-${kind}`;
  const head = document.createElement('span');
  head.className = 'row-label';
  head.textContent = name;
  div.append(head);
  const tokenRow = document.createElement('span');
  tokenRow.className = 'tokens';
  tokens.forEach((token, i) => {
    const cell = document.createElement('span');
    cell.className = 'token';
    cell.textContent = display(token);
    cell.title = t(wrong?.[i] ? 'predictions.positionWrong' : 'predictions.position', { position: String(i), token: display(token) });
    if (wrong?.[i]) cell.classList.add('wrong');
    tokenRow.append(cell);
  });
  div.append(tokenRow);
  return div;
}

/** A prompt to start from: the text's first few words. @param {string} text */
function firstWords(text) {
  const words = text.trim().split(/\s+/).slice(0, 4).join(' ');
  return words.length > 40 ? words.slice(0, 40) : words;
}
