// @ts-check
//! The dataset settings: kind, classes (Gaussian clusters only), noise, points, test fraction, seed.

import { SettingsForm } from './settings-form.js';
import { onLanguageChange, t } from '../i18n.js';

export class DatasetPanel extends SettingsForm {
  /** @param {HTMLElement} container */
  constructor(container) {
    super(container, 'data');
    this.classes = /** @type {HTMLInputElement} */ (this.form.querySelector('[name="classes"]'));
    this.kind = /** @type {HTMLSelectElement} */ (this.form.querySelector('[name="kind"]'));
    this.kind.addEventListener('input', () => this.showClasses(this.kind.value));
    onLanguageChange(() => this.showClasses(this.kind.value));
  }

  /** @param {any} event */
  update(event) {
    super.update(event);
    if (event.type === 'settings') {
      this.showClasses(event.settings.data.kind);
    } else if (event.type === 'dataset' && this.kind.value !== 'gaussian') {
      // Other kinds fix their class count; show the one the dataset has (none for regression).
      this.classes.value = event.task === 'classification' ? String(event.classes) : '';
    }
  }

  /** @param {string} kind */
  showClasses(kind) {
    this.classes.disabled = kind !== 'gaussian';
    this.classes.title = kind === 'gaussian' ? '' : t('data.onlyGaussian');
  }
}
