// @ts-check
//! The dataset settings: kind, classes (Gaussian clusters only), noise, points, test fraction, seed.

import { bindFields } from '../fields.js';

export class DatasetPanel {
  /** @param {HTMLElement} container */
  constructor(container) {
    /** Called with an edit of the settings when the user commits a change. */
    this.onEdit = (/** @type {(s: Record<string, any>) => void} */ _edit) => {};
    const form = /** @type {HTMLFormElement} */ (container.querySelector('form'));
    this.form = form;
    this.fill = bindFields(form, 'data', (edit) => this.onEdit(edit));
    this.classes = /** @type {HTMLInputElement} */ (form.querySelector('[name="classes"]'));
    this.kind = /** @type {HTMLSelectElement} */ (form.querySelector('[name="kind"]'));
    this.kind.addEventListener('input', () => this.showClasses(this.kind.value));
    this.reset();
  }

  reset() {
    for (const el of this.form.elements) /** @type {HTMLInputElement} */ (el).disabled = true;
  }

  /** @param {any} event */
  update(event) {
    if (event.type === 'settings') {
      for (const el of this.form.elements) /** @type {HTMLInputElement} */ (el).disabled = false;
      this.fill(event.settings, event.force);
      this.showClasses(event.settings.data.kind);
    } else if (event.type === 'dataset' && this.kind.value !== 'gaussian') {
      // Other kinds fix their class count; show the one the dataset has (none for regression).
      this.classes.value = event.task === 'classification' ? String(event.classes) : '';
    }
  }

  /** @param {string} kind */
  showClasses(kind) {
    this.classes.disabled = kind !== 'gaussian';
    this.classes.title = kind === 'gaussian' ? '' : 'Only Gaussian clusters have a choice of classes';
  }
}
