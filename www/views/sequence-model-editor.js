// @ts-check
//! The transformer: d_model, heads, layers (1–4), MLP ratio, dropout, positional encoding, and
//! the causal mask (shown on and locked for the text task, where the core forces it).

import { SettingsForm } from './settings-form.js';

export class SequenceModelEditor extends SettingsForm {
  /** @param {HTMLElement} container */
  constructor(container) {
    super(container, 'model');
    const $ = (/** @type {string} */ sel) => /** @type {HTMLElement} */ (container.querySelector(sel));
    this.causal = /** @type {HTMLInputElement} */ ($('#seq-causal'));
    this.causalNote = $('#seq-causal-note');
    this.description = $('#seq-model-description');
    this.parameters = $('#seq-parameter-count');
    /** @type {Record<string, any> | null} */ this.settings = null;
    /** @type {any} */ this.data = null;
  }

  /** @param {any} event */
  update(event) {
    super.update(event);
    switch (event.type) {
      case 'settings':
        this.settings = event.settings;
        this.lockCausal(event.settings.data.task === 'text');
        this.describe();
        break;
      case 'sequenceData':
        this.data = event;
        this.describe();
        break;
      case 'session':
        this.parameters.textContent = event.parameters === null ? '' : `${event.parameters.toLocaleString('en')} parameters`;
        break;
    }
  }

  /** @param {boolean} forced */
  lockCausal(forced) {
    if (forced) this.causal.checked = true;
    this.causal.disabled = forced;
    this.causalNote.hidden = !forced;
  }

  /** The model's shape in one line: tokens in, blocks, what comes out. */
  describe() {
    const m = this.settings?.model;
    if (!m) return;
    const d = this.data;
    const length = d?.length ?? this.settings?.data?.length ?? '?';
    const out = !d ? 'output'
      : d.task === 'classification' ? `pooled → ${d.outputVocab.length} labels`
      : `→ ${d.outputVocab.length} ${d.task === 'lm' ? 'characters' : 'symbols'} per position`;
    const causal = m.causal || this.settings?.data?.task === 'text' ? ', causal' : '';
    this.description.textContent =
      `${length} tokens → embedding (${m.dModel}) + ${m.positional} positions → ` +
      `${m.layers} × [attention (${m.heads} head${m.heads === 1 ? '' : 's'}${causal}) + MLP (${m.mlpRatio * m.dModel})] ${out}`;
  }
}
