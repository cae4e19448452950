// @ts-check
//! A scatter plot of a projection on a canvas, for up to 10,000 points: fits the frame to the
//! canvas, eases points from the last frame to the new one, draws them batched by colour, and
//! finds the point under the pointer through a grid of screen cells (no scan of every point).

/** Side of a hit-testing cell, CSS pixels; a point is found within HIT of the pointer. */
const CELL = 12;
const HIT = 7;
const MARGIN = 14;
const EASE_MS = 300;

/**
 * @typedef {{ colour: (i: number) => string, dimmed: (i: number) => boolean,
 *             rings: Set<number>, selected: number, lines: number[], names: ((i: number) => string) | null }} Style
 *   i: a point's index in the source (not its position in the frame). names: each point's
 *   label, written beside it (null: none; the view gives them when there are few points).
 */

export class ProjectionPlot {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
    /** @type {Uint32Array | null} the source index of each point drawn (null: 0..count) */
    this.indices = null;
    this.count = 0;
    /** @type {Float32Array} screen positions (CSS px) of the points drawn, [count, 2] */
    this.screen = new Float32Array(0);
    /** @type {Float32Array | null} where the points are heading, and where they came from */
    this.target = null;
    this.from = null;
    this.easeStart = 0;
    /** @type {Map<number, number[]>} cell -> positions in the frame */
    this.grid = new Map();
    /** @type {Style} */
    this.style = { colour: () => '#555', dimmed: () => false, rings: new Set(), selected: -1, lines: [], names: null };
    this.side = 0;
    this.raf = 0;
  }

  /** Forgets the points. */
  clear() {
    this.indices = null;
    this.count = 0;
    this.screen = new Float32Array(0);
    this.target = this.from = null;
    this.grid.clear();
    this.draw();
  }

  /**
   * A new frame: coords [m, 2] for the source points `indices` (null: all m, in order).
   * Points ease from where they were when the frame holds the same points.
   * @param {Float32Array} coords @param {Uint32Array | null} indices
   */
  setFrame(coords, indices) {
    this.resize();
    const m = coords.length / 2;
    const same = m === this.count && sameIndices(indices, this.indices) && this.screen.length === 2 * m;
    this.indices = indices;
    this.count = m;
    this.target = fit(coords, this.side);
    if (same && m > 0) {
      this.from = this.screen.slice();
      this.easeStart = performance.now();
      this.animate();
    } else {
      this.from = null;
      this.screen = this.target;
      this.rebuildGrid();
      this.draw();
    }
  }

  animate() {
    cancelAnimationFrame(this.raf);
    const tick = () => {
      const t = Math.min(1, (performance.now() - this.easeStart) / EASE_MS);
      const e = t * t * (3 - 2 * t);
      const { from, target } = this;
      if (!from || !target) return;
      const screen = new Float32Array(target.length);
      for (let i = 0; i < target.length; i++) screen[i] = from[i] + (target[i] - from[i]) * e;
      this.screen = screen;
      if (t < 1) {
        this.rebuildGrid();
        this.draw();
        this.raf = requestAnimationFrame(tick);
      } else {
        this.screen = target;
        this.from = null;
        this.rebuildGrid();
        this.draw();
      }
    };
    // Hidden pages get no animation frames: jump there at once.
    if (document.hidden) {
      this.easeStart = -Infinity;
      tick();
    } else {
      this.raf = requestAnimationFrame(tick);
    }
  }

  /** @param {Partial<Style>} style */
  setStyle(style) {
    Object.assign(this.style, style);
    this.draw();
  }

  /** The source index of drawn point `p`. @param {number} p */
  sourceIndex(p) {
    return this.indices ? this.indices[p] : p;
  }

  /** Where source point `index` is drawn (CSS px), or null. @param {number} index */
  screenOf(index) {
    const p = this.indices ? this.indices.indexOf(index) : index;
    if (p < 0 || p >= this.count) return null;
    return [this.screen[2 * p], this.screen[2 * p + 1]];
  }

  /**
   * The source index of the point nearest (x, y) in CSS px, within HIT, or -1.
   * @param {number} x @param {number} y
   */
  pick(x, y) {
    let best = -1;
    let bestD = HIT * HIT;
    const cx = Math.floor(x / CELL), cy = Math.floor(y / CELL);
    for (let gy = cy - 1; gy <= cy + 1; gy++) {
      for (let gx = cx - 1; gx <= cx + 1; gx++) {
        for (const p of this.grid.get(cellKey(gx, gy)) ?? []) {
          const dx = this.screen[2 * p] - x, dy = this.screen[2 * p + 1] - y;
          const d = dx * dx + dy * dy;
          if (d <= bestD) { bestD = d; best = p; }
        }
      }
    }
    return best < 0 ? -1 : this.sourceIndex(best);
  }

  rebuildGrid() {
    this.grid.clear();
    for (let p = 0; p < this.count; p++) {
      const k = cellKey(Math.floor(this.screen[2 * p] / CELL), Math.floor(this.screen[2 * p + 1] / CELL));
      const cell = this.grid.get(k);
      if (cell) cell.push(p); else this.grid.set(k, [p]);
    }
  }

  resize() {
    const side = Math.round(this.canvas.clientWidth || 400);
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(side * dpr)) {
      this.canvas.width = this.canvas.height = Math.round(side * dpr);
    }
    if (side !== this.side && this.side > 0 && this.target) {
      // Keep the picture: scale the positions to the new size.
      const k = side / this.side;
      this.screen = this.screen.map((v) => v * k);
      this.target = this.target.map((v) => v * k);
      this.from = null;
      this.rebuildGrid();
    }
    this.side = side;
  }

  draw() {
    const { ctx, canvas, style } = this;
    const dpr = canvas.width / (this.side || 1);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const big = this.count > 3000;
    const r = big ? 1.6 : 3;
    /** @type {Map<string, number[]>} colour -> positions, dimmed points first */
    const batches = new Map();
    const dim = [];
    for (let p = 0; p < this.count; p++) {
      const i = this.sourceIndex(p);
      if (style.dimmed(i)) { dim.push(p); continue; }
      const c = style.colour(i);
      const batch = batches.get(c);
      if (batch) batch.push(p); else batches.set(c, [p]);
    }
    const paint = (/** @type {string} */ colour, /** @type {number[]} */ points) => {
      ctx.fillStyle = colour;
      ctx.beginPath();
      for (const p of points) {
        const x = this.screen[2 * p], y = this.screen[2 * p + 1];
        if (big) ctx.rect(x - r, y - r, 2 * r, 2 * r);
        else { ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 2 * Math.PI); }
      }
      ctx.fill();
    };
    paint('rgba(150, 150, 150, 0.25)', dim);
    for (const [colour, points] of batches) paint(colour, points);

    const at = (/** @type {number} */ i) => this.screenOf(i);
    const centre = style.selected >= 0 ? at(style.selected) : null;
    if (centre) {
      ctx.strokeStyle = 'rgba(20, 20, 20, 0.35)';
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (const i of style.lines) {
        const q = at(i);
        if (q) { ctx.moveTo(centre[0], centre[1]); ctx.lineTo(q[0], q[1]); }
      }
      ctx.stroke();
    }
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = '#111';
    for (const i of style.rings) {
      const q = at(i);
      if (!q) continue;
      ctx.beginPath();
      ctx.arc(q[0], q[1], r + 2.5, 0, 2 * Math.PI);
      ctx.stroke();
    }
    if (centre) {
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      ctx.arc(centre[0], centre[1], r + 4, 0, 2 * Math.PI);
      ctx.stroke();
    }
    if (style.names) {
      ctx.font = '11px ui-monospace, SFMono-Regular, Menlo, monospace';
      ctx.fillStyle = '#1d2330';
      ctx.textBaseline = 'middle';
      for (let p = 0; p < this.count; p++) {
        const name = style.names(this.sourceIndex(p));
        if (name) ctx.fillText(name, this.screen[2 * p] + r + 3, this.screen[2 * p + 1]);
      }
    }
  }
}

/** @param {number} x @param {number} y */
const cellKey = (x, y) => x * 100_003 + y;

/** @param {Uint32Array | null} a @param {Uint32Array | null} b */
function sameIndices(a, b) {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Data coordinates -> CSS px on a square of `side`, keeping the aspect ratio (y up).
 * @param {Float32Array} coords @param {number} side @returns {Float32Array}
 */
function fit(coords, side) {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < coords.length; i += 2) {
    const x = coords[i], y = coords[i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < x0) x0 = x; if (x > x1) x1 = x;
    if (y < y0) y0 = y; if (y > y1) y1 = y;
  }
  const span = Math.max(x1 - x0, y1 - y0, 1e-9);
  const scale = Number.isFinite(span) ? (side - 2 * MARGIN) / span : 1;
  const ox = (side - (x1 - x0) * scale) / 2, oy = (side - (y1 - y0) * scale) / 2;
  const out = new Float32Array(coords.length);
  for (let i = 0; i < coords.length; i += 2) {
    out[i] = Number.isFinite(coords[i]) ? ox + (coords[i] - x0) * scale : -100;
    out[i + 1] = Number.isFinite(coords[i + 1]) ? side - (oy + (coords[i + 1] - y0) * scale) : -100;
  }
  return out;
}
