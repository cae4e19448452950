// @ts-check
//! One head, one query, every step of softmax(Q Kᵀ / √d_k + mask) V on the model being trained
//! (the `attentionSteps` event: that head's Q, K and V read back once, every other step derived
//! from them in the core): the query vector, every key, the scores, the scaled scores, the
//! mask, the softmax weights (the grid's row, checked against it), every value and the output
//! Σ w·v; below them the residual stream's length at the query, block by block. Each step has a
//! few sentences for a learner. Closed by default; while it is open the worker sends its head
//! with every `attention` event, and nothing while it is closed. A click on a cell of the grid
//! opens it at that layer, head and query (`openAt`). `#attention-steps` carries what it shows
//! in data attributes (layer, head, query, step, example, causal, gridDifference, checksum, readbackBytes).

import { checksum, display } from '../heatmap.js';
import { onLanguageChange, t } from '../i18n.js';
import { formatNumber, largest, matrix, moveInGroup, signedColour, strip, weightColour } from './attention-steps-draw.js';

export class AttentionSteps {
  /** @param {HTMLElement} container */
  constructor(container) {
    /** Called with a worker command ({type: 'attentionSteps', open, layer, head}). */
    this.onCommand = (/** @type {any} */ _command) => {};
    const $ = (/** @type {string} */ sel) => /** @type {any} */ (container.querySelector(sel));
    /** @type {HTMLDetailsElement} */ this.details = $('#attention-steps-details');
    /** @type {HTMLElement} */ this.body = $('#attention-steps');
    /** @type {HTMLElement} */ this.status = $('#steps-status');
    /** @type {HTMLSelectElement} */ this.layerPicker = $('#steps-layer');
    /** @type {HTMLSelectElement} */ this.headPicker = $('#steps-head');
    /** @type {HTMLSelectElement} */ this.queryPicker = $('#steps-query');
    this.at = { layer: 0, head: 0, query: 0 };
    /** The model's shape and tokens, from the latest `attention` event. */
    /** @type {import('../protocol.js').AttentionEvent | null} */ this.attention = null;
    this.details.addEventListener('toggle', () => this.request());
    $('#steps-close').addEventListener('click', () => { this.details.open = false; });
    this.layerPicker.addEventListener('change', () => this.choose({ layer: Number(this.layerPicker.value) }));
    this.headPicker.addEventListener('change', () => this.choose({ head: Number(this.headPicker.value) }));
    this.queryPicker.addEventListener('change', () => {
      this.at.query = Number(this.queryPicker.value);
      this.render();
    });
    this.body.addEventListener('keydown', (e) => moveInGroup(e));
    onLanguageChange(() => { this.fillPickers(); this.render(); });
    this.reset();
  }

  /** Forgets the head shown (a new model). */
  reset() {
    /** @type {import('../protocol.js').AttentionStepsEvent | null} */ this.event = null;
    this.attention = null;
    this.body.replaceChildren();
    this.status.textContent = t('steps.waiting');
    for (const key of ['step', 'example', 'causal', 'gridDifference', 'checksum', 'readbackBytes']) delete this.body.dataset[key];
    this.fillPickers();
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'session':
        this.reset();
        break;
      case 'attention':
        this.attention = event;
        this.fillPickers();
        break;
      case 'attentionSteps':
        this.event = event;
        this.at.layer = event.layer;
        this.at.head = event.head;
        this.at.query = Math.min(this.at.query, event.length - 1);
        this.fillPickers();
        this.render();
        break;
    }
  }

  /** Opens the view at a map's cell row (a click on the attention grid). @param {{ layer: number, head: number, query: number }} at */
  openAt(at) {
    this.at = { ...at };
    this.fillPickers();
    if (this.details.open) this.request();
    else this.details.open = true; // its toggle asks the worker
    this.render();
    // Its title in sight, scrolling as little as may be: the grid stays under the pointer.
    this.details.querySelector('summary')?.scrollIntoView({ block: 'nearest' });
  }

  /** Another layer or head: asked of the worker at once. @param {{ layer?: number, head?: number }} change */
  choose(change) {
    Object.assign(this.at, change);
    this.request();
  }

  /** Tells the worker what the view needs: its head while open, nothing while closed. */
  request() {
    const open = this.details.open;
    this.onCommand({ type: 'attentionSteps', open, layer: this.at.layer, head: this.at.head });
  }

  fillPickers() {
    const a = this.attention;
    const n = (/** @type {number | undefined} */ v) => Math.max(1, v ?? 1);
    const fill = (/** @type {HTMLSelectElement} */ picker, /** @type {string[]} */ names, /** @type {number} */ value) => {
      picker.replaceChildren(...names.map((name, i) => new Option(name, String(i))));
      picker.value = String(Math.min(value, names.length - 1));
    };
    fill(this.layerPicker, [...Array(n(a?.layers))].map((_, i) => String(i + 1)), this.at.layer);
    fill(this.headPicker, [...Array(n(a?.heads))].map((_, i) => String(i + 1)), this.at.head);
    const tokens = this.event?.tokens ?? a?.tokens ?? [''];
    fill(this.queryPicker, tokens.map((tok, i) => `${i}: ${display(tok)}`), this.at.query);
  }

  render() {
    const e = this.event;
    if (!e) return;
    const { length: L, dHead: d } = e;
    const i = Math.min(this.at.query, L - 1);
    const token = (/** @type {number} */ j) => `'${display(e.tokens[j])}'`;
    const row = (/** @type {Float32Array} */ m, /** @type {number} */ r, /** @type {number} */ w) => m.subarray(r * w, (r + 1) * w);
    const masked = (/** @type {number} */ j) => e.causal && j > i;
    const weights = row(e.weights, i, L);
    const difference = this.gridDifference(weights, i);
    Object.assign(this.body.dataset, {
      layer: String(e.layer), head: String(e.head), query: String(i), step: String(e.step),
      example: String(e.example), causal: String(e.causal), length: String(L), checksum: checksum(e.qkv),
      gridDifference: difference === null ? '' : String(difference),
      // What the worker read back for it: the head's Q, K and V and the residual norms.
      readbackBytes: String((e.qkv.length + e.residual.length) * 4),
    });
    this.status.textContent = t('steps.status', {
      layer: e.layer + 1, head: e.head + 1, query: i, token: token(i), step: String(e.step), dHead: d,
    });
    const vector = (/** @type {string} */ name, /** @type {Float32Array} */ values, /** @type {string} */ id) => {
      const scale = largest(values);
      return strip([...values].map((v, dim) => ({
        value: v, colour: signedColour(v, scale), label: t('steps.vectorCell', { name, dim, value: formatNumber(v) }),
      })), t(`steps.${id}.title`, { query: i, token: token(i) }));
    };
    const vectors = (/** @type {string} */ name, /** @type {number} */ part, /** @type {string} */ id) => matrix(
      [...Array(L)].map((_, j) => {
        const values = e.qkv.subarray((part * L + j) * d, (part * L + j + 1) * d);
        return {
          token: e.tokens[j], values,
          label: t('steps.vectorRow', { name, index: j, token: token(j), values: [...values].map(formatNumber).join(', ') }),
          cellLabel: (dim, value) => t('steps.vectorCell', { name: `${name}${j}`, dim, value }),
        };
      }), t(`steps.${id}.title`, {}));
    const perKey = (/** @type {Float32Array} */ values, /** @type {string} */ id, /** @type {boolean} */ weight) => {
      const scale = largest(values);
      return strip([...values].map((v, j) => ({
        value: v, masked: masked(j) && id !== 'scores' && id !== 'scaled',
        colour: weight ? weightColour(v) : signedColour(v, scale), text: L <= 16 ? formatNumber(v) : undefined,
        label: t('steps.keyCell', { name: t(`steps.${id}.name`), key: j, token: token(j), value: formatNumber(v) })
          + (masked(j) && id === 'weights' ? ` (${t('steps.masked')})` : ''),
      })), t(`steps.${id}.title`, { dHead: d, root: Math.sqrt(d).toFixed(2) }), i);
    };
    const mask = strip([...Array(L)].map((_, j) => ({
      value: masked(j) ? -Infinity : 0, masked: masked(j), colour: '#fff', text: L <= 16 ? (masked(j) ? '−∞' : '0') : undefined,
      label: t('steps.keyCell', { name: t('steps.mask.name'), key: j, token: token(j), value: masked(j) ? t('steps.masked') : t('steps.visible') }),
    })), t(e.causal ? 'steps.mask.title' : 'steps.noMask.title', {}), i);
    // The keyboard's cell keeps the focus across a refresh.
    const focused = /** @type {HTMLElement | null} */ (this.body.contains(document.activeElement) ? document.activeElement : null);
    const where = focused && { step: focused.closest('section')?.dataset.step, index: focused.dataset.index };
    this.body.replaceChildren(
      section('q', t('steps.q.title', { query: i, token: token(i) }), t('steps.q.note'), vector('q', row(e.qkv, i, d), 'q')),
      section('k', t('steps.k.title'), t('steps.k.note'), vectors('k', 1, 'k')),
      section('scores', t('steps.scores.title'), t('steps.scores.note'), perKey(row(e.scores, i, L), 'scores', false)),
      section('scaled', t('steps.scaled.title', { dHead: d, root: Math.sqrt(d).toFixed(2) }), t('steps.scaled.note', { dHead: d }),
        perKey(row(e.scaled, i, L), 'scaled', false)),
      section('mask', t(e.causal ? 'steps.mask.title' : 'steps.noMask.title'), t(e.causal ? 'steps.mask.note' : 'steps.noMask.note'), mask),
      section('weights', t('steps.weights.title'), t('steps.weights.note') + (difference === null ? ''
        : ` ${t('steps.sameRow', { difference: difference.toExponential(1) })}`), perKey(weights, 'weights', true)),
      section('v', t('steps.v.title'), t('steps.v.note'), vectors('v', 2, 'v')),
      section('output', t('steps.output.title', { query: i, token: token(i) }), t('steps.output.note'), vector('Σ w·v', row(e.output, i, d), 'output')),
      section('residual', t('steps.residual.title', { query: i, token: token(i) }), t('steps.residual.note'), this.residual(i)),
    );
    const again = where && /** @type {HTMLElement | null} */ (this.body.querySelector(`section[data-step="${where.step}"] .step-cell[data-index="${where.index}"]`));
    if (again) {
      for (const c of /** @type {NodeListOf<HTMLElement>} */ (again.parentElement?.querySelectorAll(':scope > .step-cell') ?? [])) c.tabIndex = -1;
      again.tabIndex = 0;
      again.focus();
    }
  }

  /**
   * The largest |difference| between the softmax row and the grid's row for the same cell, or
   * null when the grid shows another step or example.
   * @param {Float32Array} weights @param {number} query
   */
  gridDifference(weights, query) {
    const a = this.attention, e = this.event;
    if (!a || !e || a.step !== e.step || a.example !== e.example || a.length !== e.length) return null;
    const base = ((e.layer * a.heads + e.head) * a.length + query) * a.length;
    let m = 0;
    weights.forEach((w, j) => { m = Math.max(m, Math.abs(w - a.values[base + j])); });
    return m;
  }

  /** ‖x‖ at the query entering each block, after its attention, after its MLP. @param {number} query */
  residual(query) {
    const e = /** @type {import('../protocol.js').AttentionStepsEvent} */ (this.event);
    const stages = ['enter', 'attention', 'mlp'];
    const values = [...Array(e.layers * 3)].map((_, r) => e.residual[r * e.length + query]);
    const scale = Math.max(...values, 1e-9);
    const table = document.createElement('div');
    table.className = 'step-residual step-group';
    table.setAttribute('role', 'group');
    table.setAttribute('aria-label', t('steps.residual.name'));
    values.forEach((v, r) => {
      const stage = t(`steps.residual.${stages[r % 3]}`);
      const label = t('steps.residualCell', { layer: Math.floor(r / 3) + 1, stage, value: formatNumber(v) });
      const item = document.createElement('div');
      item.className = 'step-cell step-bar';
      item.tabIndex = r === 0 ? 0 : -1;
      item.setAttribute('role', 'img');
      item.setAttribute('aria-label', label);
      item.title = label;
      item.dataset.value = String(v);
      item.dataset.index = String(r);
      const name = document.createElement('span');
      name.textContent = r % 3 === 0 ? t('steps.residual.block', { layer: Math.floor(r / 3) + 1, stage }) : stage;
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = `${(100 * v) / scale}%`;
      const number = document.createElement('span');
      number.textContent = formatNumber(v);
      item.append(name, bar, number);
      table.append(item);
    });
    return table;
  }
}

/** One step: its title, its words for a learner, its cells. @param {string} id @param {string} title @param {string} note @param {HTMLElement} cells */
function section(id, title, note, cells) {
  const box = document.createElement('section');
  box.className = 'step';
  box.dataset.step = id;
  const h = document.createElement('h3');
  h.textContent = title;
  const p = document.createElement('p');
  p.className = 'note';
  p.textContent = note;
  box.append(h, p, cells);
  return box;
}
