// @ts-check
//! The transformer: d_model, heads, layers (1–4), MLP ratio, dropout, positional encoding, and
//! the causal mask (shown on and locked for the text task, where the core forces it).

import { SettingsForm } from './settings-form.js';
import { onLanguageChange, t } from '../i18n.js';

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
    /** @type {number | null} */ this.parameterCount = null;
    onLanguageChange(() => {
      this.describe();
      this.showParameters();
    });
  }

  showParameters() {
    this.parameters.textContent = this.parameterCount === null ? '' : t('network.parameters', { count: this.parameterCount });
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
        this.parameterCount = event.parameters;
        this.showParameters();
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
    const out = !d ? t('transformer.out')
      : d.task === 'classification' ? t('transformer.outPooled', { count: d.outputVocab.length })
      : t(d.task === 'lm' ? 'transformer.outChars' : 'transformer.outSymbols', { count: d.outputVocab.length });
    const causal = m.causal || this.settings?.data?.task === 'text' ? t('transformer.causalShort') : '';
    this.description.textContent = t('transformer.description', {
      length: String(length), dModel: String(m.dModel), positional: t(`transformer.${m.positional}`),
      layers: String(m.layers), heads: t('transformer.headCount', { count: m.heads }), causal,
      mlp: String(m.mlpRatio * m.dModel), out,
    });
  }
}
