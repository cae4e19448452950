// @ts-check
//! The attention maps of one test example: a grid of layers × heads heatmaps, each with the
//! example's tokens on both axes (rows: the query, columns: the key it attends to; darker = more
//! weight; each row sums to 1). It refreshes at every evaluation; a scrubber goes back through the
//! last HISTORY snapshots, to watch a pattern form. Click a cell to enlarge it; hover to read the
//! query, the key and the weight. The picker and "Next example" choose the example (setExample).
//! `#attention-grid` carries what it shows in data attributes (step, layers, heads, length,
//! example, checksum of the values), and each map where its cells are (`data-margin`,
//! `data-cell`, CSS px), for tests and tools.

import { cellAt, checksum, display, drawHeatmap } from '../heatmap.js';
import { onLanguageChange, t } from '../i18n.js';

/** How many snapshots the scrubber keeps. */
export const HISTORY = 20;

export class AttentionGrid {
  /** @param {HTMLElement} container */
  constructor(container) {
    /** Called with a worker command ({type: 'setExample', index}). */
    this.onCommand = (/** @type {any} */ _command) => {};
    const $ = (/** @type {string} */ sel) => /** @type {any} */ (container.querySelector(sel));
    this.container = container;
    /** @type {HTMLElement} */ this.grid = $('#attention-grid');
    /** @type {HTMLSelectElement} */ this.picker = $('#example-picker');
    /** @type {HTMLButtonElement} */ this.next = $('#next-example');
    /** @type {HTMLInputElement} */ this.scrubber = $('#attention-scrubber');
    /** @type {HTMLElement} */ this.snapshot = $('#attention-snapshot');
    /** @type {HTMLElement} */ this.zoom = $('#attention-zoom');
    /** @type {HTMLElement} */ this.zoomTitle = $('#attention-zoom-title');
    /** @type {HTMLCanvasElement} */ this.zoomCanvas = $('#attention-zoom-canvas');
    /** @type {HTMLElement} */ this.tooltip = $('#attention-tooltip');
    /** @type {{ input: string[], target: string[] }[]} */ this.examples = [];
    this.testCount = 0;
    this.example = 0;
    /** @type {{ layer: number, head: number } | null} */ this.zoomed = null;

    this.picker.addEventListener('change', () => this.choose(Number(this.picker.value)));
    this.next.addEventListener('click', () => this.choose((this.example + 1) % Math.max(1, this.testCount)));
    this.scrubber.addEventListener('input', () => {
      this.shown = Number(this.scrubber.value);
      this.render();
    });
    this.grid.addEventListener('click', (e) => {
      const cell = /** @type {HTMLElement} */ (e.target).closest('canvas');
      if (!cell) return;
      const at = { layer: Number(cell.dataset.layer), head: Number(cell.dataset.head) };
      const same = this.zoomed && this.zoomed.layer === at.layer && this.zoomed.head === at.head;
      this.zoomed = same ? null : at;
      this.render();
    });
    $('#attention-zoom-close').addEventListener('click', () => {
      this.zoomed = null;
      this.render();
    });
    for (const target of [this.grid, this.zoomCanvas]) {
      target.addEventListener('mousemove', (e) => this.hover(/** @type {MouseEvent} */ (e)));
      target.addEventListener('mouseleave', () => { this.tooltip.hidden = true; });
    }
    new ResizeObserver(() => this.render()).observe(this.grid);
    // Another language: the labels are built again.
    onLanguageChange(() => {
      delete this.grid.dataset.shape;
      this.render();
    });
    this.reset();
  }

  /** Forgets the snapshots (a new model). */
  reset() {
    /** @type {import('../protocol.js').AttentionEvent[]} */
    this.history = [];
    /** Index of the snapshot shown; the last one follows new snapshots. */
    this.shown = -1;
    this.grid.replaceChildren();
    for (const key of ['step', 'layers', 'heads', 'length', 'example', 'checksum', 'shape']) delete this.grid.dataset[key];
    this.render();
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'session':
        this.reset();
        break;
      case 'sequenceData':
        this.examples = event.examples;
        this.testCount = event.test;
        this.example = Math.min(this.example, Math.max(0, event.test - 1));
        this.fillPicker();
        break;
      case 'attention':
        this.add(event);
        break;
    }
  }

  /** @param {number} index a test example */
  choose(index) {
    if (!Number.isFinite(index)) return;
    this.example = index;
    this.fillPicker();
    this.onCommand({ type: 'setExample', index });
  }

  /** The first test examples by their input; one more entry when another is shown. */
  fillPicker() {
    const options = this.examples.map((e, i) => new Option(`#${i}: ${short(e.input)}`, String(i)));
    if (this.example >= this.examples.length) {
      options.push(new Option(`#${this.example}`, String(this.example)));
    }
    this.picker.replaceChildren(...options);
    this.picker.value = String(this.example);
  }

  /** @param {import('../protocol.js').AttentionEvent} snap */
  add(snap) {
    const last = this.history.at(-1);
    if (last && last.example !== snap.example) this.history = [];
    const follow = this.shown >= this.history.length - 1;
    if (last && last.example === snap.example && last.step === snap.step) {
      this.history[this.history.length - 1] = snap;
    } else {
      this.history.push(snap);
    }
    if (this.history.length > HISTORY) {
      this.history.shift();
      this.shown -= 1;
    }
    this.shown = follow ? this.history.length - 1 : Math.max(0, this.shown);
    if (snap.example !== this.example) {
      this.example = snap.example;
      this.fillPicker();
    }
    this.render();
  }

  /** The snapshot shown, or null before any. */
  current() {
    return this.history[this.shown] ?? null;
  }

  render() {
    const snap = this.current();
    this.renderScrubber();
    if (!snap) {
      this.zoom.hidden = true;
      return;
    }
    const { grid } = this;
    Object.assign(grid.dataset, {
      step: String(snap.step), layers: String(snap.layers), heads: String(snap.heads),
      length: String(snap.length), example: String(snap.example), checksum: checksum(snap.values),
    });
    if (grid.dataset.shape !== `${snap.layers}x${snap.heads}`) this.build(snap.layers, snap.heads);
    for (const canvas of grid.querySelectorAll('canvas')) {
      const c = /** @type {HTMLCanvasElement} */ (canvas);
      const at = { layer: Number(c.dataset.layer), head: Number(c.dataset.head) };
      drawHeatmap(c, snap, at.layer, at.head);
      const selected = this.zoomed?.layer === at.layer && this.zoomed?.head === at.head;
      c.classList.toggle('selected', selected);
      c.setAttribute('aria-pressed', String(selected));
    }
    if (this.zoomed && (this.zoomed.layer >= snap.layers || this.zoomed.head >= snap.heads)) this.zoomed = null;
    this.zoom.hidden = !this.zoomed;
    if (this.zoomed) {
      const { layer, head } = this.zoomed;
      this.zoomTitle.textContent = t('attention.zoomTitle', { layer: layer + 1, head: head + 1, step: String(snap.step) });
      this.zoomCanvas.dataset.layer = String(layer);
      this.zoomCanvas.dataset.head = String(head);
      drawHeatmap(this.zoomCanvas, snap, layer, head);
    }
  }

  renderScrubber() {
    const n = this.history.length;
    this.scrubber.max = String(Math.max(0, n - 1));
    this.scrubber.value = String(Math.max(0, this.shown));
    this.scrubber.disabled = n < 2;
    const snap = this.current();
    this.snapshot.textContent = !snap ? ''
      : t(this.shown === n - 1 ? 'attention.snapshotLatest' : 'attention.snapshot', { step: String(snap.step), index: this.shown + 1, count: n });
  }

  /** The cells, with "head h" above each column and "layer l" before each row. */
  build(/** @type {number} */ layers, /** @type {number} */ heads) {
    const { grid } = this;
    grid.dataset.shape = `${layers}x${heads}`;
    grid.style.gridTemplateColumns = `auto repeat(${heads}, minmax(0, 1fr))`;
    const children = [document.createElement('span')];
    for (let h = 0; h < heads; h++) children.push(label(t('attention.head', { head: h + 1 }), 'head-label'));
    for (let l = 0; l < layers; l++) {
      children.push(label(t('attention.layer', { layer: l + 1 }), 'layer-label'));
      for (let h = 0; h < heads; h++) {
        const canvas = document.createElement('canvas');
        canvas.className = 'attention-cell';
        canvas.dataset.layer = String(l);
        canvas.dataset.head = String(h);
        canvas.dataset.testid = `attention-cell-${l}-${h}`;
        canvas.setAttribute('role', 'button');
        canvas.setAttribute('aria-label', t('attention.cell', { layer: l + 1, head: h + 1 }));
        children.push(canvas);
      }
    }
    grid.replaceChildren(...children);
  }

  /** The query, key and weight under the pointer. @param {MouseEvent} e */
  hover(e) {
    const canvas = /** @type {HTMLElement} */ (e.target).closest('canvas');
    const snap = this.current();
    const rect = canvas?.getBoundingClientRect();
    const at = canvas && rect && snap && cellAt(canvas, e.clientX - rect.left, e.clientY - rect.top, snap.length);
    if (!canvas || !snap || !at) {
      this.tooltip.hidden = true;
      return;
    }
    const { query, key } = at;
    const L = snap.length;
    const layer = Number(canvas.dataset.layer), head = Number(canvas.dataset.head);
    const weight = snap.values[((layer * snap.heads + head) * L + query) * L + key];
    this.tooltip.textContent = t('attention.tooltip', {
      layer: layer + 1, head: head + 1, query, queryToken: quote(snap.tokens[query]),
      key, keyToken: quote(snap.tokens[key]), weight: weight.toFixed(3),
    });
    Object.assign(this.tooltip.dataset, {
      layer: String(layer), head: String(head), query: String(query), key: String(key), weight: String(weight),
    });
    const box = this.container.getBoundingClientRect();
    this.tooltip.style.left = `${e.clientX - box.left + 14}px`;
    this.tooltip.style.top = `${e.clientY - box.top + 14}px`;
    this.tooltip.hidden = false;
  }
}

/** @param {string} token */
function quote(token) {
  return `'${display(token)}'`;
}

/** An example's tokens in a picker entry. @param {string[]} tokens */
function short(tokens) {
  const joined = tokens.every((t) => t.length === 1) ? tokens.map(display).join('') : tokens.join(' ');
  return joined.length > 40 ? `${joined.slice(0, 39)}…` : joined;
}

/** @param {string} text @param {string} className */
function label(text, className) {
  const span = document.createElement('span');
  span.className = className;
  span.textContent = text;
  return span;
}

