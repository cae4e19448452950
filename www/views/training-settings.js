// @ts-check
//! The optimiser settings: optimizer, learning rate, momentum (SGD only), batch size, weight
//! decay, train seed, and how often to evaluate.

import { SettingsForm } from './settings-form.js';

export class TrainingSettings extends SettingsForm {
  /** @param {HTMLElement} container */
  constructor(container) {
    super(container, 'train');
    this.optimizer = /** @type {HTMLSelectElement} */ (this.form.querySelector('[name="optimizer"]'));
    this.momentum = /** @type {HTMLElement} */ (container.querySelector('#train-momentum-label'));
    this.optimizer.addEventListener('input', () => this.showMomentum(this.optimizer.value));
  }

  /** @param {any} event */
  update(event) {
    super.update(event);
    if (event.type === 'settings') this.showMomentum(event.settings.train.optimizer);
  }

  /** @param {string} optimizer */
  showMomentum(optimizer) {
    this.momentum.hidden = optimizer !== 'sgd';
  }
}
