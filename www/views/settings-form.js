// @ts-check
//! What every settings panel shares: its form, bound to one section of Settings (www/fields.js),
//! locked until the worker sends settings, then enabled and filled from each `settings` event.
//! A panel extends it with what is its own; its `update` calls `super.update(event)` first.

import { bindFields } from '../fields.js';

export class SettingsForm {
  /**
   * @param {HTMLElement} container holds the panel's form
   * @param {string} section the part of Settings the form edits: `data`, `model`, `train`
   */
  constructor(container, section) {
    /** Called with an edit of the settings when the user commits a change. */
    this.onEdit = (/** @type {(s: Record<string, any>) => void} */ _edit) => {};
    this.form = /** @type {HTMLFormElement} */ (container.querySelector('form'));
    this.fill = bindFields(this.form, section, (edit) => this.onEdit(edit));
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
  }
}
