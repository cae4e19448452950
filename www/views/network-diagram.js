// @ts-check
//! The network diagram (issue 17), as TF Playground draws it: inputs, hidden units, outputs in
//! columns; each hidden unit a small picture of its output over the input plane (or, for a
//! table of more than two inputs, a histogram over the test rows, with dead ReLU units marked);
//! links coloured by the sign of their weight and as thick as its size. Hover a unit or a link
//! for its numbers; click a unit (or Enter on it) to see it large beside the decision boundary.
//! The units come with the `boundary` (or `testMetrics`) event, from the same forward pass and
//! readback, and only while the panel is open: a closed diagram costs training nothing. The
//! newest event is drawn, at most five times a second. Wide layers show their first units
//! (src/inspect/units.rs) and "+N more".
//! `#diagram` carries data-step (drawn), data-view, data-cells (hidden cells), data-dead (dead
//! marks drawn) and data-dead-reported (drawn units the event says are active on no row).

import { onLanguageChange, t } from '../i18n.js';
import { CELL, HEAD, drawLinks, layout, linkAt, paintHistogram, paintLabel, paintOutput, paintUnit, scaleOf } from '../diagram-draw.js';
import { UnitsOf } from '../diagram-units.js';

/** The least time between two draws: live, and light beside training. */
const DRAW_EVERY_MS = 200;
/** Writes `text` only when it differs: a draw touches no more of the page than it must. @param {HTMLElement} el @param {string} text */
const setText = (el, text) => { if (el.textContent !== text) el.textContent = text; };
/** Numbers in tooltips: three significant digits. @param {number} v */
const short = (v) => Number(v.toPrecision(3));

export class NetworkDiagram {
  /** @param {HTMLElement} container */
  constructor(container) {
    /** Called with a training-worker command (diagram). */
    this.onCommand = (/** @type {any} */ _command) => {};
    const $ = (/** @type {string} */ sel) => /** @type {any} */ (document.querySelector(sel));
    /** @type {HTMLDetailsElement} */ this.details = $('#diagram-details');
    /** @type {HTMLElement} */ this.root = $('#diagram');
    /** @type {HTMLElement} */ this.tooltip = $('#diagram-tooltip');
    /** @type {HTMLElement} */ this.deadNote = $('#diagram-dead');
    /** @type {HTMLElement} */ this.note = $('#diagram-note');
    /** @type {HTMLElement} */ this.zoom = $('#unit-zoom');
    /** @type {HTMLCanvasElement} */ this.zoomCanvas = $('#unit-zoom-canvas');
    /** @type {HTMLElement} */ this.zoomTitle = $('#unit-zoom-title');
    /** where the zoom sits: beside the boundary, or in this panel when there is no plane */
    this.boundarySlot = /** @type {HTMLElement} */ (this.zoom.parentElement);
    this.container = container;
    this.links = document.createElement('canvas');
    this.links.className = 'diagram-links';
    /** @type {UnitsOf | null} the units drawn */ this.of = null;
    /** @type {any} the newest event with units, drawn at the next frame */ this.pending = null;
    /** the layer widths drawn, to rebuild only when they change */ this.shape = '';
    /** @type {{ layer: number, unit: number } | null} the unit shown large */ this.selected = null;
    /** @type {HTMLCanvasElement[][]} cells per column (inputs are boxes) */ this.cells = [];
    /** @type {ReturnType<typeof layout> | null} */ this.geo = null;
    /** @type {any} the dataset event (regression scales the outputs) */ this.dataset = null;
    /** when the last draw was (performance.now()) */ this.drawnAt = -Infinity;
    this.details.addEventListener('toggle', () => this.tell());
    $('#unit-zoom-close').addEventListener('click', () => this.select(null));
    this.root.addEventListener('mousemove', (e) => this.hoverLink(e));
    this.root.addEventListener('mouseleave', () => { this.tooltip.hidden = true; });
    new ResizeObserver(() => this.place()).observe(this.root);
    onLanguageChange(() => { this.shape = ''; this.pending ??= this.of?.event; this.draw(); });
    this.reset();
  }

  /** Whether the diagram is open (the worker reads its units only then). */
  get shown() {
    return this.details.open;
  }

  /** Tells the worker whether to read the units (at start, after a crash, on a toggle). */
  tell() {
    this.onCommand({ type: 'diagram', shown: this.shown });
  }

  /** A new model: nothing drawn until its units come. */
  reset() {
    this.of = null;
    this.pending = null;
    this.shape = '';
    this.select(null);
    this.root.replaceChildren();
    this.root.dataset.cells = '0';
    this.root.dataset.step = '';
    this.deadNote.hidden = true;
  }

  /** @param {any} event */
  update(event) {
    if (event.type === 'session' && !event.continued) this.reset();
    else if (event.type === 'dataset') this.dataset = event;
    else if ((event.type === 'boundary' || event.type === 'testMetrics') && event.units) {
      // Training may post dozens a second: the newest is drawn, at most every DRAW_EVERY_MS,
      // so that painting leaves the CPU to the training worker.
      if (!this.pending) {
        const wait = Math.max(0, this.drawnAt + DRAW_EVERY_MS - performance.now());
        setTimeout(() => requestAnimationFrame(() => this.draw()), wait);
      }
      this.pending = event;
    }
  }

  /** Builds the columns when the shape changed, then paints every cell and link. */
  draw() {
    if (!this.pending) return;
    const of = new UnitsOf(this.pending);
    this.pending = null;
    this.drawnAt = performance.now();
    this.of = of;
    if (of.shape !== this.shape) this.build(of);
    const view = of.units.view;
    this.root.dataset.view = view;
    setText(this.note, t(view === 'plane' ? 'diagram.note' : 'diagram.noteHistograms'));
    // The zoom sits beside the boundary when there is a plane; here when there is none.
    const slot = view === 'plane' ? this.boundarySlot : this.details;
    if (this.zoom.parentElement !== slot) slot.append(this.zoom);
    this.paint();
    this.paintLinks();
    if (this.selected) this.paintZoom();
    this.root.dataset.step = String(of.event.step);
  }

  /** The DOM of a new shape: a column per layer, a cell per drawn unit. @param {UnitsOf} of */
  build(of) {
    this.shape = of.shape;
    this.select(null);
    /** @type {Element[]} */ const nodes = [this.links];
    this.cells = of.layers.map((layer, l) => {
      const head = document.createElement('div');
      head.className = 'diagram-head';
      head.textContent = layer.kind === 'input' ? t('diagram.inputs') : layer.kind === 'output' ? t('diagram.outputs')
        : t('diagram.layer', { layer: l, activation: layer.activation ? t(`activation.${layer.activation}`) : '' });
      nodes.push(head);
      const column = [];
      for (let u = 0; u < layer.drawn; u++) {
        const cell = /** @type {HTMLElement} */ (document.createElement(layer.kind === 'input' ? 'div' : 'canvas'));
        if (layer.kind === 'input') {
          cell.className = 'diagram-input';
          cell.textContent = this.unitName(l, u);
        } else {
          cell.className = `diagram-cell is-${layer.kind}`;
          cell.setAttribute('aria-label', t('diagram.unitLabel', { name: this.unitName(l, u) }));
          cell.tabIndex = 0;
          cell.setAttribute('role', 'button');
          cell.addEventListener('click', () => this.select({ layer: l, unit: u }));
          cell.addEventListener('keydown', (e) => {
            if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.select({ layer: l, unit: u }); }
          });
          cell.addEventListener('focus', (e) => this.showTip(e, this.unitTip(l, u)));
          cell.addEventListener('blur', () => { this.tooltip.hidden = true; });
        }
        cell.dataset.layer = String(l);
        cell.dataset.unit = String(u);
        cell.addEventListener('mousemove', (e) => { e.stopPropagation(); this.showTip(e, this.unitTip(l, u)); });
        nodes.push(cell);
        column.push(/** @type {HTMLCanvasElement} */ (cell));
      }
      if (layer.units > layer.drawn) {
        const more = document.createElement('div');
        more.className = 'diagram-more';
        more.textContent = t('diagram.more', { count: layer.units - layer.drawn });
        nodes.push(more);
      }
      return column;
    });
    this.root.replaceChildren(...nodes);
    this.root.dataset.cells = String(this.cells.slice(1, -1).reduce((n, c) => n + c.length, 0));
    this.place();
  }

  /** Positions the columns and the links for the room there is. */
  place() {
    const of = this.of;
    if (!of || !this.shape) return;
    // Names longer than a cell stand left of it, in a pill as wide as they need (CSS).
    const longest = Math.max(0, ...of.units.inputLabels.map((n) => n.length));
    const geo = layout(of.layers, this.root.clientWidth || 360, longest > 3 ? Math.min(88, 7 * longest) - 16 : 0);
    this.geo = geo;
    this.root.style.setProperty('--diagram-height', `${geo.height}px`);
    let node = this.links.nextElementSibling;
    const at = (/** @type {number} */ x, /** @type {number} */ y) => {
      const style = /** @type {HTMLElement} */ (node).style;
      style.left = `${x}px`;
      style.top = `${y}px`;
      node = /** @type {Element} */ (node).nextElementSibling;
    };
    of.layers.forEach((layer, l) => {
      // Headings and "+N more" are centred on their column (CSS).
      at(geo.x[l] + CELL / 2, geo.y(l, 0) - HEAD);
      for (let u = 0; u < layer.drawn; u++) at(geo.x[l], geo.y(l, u));
      if (layer.units > layer.drawn) at(geo.x[l] + CELL / 2, geo.y(l, layer.drawn));
    });
    this.paintLinks();
  }

  /** Every cell's picture or histogram, and its words for a screen reader. */
  paint() {
    const of = /** @type {UnitsOf} */ (this.of);
    let dead = 0, reported = 0;
    this.cells.forEach((column, l) => {
      const layer = of.layers[l];
      if (layer.kind === 'input') return;
      const plane = of.units.view === 'plane';
      const values = layer.kind === 'hidden' && plane ? of.layerValues(l) : null;
      const scale = values ? scaleOf(values) : 1;
      column.forEach((canvas, u) => {
        if (layer.kind === 'output') this.paintOutputCell(canvas, u);
        else if (values) paintUnit(canvas, values, u, layer.drawn, of.event.resolution, scale);
        else {
          const isDead = of.isDead(l, u);
          paintHistogram(canvas, of.bins(l, u), isDead, null);
          canvas.classList.toggle('dead', isDead);
          if (isDead) dead++;
          if (of.active(l, u) === 0) reported++;
        }
      });
    });
    this.root.dataset.dead = String(dead);
    this.root.dataset.deadReported = String(reported);
    // Of every unit, drawn or not; only ReLU's zero is for good (a tanh unit at 0 still learns).
    const total = of.layers.reduce((n, l) => n + (l.activation === 'relu' ? l.dead ?? 0 : 0), 0);
    this.deadNote.hidden = total === 0;
    setText(this.deadNote, t('diagram.deadNote', { count: total }));
  }

  /** Output unit k: its picture over the plane (a table's histograms have none). @param {HTMLCanvasElement} canvas @param {number} k */
  paintOutputCell(canvas, k) {
    const event = /** @type {UnitsOf} */ (this.of).event;
    if (event.type !== 'boundary') {
      paintLabel(canvas, event.classes?.[k] ?? String(k + 1));
      return;
    }
    const regression = this.dataset?.task === 'regression' || event.outputs === 1;
    paintOutput(canvas, event.values, event.resolution, event.outputs, k, regression, regression ? scaleOf(event.values) : 1);
  }

  paintLinks() {
    const of = this.of;
    if (of && this.geo) drawLinks(this.links, this.geo, of.layers, (l) => of.weights(l));
  }

  /** Shows `unit` large (beside the boundary), or the output again (null). @param {{ layer: number, unit: number } | null} unit */
  select(unit) {
    this.selected = unit;
    this.zoom.hidden = unit === null;
    for (const c of this.root.querySelectorAll('canvas.selected')) c.classList.remove('selected');
    if (!unit) return;
    this.cells[unit.layer]?.[unit.unit]?.classList.add('selected');
    this.paintZoom();
  }

  paintZoom() {
    const sel = this.selected, of = this.of;
    if (!sel || !of) return;
    const { layer: l, unit: u } = sel;
    this.zoomTitle.textContent = this.unitName(l, u);
    this.zoomCanvas.dataset.layer = String(l);
    this.zoomCanvas.dataset.unit = String(u);
    this.zoomCanvas.dataset.step = String(of.event.step);
    if (of.layers[l].kind === 'output') this.paintOutputCell(this.zoomCanvas, u);
    else if (of.units.view === 'plane') {
      const values = of.layerValues(l);
      paintUnit(this.zoomCanvas, values, u, of.layers[l].drawn, of.event.resolution, scaleOf(values));
    }
    else {
      const [lo, hi] = of.range(l, u);
      paintHistogram(this.zoomCanvas, of.bins(l, u), of.isDead(l, u), { lo: String(short(lo)), hi: String(short(hi)) });
    }
  }

  /** @param {number} l @param {number} u */
  unitName(l, u) {
    const layer = /** @type {UnitsOf} */ (this.of).layers[l];
    if (layer.kind === 'input') return /** @type {UnitsOf} */ (this.of).units.inputLabels[u] ?? `x${u + 1}`;
    const classes = /** @type {UnitsOf} */ (this.of).event.classes;
    if (layer.kind === 'output') return classes?.[u] ?? t('diagram.outputName', { unit: u + 1 });
    return t('diagram.unitName', { layer: l, unit: u + 1 });
  }

  /** @param {number} l @param {number} u */
  unitTip(l, u) {
    const of = /** @type {UnitsOf} */ (this.of);
    const kind = of.layers[l].kind;
    if (kind === 'input') return this.unitName(l, u);
    const lines = [this.unitName(l, u), t('diagram.bias', { bias: short(of.bias(l, u)) })];
    if (kind === 'hidden') {
      lines.push(t('diagram.mean', { mean: short(of.mean(l, u)) }));
      const active = of.active(l, u);
      if (active >= 0) lines.push(t('diagram.active', { active, rows: of.rows }));
      if (of.isDead(l, u)) lines.push(t('diagram.deadTip'));
    }
    return lines.join('\n');
  }

  /** The link under the pointer, if any, in the tooltip. @param {MouseEvent} e */
  hoverLink(e) {
    const of = this.of;
    if (!of || !this.geo) return;
    const box = this.links.getBoundingClientRect();
    const link = linkAt(this.geo, of.layers, e.clientX - box.left, e.clientY - box.top);
    if (!link) {
      this.tooltip.hidden = true;
      return;
    }
    const { l, i, j } = link;
    const weight = of.weights(l)[i * of.layers[l + 1].drawn + j];
    this.showTip(e, t('diagram.link', { from: this.unitName(l, i), to: this.unitName(l + 1, j), weight: short(weight) }));
  }

  /** @param {Event} e @param {string} text */
  showTip(e, text) {
    const box = /** @type {Element} */ (e.currentTarget ?? e.target).getBoundingClientRect();
    const home = this.container.getBoundingClientRect();
    this.tooltip.textContent = text;
    this.tooltip.hidden = false;
    const mouse = e instanceof MouseEvent;
    this.tooltip.style.left = `${(mouse ? e.clientX : box.right) - home.left + 12}px`;
    this.tooltip.style.top = `${(mouse ? e.clientY : box.top) - home.top + 12}px`;
  }
}
