// @ts-check
//! The network: the input features of a built-in point (TF Playground's x, y, x², y², xy,
//! sin πx, sin πy, each a toggle), 0–6 hidden layers, each with units, activation and dropout;
//! the weight init. A table's inputs are its columns; the output (softmax over the classes, or
//! one linear value) follows the data.

import { onLanguageChange, t } from '../i18n.js';

export const MAX_LAYERS = 6;
const ACTIVATIONS = ['relu', 'leakyRelu', 'prelu', 'gelu', 'tanh', 'sigmoid', 'linear'];
const NEW_LAYER = { units: 8, activation: 'relu', dropout: 0 };

export class NetworkEditor {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.onEdit = (/** @type {(s: Record<string, any>) => void} */ _edit) => {};
    const $ = (/** @type {string} */ sel) => /** @type {HTMLElement} */ (container.querySelector(sel));
    this.list = $('#layers');
    this.count = $('#layer-count');
    this.add = /** @type {HTMLButtonElement} */ ($('#add-layer'));
    this.remove = /** @type {HTMLButtonElement} */ ($('#remove-layer'));
    this.init = /** @type {HTMLSelectElement} */ ($('#model-init'));
    this.output = $('#output-description');
    this.input = $('#input-description');
    this.parameters = $('#parameter-count');
    this.features = /** @type {HTMLFieldSetElement} */ ($('#input-features'));
    /** The input features in force (settings' model.features). @type {Record<string, boolean>} */
    this.chosen = {};
    /** @type {any[]} */
    this.layers = [];
    /** The events the descriptions were written from, to write them again in another language. */
    /** @type {any} */ this.session = null;
    /** @type {any} */ this.data = null;
    onLanguageChange(() => {
      this.list.replaceChildren();
      this.render(true);
      this.describe();
    });

    this.add.addEventListener('click', () => this.onEdit((s) => {
      const hidden = s.model.hidden;
      if (hidden.length < MAX_LAYERS) hidden.push({ ...(hidden.at(-1) ?? NEW_LAYER) });
    }));
    this.remove.addEventListener('click', () => this.onEdit((s) => { s.model.hidden.pop(); }));
    this.init.addEventListener('change', () => this.onEdit((s) => { s.model.init = this.init.value; }));
    this.list.addEventListener('change', (e) => this.layerChanged(/** @type {HTMLElement} */ (e.target)));
    this.features.addEventListener('change', (e) => {
      const box = /** @type {HTMLInputElement} */ (e.target);
      this.onEdit((s) => { s.model.features = { ...s.model.features, [box.name]: box.checked }; });
    });
    this.describe();
    this.reset();
  }

  reset() {
    for (const el of [this.add, this.remove, this.init]) el.disabled = true;
    this.features.disabled = true;
  }

  /** @param {any} event */
  update(event) {
    if (event.type === 'settings') {
      this.layers = event.settings.model.hidden;
      this.init.disabled = false;
      this.init.value = event.settings.model.init;
      this.chosen = event.settings.model.features ?? {};
      this.showFeatures();
      this.render(event.force);
      this.describe();
    } else if (event.type === 'session') {
      this.session = event;
      this.describe();
    } else if (event.type === 'tableData' || (event.type === 'dataset' && !event.fromTable)) {
      this.data = event;
      this.describe();
    }
  }

  /** The parameter count, the input and the output, from the events that said them. */
  describe() {
    const { session, data } = this;
    if (session) this.parameters.textContent = session.parameters === null ? '' : t('network.parameters', { count: session.parameters });
    this.features.hidden = data?.type === 'tableData';
    if (!data) {
      this.input.textContent = t('network.inputFeatures', { features: this.labels().join(', '), count: this.labels().length });
      this.output.textContent = t('network.output');
    } else if (data.type === 'tableData') {
      // A table's inputs: its numeric columns and one-hot categories (views/table-preview.js).
      this.input.textContent = t('network.inputTable', { count: data.inputs.length, file: data.file });
      this.input.title = data.inputs.join(', ');
      this.output.textContent = data.task === 'regression'
        ? t('network.outputTableRegression', { target: data.target })
        : t('network.outputTableClasses', { count: data.classes.length, target: data.target });
    } else {
      this.input.textContent = t('network.inputFeatures', { features: this.labels().join(', '), count: this.labels().length });
      this.input.title = '';
      this.output.textContent = data.task === 'regression'
        ? t('network.outputRegression')
        : t('network.outputClasses', { count: data.classes });
    }
  }

  /** The chosen features' labels, in TF Playground's order (the boxes' order). */
  labels() {
    return [...this.features.querySelectorAll('input')]
      .filter((box) => this.chosen[box.name])
      .map((box) => box.parentElement?.textContent?.trim() ?? box.name);
  }

  /** The boxes as the settings in force say; the last box ticked cannot be unticked. */
  showFeatures() {
    this.features.disabled = false;
    const boxes = [...this.features.querySelectorAll('input')];
    const ticked = boxes.filter((box) => this.chosen[box.name]).length;
    for (const box of boxes) {
      box.checked = Boolean(this.chosen[box.name]);
      box.disabled = box.checked && ticked === 1;
      box.title = box.disabled ? t('network.lastFeature') : '';
    }
  }

  /** @param {boolean} force */
  render(force) {
    const n = this.layers.length;
    this.count.textContent = String(n);
    const focused = document.activeElement;
    this.add.disabled = n >= MAX_LAYERS;
    this.remove.disabled = n === 0;
    // A button that has just disabled itself (at 0 or MAX_LAYERS) would drop a keyboard user's
    // focus onto the page: it moves to the other button.
    if (focused === this.add && this.add.disabled) this.remove.focus();
    if (focused === this.remove && this.remove.disabled) this.add.focus();
    if (this.list.children.length !== n) {
      this.list.replaceChildren(...this.layers.map((_, i) => layerRow(i)));
      force = true;
    }
    this.layers.forEach((layer, i) => {
      const row = /** @type {HTMLElement} */ (this.list.children[i]);
      for (const key of ['units', 'activation', 'dropout']) {
        const input = /** @type {HTMLInputElement} */ (row.querySelector(`[name="${key}"]`));
        if (force || document.activeElement !== input) input.value = String(layer[key]);
      }
    });
  }

  /** @param {HTMLElement} target */
  layerChanged(target) {
    const input = /** @type {HTMLInputElement} */ (target);
    const index = Number(input.closest('li')?.dataset.index);
    let value = input.name === 'activation' ? input.value : Number(input.value);
    if (typeof value === 'number' && (input.value.trim() === '' || !Number.isFinite(value))) return;
    this.onEdit((s) => { s.model.hidden[index][input.name] = value; });
  }
}

/** @param {number} i */
function layerRow(i) {
  const li = document.createElement('li');
  li.className = 'layer';
  li.dataset.index = String(i);
  li.dataset.testid = `layer-${i}`;
  li.innerHTML = `
    <span class="index">${i + 1}</span>
    <label>${t('network.units')} <input name="units" type="number" min="1" max="256" step="1"></label>
    <label>${t('network.activation')} <select name="activation">${
      ACTIVATIONS.map((a) => `<option value="${a}">${t(`activation.${a}`)}</option>`).join('')}</select></label>
    <label>${t('network.dropout')} <input name="dropout" type="number" min="0" max="0.95" step="0.05"></label>`;
  for (const el of li.querySelectorAll('[name]')) {
    const name = /** @type {HTMLInputElement} */ (el).name;
    el.id = `layer-${i}-${name}`;
    el.setAttribute('data-testid', `layer-${i}-${name}`);
  }
  return li;
}
