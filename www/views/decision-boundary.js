// @ts-check
//! The model's output over the input plane as a heatmap, with the train and test points on top.
//! Two classes: a blend through white by p(class 1); more: the argmax colour, stronger with
//! confidence; regression: a diverging map around 0. Train points have a thin light outline,
//! test points a thick dark one. A new boundary is painted on the next frame (frame.js), and
//! `data-step` says which step's is on the canvas.

import { onNextFrame } from '../frame.js';

/**
 * Class colours: Okabe and Ito's palette ("Color Universal Design", 2002), orange and blue first
 * as in TF Playground. Chosen because it stays apart with protanopia, deuteranopia and
 * tritanopia: under Machado et al.'s simulation the closest two of the eight are CIEDE2000 10.9
 * apart, where the earlier orange, blue, green, purple had blue and purple 2.9 apart for a
 * deuteranope (tests/e2e/palette.spec.mjs). Yellow and black come last: yellow is faint on white,
 * and black tints a region grey. The same colours, orange to white to blue, make the diverging
 * map of two classes and of regression.
 * @type {[number, number, number][]}
 */
export const CLASS_COLORS = [
  [230, 159, 0], [0, 114, 178], [0, 158, 115], [204, 121, 167],
  [213, 94, 0], [86, 180, 233], [240, 228, 66], [0, 0, 0],
];
const WHITE = [255, 255, 255];
/** How far the heatmap goes from white towards a colour, so the points stay visible. */
export const HEAT = 0.7;
const POINT_RADIUS = 3.5;

export class DecisionBoundary {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.canvas = /** @type {HTMLCanvasElement} */ (container.querySelector('#boundary-canvas'));
    this.ctx = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext('2d'));
    this.grid = document.createElement('canvas');
    /** @type {any} */ this.dataset = null;
    /** @type {any} */ this.boundary = null;
    this.scale = 1;
    this.paint = onNextFrame(() => this.draw());
    new ResizeObserver(() => this.draw()).observe(this.canvas);
  }

  /** Forgets the heatmap (a new model); the points stay. */
  reset() {
    this.boundary = null;
    this.canvas.dataset.step = '';
    this.draw();
  }

  /** @param {any} event */
  update(event) {
    if (event.type === 'dataset') {
      this.dataset = event;
      this.boundary = null;
      this.scale = regressionScale(event);
      this.draw();
    } else if (event.type === 'boundary') {
      this.boundary = event;
      this.paint();
    } else if (event.type === 'session') {
      this.reset();
    }
  }

  draw() {
    const { canvas, ctx } = this;
    const dpr = window.devicePixelRatio || 1;
    const side = Math.round((canvas.clientWidth || 400) * dpr);
    if (canvas.width !== side || canvas.height !== side) {
      canvas.width = side;
      canvas.height = side;
    }
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, side, side);
    const extent = this.dataset?.extent ?? this.boundary?.extent;
    if (!extent) return;
    const [xmin, xmax, ymin, ymax] = extent;
    const toX = (/** @type {number} */ x) => ((x - xmin) / (xmax - xmin)) * side;
    const toY = (/** @type {number} */ y) => ((ymax - y) / (ymax - ymin)) * side;

    if (this.boundary) {
      this.paintGrid();
      this.canvas.dataset.step = String(this.boundary.step);
      const [bx0, bx1, by0, by1] = this.boundary.extent;
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(this.grid, toX(bx0), toY(by1), toX(bx1) - toX(bx0), toY(by0) - toY(by1));
    }
    if (this.dataset) {
      const r = POINT_RADIUS * dpr;
      // White outlines vanish on the near-white of a regression map's middle: grey there.
      const trainOutline = this.dataset.task === 'regression' ? 'rgba(40, 40, 40, 0.55)' : '#fff';
      this.drawPoints(this.dataset.trainX, this.dataset.trainY, toX, toY, r, trainOutline, 1 * dpr);
      this.drawPoints(this.dataset.testX, this.dataset.testY, toX, toY, r, '#111', 1.5 * dpr);
    }
  }

  /** The boundary values, one pixel per grid cell, into the offscreen canvas. */
  paintGrid() {
    const { resolution: n, outputs, values } = this.boundary;
    this.grid.width = n;
    this.grid.height = n;
    const gctx = /** @type {CanvasRenderingContext2D} */ (this.grid.getContext('2d'));
    const image = gctx.createImageData(n, n);
    const regression = this.dataset?.task === 'regression' || outputs === 1;
    for (let i = 0; i < n * n; i++) {
      const cell = values.subarray(i * outputs, (i + 1) * outputs);
      const rgb = regression ? divergingColor(cell[0] / this.scale, HEAT) : classColor(cell, HEAT);
      image.data.set([rgb[0], rgb[1], rgb[2], 255], i * 4);
    }
    gctx.putImageData(image, 0, 0);
  }

  /**
   * @param {Float32Array} xs [n, 2] @param {Float32Array} ys [n]
   * @param {(x: number) => number} toX @param {(y: number) => number} toY
   * @param {number} r @param {string} outline @param {number} width
   */
  drawPoints(xs, ys, toX, toY, r, outline, width) {
    const { ctx } = this;
    const regression = this.dataset.task === 'regression';
    ctx.lineWidth = width;
    ctx.strokeStyle = outline;
    for (let i = 0; i < ys.length; i++) {
      const rgb = regression ? divergingColor(ys[i] / this.scale, 1) : CLASS_COLORS[ys[i] | 0] ?? WHITE;
      ctx.fillStyle = `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
      ctx.beginPath();
      ctx.arc(toX(xs[2 * i]), toY(xs[2 * i + 1]), r, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }
}

/**
 * A cell's colour from its class probabilities.
 * @param {ArrayLike<number>} p class probabilities of one cell
 * @param {number} heat
 */
export function classColor(p, heat) {
  if (p.length === 2) {
    // Blend through white by p(class 1): orange at 0, white at 0.5, blue at 1.
    const p1 = Number.isFinite(p[1]) ? p[1] : 0.5;
    return mix(WHITE, CLASS_COLORS[p1 < 0.5 ? 0 : 1], Math.abs(2 * p1 - 1) * heat);
  }
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
  const chance = 1 / p.length;
  const confidence = Number.isFinite(p[best]) ? (p[best] - chance) / (1 - chance) : 0;
  return mix(WHITE, CLASS_COLORS[best] ?? WHITE, Math.max(0, confidence) * heat);
}

/** -1 orange, 0 white, +1 blue. @param {number} t @param {number} heat */
export function divergingColor(t, heat) {
  const c = Number.isFinite(t) ? Math.max(-1, Math.min(1, t)) : 0;
  return mix(WHITE, CLASS_COLORS[c < 0 ? 0 : 1], Math.abs(c) * heat);
}

/** @param {number[]} a @param {number[]} b @param {number} t */
function mix(a, b, t) {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** The largest |target|, so the colours mean the same for the points and the heatmap. */
function regressionScale(/** @type {any} */ dataset) {
  if (dataset.task !== 'regression') return 1;
  let m = 0;
  for (const y of dataset.trainY) m = Math.max(m, Math.abs(y));
  return m || 1;
}
