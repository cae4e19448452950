// @ts-check
//! The model summary, as Keras's `model.summary()`: a table of each layer (its module's name and
//! type), its output shape and its parameter count, then the totals, from the `summary` of the
//! `session` event (so it follows every new model: settings, a link, a file, a reset). The
//! table carries data-total and data-trainable, and each row data-name and data-parameters.

import { onLanguageChange, t, has } from '../i18n.js';

export class ModelSummary {
  /** @param {HTMLElement} container */
  constructor(container) {
    /** @type {HTMLTableElement} */
    this.table = /** @type {any} */ (container.querySelector('#model-summary'));
    /** @type {import('../protocol.js').ModelSummary | null} */ this.summary = null;
    onLanguageChange(() => this.render());
    this.reset();
  }

  reset() {
    this.summary = null;
    this.render();
  }

  /** @param {any} event */
  update(event) {
    if (event.type !== 'session') return;
    this.summary = event.summary ?? null;
    this.render();
  }

  render() {
    const table = this.table;
    table.replaceChildren();
    const summary = this.summary;
    table.dataset.total = summary ? String(summary.total) : '';
    table.dataset.trainable = summary ? String(summary.trainable) : '';
    if (!summary) return;
    const head = table.createTHead().insertRow();
    for (const key of ['summary.layer', 'summary.shape', 'summary.parameters']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = t(key);
      head.append(th);
    }
    const body = table.createTBody();
    for (const layer of summary.layers) {
      const row = body.insertRow();
      row.dataset.name = layer.name;
      row.dataset.parameters = String(layer.parameters);
      const name = row.insertCell();
      const code = document.createElement('code');
      code.textContent = layer.name;
      name.append(code, ` (${kindText(layer.kind)})`);
      row.insertCell().textContent = shapeText(layer.outputShape);
      const count = row.insertCell();
      count.className = 'count';
      count.textContent = t('summary.count', { count: layer.parameters });
    }
    const foot = table.createTFoot();
    for (const [key, count] of /** @type {const} */ ([['summary.total', summary.total], ['summary.trainable', summary.trainable]])) {
      const cell = foot.insertRow().insertCell();
      cell.colSpan = 3;
      cell.textContent = t(key, { count });
    }
  }
}

/** A layer's type in the page's language: code names (Linear, ReLU) stay where it has none. @param {string} kind */
function kindText(kind) {
  const key = `summary.kind.${kind}`;
  return has(key) ? t(key) : kind;
}

/** `(None, 12, 64)`, as Keras writes a shape; the batch as the language writes it. @param {(number | null)[]} shape */
export function shapeText(shape) {
  return `(${shape.map((d) => (d === null ? t('summary.batch') : t('summary.count', { count: d }))).join(', ')})`;
}
