// @ts-check
//! What "position" means to a transformer: the vectors it adds to the token embeddings, one per
//! position (learned, or sinusoidal), as a heatmap of positions × dimensions, and the cosine
//! similarity of every two positions (the `positions` event, made with each projection frame of
//! a transformer, so at its rate). Hover a cell, or focus a map and move with the arrow keys, to
//! read it. `#positions` carries data-step, data-length, data-d-model, data-learned and
//! data-checksum (of the vectors).

import { checksum } from '../heatmap.js';
import { onLanguageChange, t } from '../i18n.js';
import { formatNumber, largest } from './attention-steps-draw.js';
import { divergingColor } from './decision-boundary.js';

export class Positions {
  /** @param {HTMLElement} container */
  constructor(container) {
    const $ = (/** @type {string} */ sel) => /** @type {any} */ (container.querySelector(sel));
    /** @type {HTMLElement} */ this.box = $('#positions');
    /** @type {HTMLElement} */ this.note = $('#positions-note');
    /** @type {HTMLElement} */ this.readout = $('#positions-readout');
    /** @type {HTMLCanvasElement} */ this.table = $('#positions-table');
    /** @type {HTMLCanvasElement} */ this.similarity = $('#positions-similarity');
    /** @type {import('../protocol.js').PositionsEvent | null} */ this.event = null;
    /** The keyboard's cell of each map. */
    this.cursor = new Map([[this.table, { row: 0, col: 0 }], [this.similarity, { row: 0, col: 0 }]]);
    for (const canvas of [this.table, this.similarity]) {
      canvas.addEventListener('mousemove', (e) => {
        const at = this.cellAt(canvas, e);
        if (at) this.read(canvas, at);
      });
      canvas.addEventListener('keydown', (e) => this.key(canvas, e));
      canvas.addEventListener('focus', () => this.read(canvas, /** @type {{ row: number, col: number }} */ (this.cursor.get(canvas))));
    }
    onLanguageChange(() => this.render());
    this.reset();
  }

  reset() {
    this.event = null;
    this.box.hidden = true;
    this.readout.textContent = '';
  }

  /** @param {any} event */
  update(event) {
    if (event.type === 'session') this.reset();
    if (event.type !== 'positions') return;
    this.event = event;
    this.render();
  }

  /** Rows and columns of a map. @param {HTMLCanvasElement} canvas */
  shape(canvas) {
    const e = /** @type {import('../protocol.js').PositionsEvent} */ (this.event);
    return canvas === this.table ? { rows: e.length, cols: e.dModel, values: e.values } : { rows: e.length, cols: e.length, values: e.similarity };
  }

  render() {
    const e = this.event;
    if (!e) return;
    this.box.hidden = false;
    Object.assign(this.box.dataset, {
      step: String(e.step), length: String(e.length), dModel: String(e.dModel), learned: String(e.learned), checksum: checksum(e.values),
    });
    this.note.textContent = t(e.learned ? 'positions.learned' : 'positions.sinusoidal');
    draw(this.table, e.values, e.length, e.dModel, largest(e.values));
    draw(this.similarity, e.similarity, e.length, e.length, 1);
  }

  /** The cell under the pointer. @param {HTMLCanvasElement} canvas @param {MouseEvent} e */
  cellAt(canvas, e) {
    if (!this.event) return null;
    const { rows, cols } = this.shape(canvas);
    const box = canvas.getBoundingClientRect();
    const col = Math.floor(((e.clientX - box.left) / box.width) * cols);
    const row = Math.floor(((e.clientY - box.top) / box.height) * rows);
    return row >= 0 && col >= 0 && row < rows && col < cols ? { row, col } : null;
  }

  /** Says what a cell holds, in the readout and the map's title. @param {HTMLCanvasElement} canvas @param {{ row: number, col: number }} at */
  read(canvas, at) {
    if (!this.event) return;
    const { cols, values } = this.shape(canvas);
    const value = formatNumber(values[at.row * cols + at.col]);
    const text = canvas === this.table
      ? t('positions.tableCell', { position: at.row, dim: at.col, value })
      : t('positions.similarityCell', { a: at.row, b: at.col, value });
    this.readout.textContent = text;
    canvas.title = text;
    Object.assign(canvas.dataset, { row: String(at.row), col: String(at.col) });
  }

  /** The arrow keys, Home and End move the map's cell. @param {HTMLCanvasElement} canvas @param {KeyboardEvent} e */
  key(canvas, e) {
    if (!this.event) return;
    const { rows, cols } = this.shape(canvas);
    const c = /** @type {{ row: number, col: number }} */ (this.cursor.get(canvas));
    const moves = /** @type {Record<string, [number, number]>} */ ({
      ArrowUp: [c.row - 1, c.col], ArrowDown: [c.row + 1, c.col], ArrowLeft: [c.row, c.col - 1],
      ArrowRight: [c.row, c.col + 1], Home: [c.row, 0], End: [c.row, cols - 1],
    });
    const to = moves[e.key];
    if (!to) return;
    e.preventDefault();
    const at = { row: Math.max(0, Math.min(rows - 1, to[0])), col: Math.max(0, Math.min(cols - 1, to[1])) };
    this.cursor.set(canvas, at);
    this.read(canvas, at);
  }
}

/**
 * A matrix [rows, cols] as crisp cells on the diverging map (orange below 0, blue above; `scale`
 * the |value| of full colour), the canvas as wide as its box and as tall as the cells are wide
 * would make it, at most square.
 * @param {HTMLCanvasElement} canvas @param {Float32Array} values @param {number} rows @param {number} cols @param {number} scale
 */
function draw(canvas, values, rows, cols, scale) {
  const small = document.createElement('canvas');
  small.width = cols;
  small.height = rows;
  const sctx = /** @type {CanvasRenderingContext2D} */ (small.getContext('2d'));
  const image = sctx.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    const [r, g, b] = divergingColor(values[i] / scale, 0.9);
    image.data.set([r, g, b, 255], i * 4);
  }
  sctx.putImageData(image, 0, 0);
  const dpr = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 200;
  const height = Math.min(width, Math.max(rows * 6, (width * rows) / cols));
  canvas.style.height = `${height}px`;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
}
