// @ts-check
//! Attention maps on a canvas: one head's weights as a heatmap, query rows by key columns, the
//! tokens along the top and the left when they fit; and what lies under the pointer.

/**
 * A sequential blue scale (ColorBrewer "Blues"): weight 0, 0.5, 1. Kept over a viridis-like map
 * because one hue leaves the weight to lightness alone, which protanopia, deuteranopia and
 * tritanopia all keep: its CIELAB lightness falls steadily from white (no weight, like the page)
 * to dark blue, in typical vision and under each simulation (tests/e2e/palette.spec.mjs), as the
 * note "darker = more weight" says.
 */
export const HEATMAP_STOPS = [[247, 251, 255], [107, 174, 214], [8, 48, 107]];
/** Token labels are drawn when a row is at least this tall (CSS px). */
const MIN_LABEL_PX = 9;

/** Where each canvas drew its cells (CSS px), for hovering. @type {WeakMap<HTMLElement, { margin: number, cell: number }>} */
const geometries = new WeakMap();

/**
 * One head's map, with the tokens along the top (keys) and the left (queries) when they fit.
 * @param {HTMLCanvasElement} canvas @param {import('./protocol.js').AttentionEvent} snap
 * @param {number} layer @param {number} head
 */
export function drawHeatmap(canvas, snap, layer, head) {
  const dpr = window.devicePixelRatio || 1;
  const css = canvas.clientWidth || 160;
  const side = Math.round(css * dpr);
  if (canvas.width !== side || canvas.height !== side) {
    canvas.width = side;
    canvas.height = side;
  }
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  const L = snap.length;
  const longest = Math.max(1, ...snap.tokens.map((t) => display(t).length));
  // Room for the labels, if rows would still be tall enough to read them.
  let margin = Math.min(css * 0.3, 8 + 6.5 * Math.min(longest, 6));
  let cell = (css - margin) / L;
  if (cell < MIN_LABEL_PX) {
    margin = 0;
    cell = css / L;
  }
  geometries.set(canvas, { margin, cell });
  canvas.dataset.margin = String(margin);
  canvas.dataset.cell = String(cell);

  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, side, side);
  const image = ctx.createImageData(L, L);
  const base = (layer * snap.heads + head) * L * L;
  for (let i = 0; i < L * L; i++) {
    const [r, g, b] = weightColor(snap.values[base + i]);
    image.data.set([r, g, b, 255], i * 4);
  }
  // One pixel per weight, scaled up without smoothing: crisp cells at any size.
  const small = document.createElement('canvas');
  small.width = L;
  small.height = L;
  /** @type {CanvasRenderingContext2D} */ (small.getContext('2d')).putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, margin * dpr, margin * dpr, L * cell * dpr, L * cell * dpr);
  if (margin === 0) return;

  const font = Math.min(12, cell * 0.8);
  ctx.font = `${font * dpr}px ui-monospace, SFMono-Regular, Menlo, monospace`;
  ctx.fillStyle = '#1d2330';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  const fit = (/** @type {string} */ t) => (t.length > 6 ? `${t.slice(0, 5)}…` : t);
  for (let q = 0; q < L; q++) {
    ctx.fillText(fit(display(snap.tokens[q])), (margin - 3) * dpr, (margin + (q + 0.5) * cell) * dpr);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  for (let k = 0; k < L; k++) {
    const x = (margin + (k + 0.5) * cell) * dpr;
    const t = fit(display(snap.tokens[k]));
    if (t.length <= 2 || ctx.measureText(t).width <= cell * dpr) {
      ctx.fillText(t, x, (margin - 3) * dpr);
    } else {
      // Long labels stand upright above their column.
      ctx.save();
      ctx.translate(x, (margin - 3) * dpr);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'left';
      ctx.textBaseline = 'middle';
      ctx.fillText(t, 0, 0);
      ctx.restore();
    }
  }
}

/**
 * Marks one cell of a canvas drawn by drawHeatmap (the keyboard's cell): a dark frame inside a
 * light one, seen on any weight.
 * @param {HTMLCanvasElement} canvas @param {number} query @param {number} key
 */
export function outlineCell(canvas, query, key) {
  const geometry = geometries.get(canvas);
  const ctx = canvas.getContext('2d');
  if (!geometry || !ctx) return;
  const dpr = canvas.width / (canvas.clientWidth || canvas.width);
  const { margin, cell } = geometry;
  const x = (margin + key * cell) * dpr, y = (margin + query * cell) * dpr, w = cell * dpr;
  const thin = Math.max(1, dpr);
  ctx.lineWidth = 2 * thin;
  ctx.strokeStyle = '#fff';
  ctx.strokeRect(x + thin, y + thin, w - 2 * thin, w - 2 * thin);
  ctx.lineWidth = thin;
  ctx.strokeStyle = '#111';
  ctx.strokeRect(x + thin / 2, y + thin / 2, w - thin, w - thin);
}

/**
 * The query row and key column under a point of a canvas drawn by drawHeatmap, or null.
 * @param {HTMLElement} canvas @param {number} x @param {number} y CSS px from its corner
 * @param {number} length
 */
export function cellAt(canvas, x, y, length) {
  const geometry = geometries.get(canvas);
  if (!geometry) return null;
  const key = Math.floor((x - geometry.margin) / geometry.cell);
  const query = Math.floor((y - geometry.margin) / geometry.cell);
  return key < 0 || query < 0 || key >= length || query >= length ? null : { query, key };
}

/** A weight's colour. @param {number} w a weight in [0, 1] @returns {number[]} */
export function weightColor(w) {
  const t = Number.isFinite(w) ? Math.max(0, Math.min(1, w)) : 0;
  const S = HEATMAP_STOPS;
  const [a, b, u] = t < 0.5 ? [S[0], S[1], t * 2] : [S[1], S[2], t * 2 - 1];
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u];
}

/** Whitespace made visible: a space is '␣', a newline '↵'. @param {string} token */
export function display(token) {
  return String(token ?? '').replace(/ /g, '␣').replace(/\n/g, '↵').replace(/\t/g, '⇥');
}

/** FNV-1a over the bits of the values: any change of any weight changes it. @param {Float32Array} values */
export function checksum(values) {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) {
    h ^= bits[i];
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
