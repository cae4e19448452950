// @ts-check
//! The optimiser settings: optimizer, learning rate, momentum (SGD only), batch size, weight
//! decay, train seed, and how often to evaluate.

import { bindFields } from '../fields.js';

export class TrainingSettings {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.onEdit = (/** @type {(s: Record<string, any>) => void} */ _edit) => {};
    const form = /** @type {HTMLFormElement} */ (container.querySelector('form'));
    this.form = form;
    this.fill = bindFields(form, 'train', (edit) => this.onEdit(edit));
    this.optimizer = /** @type {HTMLSelectElement} */ (form.querySelector('[name="optimizer"]'));
    this.momentum = /** @type {HTMLElement} */ (container.querySelector('#train-momentum-label'));
    this.optimizer.addEventListener('input', () => this.showMomentum(this.optimizer.value));
    this.reset();
  }

  reset() {
    for (const el of this.form.elements) /** @type {HTMLInputElement} */ (el).disabled = true;
  }

  /** @param {any} event */
  update(event) {
    if (event.type !== 'settings') return;
    for (const el of this.form.elements) /** @type {HTMLInputElement} */ (el).disabled = false;
    this.fill(event.settings, event.force);
    this.showMomentum(event.settings.train.optimizer);
  }

  /** @param {string} optimizer */
  showMomentum(optimizer) {
    this.momentum.hidden = optimizer !== 'sgd';
  }
}
