// @ts-check
//! The playground's mode: an MLP on 2-D points, or self-attention on sequences. The page shows
//! the views of the mode in force (`body[data-mode]`, see style.css) once the worker accepts it.

import { onLanguageChange, t } from '../i18n.js';

export class ModeSwitch {
  /** @param {HTMLElement} container */
  constructor(container) {
    /** Called with the mode the user picked. */
    this.onSwitch = (/** @type {import('../protocol.js').Mode} */ _mode) => {};
    this.select = /** @type {HTMLSelectElement} */ (container.querySelector('#mode-choice'));
    this.sequences = /** @type {HTMLOptionElement} */ (this.select.querySelector('option[value="sequences"]'));
    this.select.addEventListener('change', () => {
      this.onSwitch(/** @type {import('../protocol.js').Mode} */ (this.select.value));
    });
    onLanguageChange(() => { if (this.sequences.title) this.sequences.title = t('mode.noSequences'); });
    this.reset();
  }

  reset() {
    this.select.disabled = true;
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'ready':
        this.sequences.disabled = !event.sequenceDefaults;
        this.sequences.title = event.sequenceDefaults ? '' : t('mode.noSequences');
        break;
      case 'session':
        this.select.disabled = false;
        break;
      case 'mode':
        // The mode in force: after a switch, or again after a refused one.
        this.select.value = event.mode;
        document.body.dataset.mode = event.mode;
        break;
    }
  }
}
