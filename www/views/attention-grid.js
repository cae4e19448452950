// @ts-check
//! The attention maps of one test example: a grid of layers × heads heatmaps, each with the
//! example's tokens on both axes (rows: the query, columns: the key it attends to; darker = more
//! weight; each row sums to 1). It refreshes at every evaluation; a scrubber goes back through the
//! last HISTORY snapshots, to watch a pattern form. Click a cell to enlarge it and to see its row
//! step by step (`onCell`, attention-steps.js); hover to read the
//! query, the key and the weight. The picker and "Next example" choose the example (setExample).
//! `#attention-grid` carries what it shows in data attributes (step, layers, heads, length,
//! example, checksum of the values), and each map where its cells are (`data-margin`,
//! `data-cell`, CSS px), for tests and tools.
//! From the keyboard the grid is one tab stop (a roving tabindex over the maps): the arrow keys
//! move one cell, across the maps' edges to the next head or layer, Home/End go to a row's ends,
//! Enter or Space enlarges the map (and opens the step-by-step view at its query), Escape closes it; the focused map is named after its cell
//! (query token, key token, weight), which is also framed on the map and shown in the tooltip.

import { cellAt, checksum, display, drawHeatmap, outlineCell } from '../heatmap.js';
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
    /** The keyboard's cell: a map, and a query row and key column in it. */
    this.cursor = { layer: 0, head: 0, query: 0, key: 0 };

    this.picker.addEventListener('change', () => this.choose(Number(this.picker.value)));
    this.next.addEventListener('click', () => this.choose((this.example + 1) % Math.max(1, this.testCount)));
    this.scrubber.addEventListener('input', () => {
      this.shown = Number(this.scrubber.value);
      this.render();
    });
    this.grid.setAttribute('role', 'group');
    this.grid.dataset.i18nAriaLabel = 'attention.grid';
    this.grid.setAttribute('aria-label', t('attention.grid'));
    /** Called with the map and query row of a clicked cell (the step-by-step view opens there). */
    this.onCell = (/** @type {{ layer: number, head: number, query: number }} */ _at) => {};
    this.grid.addEventListener('click', (e) => {
      const cell = /** @type {HTMLElement} */ (e.target).closest('canvas');
      if (!cell) return;
      const at = { layer: Number(cell.dataset.layer), head: Number(cell.dataset.head) };
      this.toggleZoom(at);
      this.openSteps(cell, e, at);
    });
    this.zoomCanvas.addEventListener('click', (e) => {
      if (this.zoomed) this.openSteps(this.zoomCanvas, e, this.zoomed);
    });
    this.grid.addEventListener('keydown', (e) => this.key(e));
    this.grid.addEventListener('focusin', () => this.showCursor());
    this.grid.addEventListener('focusout', () => {
      this.tooltip.hidden = true;
      // Redrawn without the keyboard's frame.
      queueMicrotask(() => this.render());
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

  /**
   * The step-by-step view of the query row under the pointer.
   * @param {HTMLElement} canvas @param {MouseEvent} e @param {{ layer: number, head: number }} map
   */
  openSteps(canvas, e, map) {
    const snap = this.current();
    const rect = canvas.getBoundingClientRect();
    const at = snap && cellAt(canvas, e.clientX - rect.left, e.clientY - rect.top, snap.length);
    if (at) this.onCell({ ...map, query: at.query });
  }

  /** Enlarges a map, or closes it when it is the one enlarged. @param {{ layer: number, head: number }} at */
  toggleZoom(at) {
    const same = this.zoomed && this.zoomed.layer === at.layer && this.zoomed.head === at.head;
    this.zoomed = same ? null : at;
    this.render();
  }

  /** The grid's keys. @param {KeyboardEvent} e */
  key(e) {
    const snap = this.current();
    const canvas = /** @type {HTMLElement} */ (e.target).closest('canvas');
    if (!snap || !canvas) return;
    const L = snap.length;
    const c = this.cursor;
    // Rows run through the layers' queries, columns through the heads' keys.
    let row = c.layer * L + c.query, col = c.head * L + c.key;
    switch (e.key) {
      case 'ArrowUp': row -= 1; break;
      case 'ArrowDown': row += 1; break;
      case 'ArrowLeft': col -= 1; break;
      case 'ArrowRight': col += 1; break;
      case 'Home': col = c.head * L; break;
      case 'End': col = c.head * L + L - 1; break;
      case 'Enter': case ' ': this.toggleZoom(c); this.onCell({ ...c }); e.preventDefault(); return;
      case 'Escape': if (this.zoomed) { this.zoomed = null; this.render(); e.preventDefault(); } return;
      default: return;
    }
    e.preventDefault();
    row = Math.max(0, Math.min(snap.layers * L - 1, row));
    col = Math.max(0, Math.min(snap.heads * L - 1, col));
    this.cursor = { layer: Math.floor(row / L), head: Math.floor(col / L), query: row % L, key: col % L };
    this.render();
    this.cursorCanvas()?.focus();
    this.showCursor();
  }

  /** The map the keyboard's cell is in. */
  cursorCanvas() {
    const { layer, head } = this.cursor;
    return /** @type {HTMLCanvasElement | null} */ (this.grid.querySelector(`canvas[data-layer="${layer}"][data-head="${head}"]`));
  }

  /** What the keyboard's cell shows, in words. @param {import('../protocol.js').AttentionEvent} snap */
  describeCursor(snap) {
    const { layer, head, query, key } = this.cursor;
    const L = snap.length;
    const weight = snap.values[((layer * snap.heads + head) * L + query) * L + key];
    return t('attention.cursor', {
      layer: layer + 1, head: head + 1, query, queryToken: quote(snap.tokens[query]),
      key, keyToken: quote(snap.tokens[key]), weight: weight.toFixed(3),
    });
  }

  /** The keyboard's cell in the tooltip, beside its map (while the grid has the focus). */
  /**
   * The tooltip's words and data for one cell (the pointer's or the keyboard's).
   * @param {NonNullable<ReturnType<AttentionGrid['current']>>} snap
   * @param {{ layer: number, head: number, query: number, key: number }} cell
   */
  describeCell(snap, { layer, head, query, key }) {
    const L = snap.length;
    const weight = snap.values[((layer * snap.heads + head) * L + query) * L + key];
    this.tooltip.textContent = t('attention.tooltip', {
      layer: layer + 1, head: head + 1, query, queryToken: quote(snap.tokens[query]),
      key, keyToken: quote(snap.tokens[key]), weight: weight.toFixed(3),
    });
    Object.assign(this.tooltip.dataset, {
      layer: String(layer), head: String(head), query: String(query), key: String(key), weight: String(weight),
    });
  }

  showCursor() {
    const snap = this.current();
    const canvas = this.cursorCanvas();
    if (!snap || !canvas || !this.grid.contains(document.activeElement)) return;
    this.render();
    this.describeCell(snap, this.cursor);
    const box = this.container.getBoundingClientRect();
    const at = canvas.getBoundingClientRect();
    this.tooltip.style.left = `${at.right - box.left + 6}px`;
    this.tooltip.style.top = `${at.top - box.top}px`;
    this.tooltip.hidden = false;
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
    const focused = grid.contains(document.activeElement);
    if (grid.dataset.shape !== `${snap.layers}x${snap.heads}`) this.build(snap.layers, snap.heads);
    // A smaller model or a shorter example: the keyboard's cell stays inside.
    const k = this.cursor;
    this.cursor = {
      layer: Math.min(k.layer, snap.layers - 1), head: Math.min(k.head, snap.heads - 1),
      query: Math.min(k.query, snap.length - 1), key: Math.min(k.key, snap.length - 1),
    };
    for (const canvas of grid.querySelectorAll('canvas')) {
      const c = /** @type {HTMLCanvasElement} */ (canvas);
      const at = { layer: Number(c.dataset.layer), head: Number(c.dataset.head) };
      drawHeatmap(c, snap, at.layer, at.head);
      const selected = this.zoomed?.layer === at.layer && this.zoomed?.head === at.head;
      c.classList.toggle('selected', selected);
      c.setAttribute('aria-pressed', String(selected));
      const mine = at.layer === this.cursor.layer && at.head === this.cursor.head;
      c.tabIndex = mine ? 0 : -1;
      c.setAttribute('aria-label', mine ? this.describeCursor(snap)
        : t('attention.cell', { layer: at.layer + 1, head: at.head + 1 }));
      if (mine && focused && document.activeElement === c) outlineCell(c, this.cursor.query, this.cursor.key);
    }
    // The focused map was rebuilt: the focus goes to its successor.
    if (focused && !grid.contains(document.activeElement)) this.cursorCanvas()?.focus();
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
        canvas.setAttribute('aria-roledescription', t('attention.roledescription'));
        canvas.tabIndex = -1;
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
    this.describeCell(snap, { layer: Number(canvas.dataset.layer), head: Number(canvas.dataset.head), ...at });
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

