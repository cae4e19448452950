// @ts-check
//! The network diagram's pictures and geometry (views/network-diagram.js draws with them): a
//! hidden unit's output over the input plane in the decision boundary's diverging map, an output
//! unit's class probability or value, a unit's histogram over a table's test rows, the links on
//! one canvas (and which one lies under the pointer), and where each column and cell sits.

import { CLASS_COLORS, HEAT } from './views/decision-boundary.js';

/** Side of a cell, CSS px. */
export const CELL = 32;
/** Gap between cells of a column, CSS px. */
export const GAP = 6;
/** Room for a column's heading above its cells, CSS px. */
export const HEAD = 20;
/** The least room between columns, so links stay readable on a narrow page, CSS px. */
const MIN_SPAN = 72;
/** Okabe–Ito blue for a positive weight, orange for a negative (the page's class colours). */
export const POSITIVE = `rgb(${CLASS_COLORS[1].join(', ')})`;
export const NEGATIVE = `rgb(${CLASS_COLORS[0].join(', ')})`;

/**
 * Where each column sits: its x, and each drawn cell's y (CSS px), columns centred vertically.
 * @param {{ drawn: number, units: number }[]} layers @param {number} width the room available
 * @param {number} labels room left of the inputs for their names (CSS px)
 * @returns {{ width: number, height: number, x: number[], y: (layer: number, unit: number) => number }}
 */
export function layout(layers, width, labels = 0) {
  const pad = 8;
  const columns = layers.length;
  const total = Math.max(width, pad * 2 + labels + CELL + (columns - 1) * MIN_SPAN);
  const span = columns > 1 ? (total - 2 * pad - labels - CELL) / (columns - 1) : 0;
  const heightOf = (/** @type {{ drawn: number, units: number }} */ l) =>
    l.drawn * (CELL + GAP) + (l.units > l.drawn ? 18 : 0);
  const tallest = Math.max(...layers.map(heightOf));
  const top = layers.map((l) => HEAD + (tallest - heightOf(l)) / 2);
  return {
    width: total,
    height: HEAD + tallest + 4,
    x: layers.map((_, c) => pad + labels + c * span),
    y: (layer, unit) => top[layer] + unit * (CELL + GAP),
  };
}

/** The largest |value| of `values` (1 where all are 0), the scale of a layer's pictures. @param {ArrayLike<number>} values */
export function scaleOf(values) {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) m = Math.max(m, Math.abs(values[i]));
  return m || 1;
}

/** Each cell's pixels, kept from one draw to the next. @type {WeakMap<HTMLCanvasElement, ImageData>} */
const images = new WeakMap();
/** Link widths are drawn in this many steps, one path each per sign: a few strokes per draw. */
const WIDTHS = 8;

/**
 * A picture of `side`² cells (row-major from the top, as the boundary's grid) into `canvas`, one
 * pixel per cell (the page scales it up): cell i goes from white towards `colourOf(i)` by
 * `amountOf(i)` in [0, 1]. No allocation per pixel: it is painted at every evaluation.
 * @param {HTMLCanvasElement} canvas @param {number} side
 * @param {(i: number) => number[]} colourOf @param {(i: number) => number} amountOf
 */
function paint(canvas, side, colourOf, amountOf) {
  const [ctx, image] = imageOf(canvas, side);
  const px = image.data;
  for (let i = 0; i < side * side; i++) {
    const c = colourOf(i);
    const a = amountOf(i) * HEAT;
    px[4 * i] = 255 + (c[0] - 255) * a;
    px[4 * i + 1] = 255 + (c[1] - 255) * a;
    px[4 * i + 2] = 255 + (c[2] - 255) * a;
    px[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

/** The canvas sized `side`², its context and its pixels. @param {HTMLCanvasElement} canvas @param {number} side @returns {[CanvasRenderingContext2D, ImageData]} */
function imageOf(canvas, side) {
  if (canvas.width !== side || canvas.height !== side) {
    canvas.width = side;
    canvas.height = side;
  }
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  let image = images.get(canvas);
  if (!image || image.width !== side) {
    image = ctx.createImageData(side, side);
    images.set(canvas, image);
  }
  return [ctx, image];
}

/** @param {number} t @returns {number} in [-1, 1], 0 for what is not finite */
const clamp = (t) => (Number.isFinite(t) ? Math.max(-1, Math.min(1, t)) : 0);

/**
 * Hidden unit `u` of a layer's outputs over the plane, in the boundary's diverging map: orange
 * below 0, white at 0, blue above, by `scale`.
 * @param {HTMLCanvasElement} canvas @param {Float32Array} values the layer's [side², drawn]
 * @param {number} u @param {number} drawn @param {number} side @param {number} scale
 */
export function paintUnit(canvas, values, u, drawn, side, scale) {
  // The hot loop of a draw (every hidden cell, every pixel): written out, no call per pixel.
  const [ctx, image] = imageOf(canvas, side);
  const px = image.data;
  const [neg, pos] = CLASS_COLORS;
  const inverse = 1 / scale;
  for (let i = 0; i < side * side; i++) {
    const v = values[i * drawn + u];
    const a = Number.isFinite(v) ? Math.min(1, Math.abs(v) * inverse) * HEAT : 0;
    const c = v < 0 ? neg : pos;
    px[4 * i] = 255 + (c[0] - 255) * a;
    px[4 * i + 1] = 255 + (c[1] - 255) * a;
    px[4 * i + 2] = 255 + (c[2] - 255) * a;
    px[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

/**
 * Output unit `k` over the plane: class k's probability from white to its colour, or the value
 * (regression, one output) in the diverging map by `scale`.
 * @param {HTMLCanvasElement} canvas @param {Float32Array} values [side², outputs]
 * @param {number} side @param {number} outputs @param {number} k @param {boolean} regression @param {number} scale
 */
export function paintOutput(canvas, values, side, outputs, k, regression, scale) {
  if (regression) {
    paint(canvas, side, (i) => CLASS_COLORS[values[i * outputs] < 0 ? 0 : 1], (i) => Math.abs(clamp(values[i * outputs] / scale)));
    return;
  }
  const c = CLASS_COLORS[k % CLASS_COLORS.length];
  paint(canvas, side, () => c, (i) => Math.max(0, clamp(values[i * outputs + k])));
}

/**
 * The links between the columns on one canvas behind the cells: blue for a positive weight,
 * orange for a negative, as wide as |w| against the largest of its link layer.
 * @param {HTMLCanvasElement} canvas @param {ReturnType<typeof layout>} geo
 * @param {{ drawn: number }[]} layers @param {(l: number) => Float32Array} weightsOf
 */
export function drawLinks(canvas, geo, layers, weightsOf) {
  const dpr = window.devicePixelRatio || 1;
  const [w, h] = [Math.round(geo.width * dpr), Math.round(geo.height * dpr)];
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  canvas.style.width = `${geo.width}px`;
  canvas.style.height = `${geo.height}px`;
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, geo.width, geo.height);
  ctx.globalAlpha = 0.75;
  // Links grouped by sign and width step: one path each, so a draw is a few strokes, not hundreds.
  const paths = Array.from({ length: 2 * WIDTHS }, () => new Path2D());
  for (let l = 0; l + 1 < layers.length; l++) {
    const weights = weightsOf(l);
    const scale = scaleOf(weights);
    const out = layers[l + 1].drawn;
    for (let k = 0; k < weights.length; k++) {
      const [x1, y1, x2, y2] = linkEnds(geo, l, Math.floor(k / out), k % out);
      const step = Math.min(WIDTHS - 1, Math.floor((WIDTHS * Math.abs(weights[k])) / scale));
      const path = paths[(weights[k] >= 0 ? 0 : WIDTHS) + (Number.isFinite(step) ? step : 0)];
      path.moveTo(x1, y1);
      path.lineTo(x2, y2);
    }
  }
  paths.forEach((path, p) => {
    ctx.strokeStyle = p < WIDTHS ? POSITIVE : NEGATIVE;
    ctx.lineWidth = 0.4 + (3.6 * ((p % WIDTHS) + 0.5)) / WIDTHS;
    ctx.stroke(path);
  });
  ctx.globalAlpha = 1;
}

/**
 * The ends of the link from unit i of layer l to unit j of layer l + 1, CSS px.
 * @param {ReturnType<typeof layout>} geo @param {number} l @param {number} i @param {number} j
 */
function linkEnds(geo, l, i, j) {
  return [geo.x[l] + CELL, geo.y(l, i) + CELL / 2, geo.x[l + 1], geo.y(l + 1, j) + CELL / 2];
}

/**
 * The link nearest to (x, y) within 4 CSS px, or null: {l, i, j}.
 * @param {ReturnType<typeof layout>} geo @param {{ drawn: number }[]} layers @param {number} x @param {number} y
 */
export function linkAt(geo, layers, x, y) {
  let best = null, bestD = 4;
  for (let l = 0; l + 1 < layers.length; l++) {
    if (x < geo.x[l] + CELL || x > geo.x[l + 1]) continue;
    for (let i = 0; i < layers[l].drawn; i++) {
      for (let j = 0; j < layers[l + 1].drawn; j++) {
        const [x1, y1, x2, y2] = linkEnds(geo, l, i, j);
        const t = Math.max(0, Math.min(1, ((x - x1) * (x2 - x1) + (y - y1) * (y2 - y1)) / ((x2 - x1) ** 2 + (y2 - y1) ** 2)));
        const d = Math.hypot(x - (x1 + t * (x2 - x1)), y - (y1 + t * (y2 - y1)));
        if (d < bestD) [best, bestD] = [{ l, i, j }, d];
      }
    }
  }
  return best;
}

/**
 * A unit's histogram over the test rows: one bar per bin, as tall as its share of the fullest
 * bin; a dead unit's bars grey. Large (`labels`): its range written under it.
 * @param {HTMLCanvasElement} canvas @param {ArrayLike<number>} bins @param {boolean} dead
 * @param {{ lo: string, hi: string } | null} labels
 */
export function paintHistogram(canvas, bins, dead, labels) {
  const dpr = window.devicePixelRatio || 1;
  const css = canvas.clientWidth || CELL;
  const side = Math.round(css * dpr);
  if (canvas.width !== side || canvas.height !== side) {
    canvas.width = side;
    canvas.height = side;
  }
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, side, side);
  const foot = labels ? 18 * dpr : 0;
  const n = bins.length;
  let most = 0;
  for (let b = 0; b < n; b++) most = Math.max(most, bins[b]);
  const w = side / n;
  const room = side - foot - 2 * dpr;
  ctx.fillStyle = dead ? '#9aa3ad' : POSITIVE;
  for (let b = 0; b < n; b++) {
    const h = most > 0 ? (bins[b] / most) * room : 0;
    ctx.fillRect(b * w + 0.5 * dpr, side - foot - h, Math.max(1, w - dpr), h);
  }
  if (!labels) return;
  ctx.fillStyle = '#1d2330';
  ctx.font = `${12 * dpr}px system-ui, sans-serif`;
  ctx.textBaseline = 'bottom';
  ctx.textAlign = 'left';
  ctx.fillText(labels.lo, 2 * dpr, side - 2 * dpr);
  ctx.textAlign = 'right';
  ctx.fillText(labels.hi, side - 2 * dpr, side - 2 * dpr);
}

/**
 * A label in a cell (an output of a table's classes): its text, cut to fit.
 * @param {HTMLCanvasElement} canvas @param {string} text
 */
export function paintLabel(canvas, text) {
  const dpr = window.devicePixelRatio || 1;
  const side = Math.round((canvas.clientWidth || CELL) * dpr);
  canvas.width = side;
  canvas.height = side;
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, side, side);
  ctx.fillStyle = '#1d2330';
  ctx.font = `${Math.max(9, side / dpr / 4) * dpr}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text.length > 5 ? `${text.slice(0, 4)}…` : text, side / 2, side / 2, side - 2 * dpr);
}
