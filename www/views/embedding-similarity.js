// @ts-check
//! The cosine similarity of every pair of a transformer's token embeddings, as a matrix of the
//! vocabulary by itself (the `embeddingSimilarity` event, made beside each projection frame, so
//! at its rate): blue where two tokens' vectors point the same way, white where they are
//! orthogonal, orange where opposite; ones on the diagonal. Hover a cell for its pair and value.
//! A row's token (a button) sorts rows and columns by their similarity to it, most similar
//! first; again, back to the vocabulary's order. `#similarity-matrix` carries data-step,
//! data-count, data-sort-by (a token index, or empty) and data-order (the tokens' indices shown).

import { display } from '../heatmap.js';
import { onLanguageChange, t } from '../i18n.js';
import { dark, formatNumber, signedColour } from './attention-steps-draw.js';

/** Up to this many tokens, each cell writes its number. */
const NUMBERED = 16;

export class EmbeddingSimilarity {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.box = /** @type {HTMLElement} */ (container.querySelector('#embedding-similarity'));
    this.table = /** @type {HTMLTableElement} */ (container.querySelector('#similarity-matrix'));
    this.orderNote = /** @type {HTMLElement} */ (container.querySelector('#similarity-order'));
    /** @type {number | null} the token the rows are sorted by */ this.sortBy = null;
    /** @type {import('../protocol.js').EmbeddingSimilarityEvent | null} */ this.event = null;
    this.table.addEventListener('click', (e) => {
      const button = /** @type {HTMLElement} */ (e.target).closest('button');
      if (!button) return;
      const j = Number(button.dataset.token);
      this.sortBy = this.sortBy === j ? null : j;
      this.render();
      /** @type {HTMLElement | null} */ (this.table.querySelector(`button[data-token="${j}"]`))?.focus();
    });
    onLanguageChange(() => this.render());
    this.reset();
  }

  reset() {
    this.event = null;
    this.sortBy = null;
    this.box.hidden = true;
    this.table.replaceChildren();
  }

  /** @param {any} event */
  update(event) {
    if (event.type === 'session') this.reset();
    if (event.type !== 'embeddingSimilarity') return;
    if (this.event && this.event.count !== event.count) this.sortBy = null;
    this.event = event;
    this.render();
  }

  /** The tokens' indices in the order shown. @returns {number[]} */
  order() {
    const e = /** @type {import('../protocol.js').EmbeddingSimilarityEvent} */ (this.event);
    const all = [...Array(e.count).keys()];
    const by = this.sortBy;
    if (by === null) return all;
    return all.sort((a, b) => e.values[by * e.count + b] - e.values[by * e.count + a] || a - b);
  }

  render() {
    const e = this.event;
    if (!e) return;
    this.box.hidden = false;
    const n = e.count;
    const order = this.order();
    const token = (/** @type {number} */ i) => `'${display(e.tokens[i])}'`;
    Object.assign(this.table.dataset, {
      step: String(e.step), count: String(n), sortBy: this.sortBy === null ? '' : String(this.sortBy), order: order.join(','),
    });
    this.orderNote.textContent = this.sortBy === null ? t('similarity.vocabularyOrder')
      : t('similarity.sortedBy', { token: token(this.sortBy) });
    const head = document.createElement('tr');
    head.append(document.createElement('td'));
    for (const j of order) {
      const th = document.createElement('th');
      th.scope = 'col';
      const code = document.createElement('code');
      code.textContent = display(e.tokens[j]);
      th.append(code);
      head.append(th);
    }
    const rows = order.map((i) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.token = String(i);
      button.textContent = display(e.tokens[i]);
      button.setAttribute('aria-pressed', String(this.sortBy === i));
      button.title = t('similarity.sort', { token: token(i) });
      th.append(button);
      tr.append(th);
      for (const j of order) {
        const v = e.values[i * n + j];
        const td = document.createElement('td');
        const colour = signedColour(v, 1);
        td.style.background = colour;
        td.style.color = dark(colour) ? '#fff' : '#000';
        td.title = t('similarity.cell', { a: token(i), b: token(j), value: formatNumber(v) });
        td.dataset.value = String(v);
        td.dataset.pair = `${i},${j}`;
        if (n <= NUMBERED) td.textContent = v.toFixed(2);
        tr.append(td);
      }
      return tr;
    });
    this.table.replaceChildren(head, ...rows);
  }
}
