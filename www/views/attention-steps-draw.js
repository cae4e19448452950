// @ts-check
//! The cells of the step-by-step view (attention-steps.js): a strip of numbers, one per key or
//! per dimension, and a matrix of vectors, one row per position. Each cell's colour is its
//! value: signed numbers on the decision boundary's diverging map (orange below 0, white at 0,
//! blue above, scaled by the largest |value| shown), weights on the heatmap's blues; a masked
//! cell is hatched grey. Every cell names its number in a title (hover) and in `data-value`;
//! the keyboard reads them through the group's one tab stop (arrow keys, Home, End), where
//! each cell or row carries its words as an aria-label.

import { divergingColor } from './decision-boundary.js';
import { display, weightColor } from '../heatmap.js';

/** How far the diverging map goes from white (the decision boundary's heat, a little stronger). */
const HEAT = 0.85;

/** A number as the view writes it. @param {number} v */
export function formatNumber(v) {
  if (!Number.isFinite(v)) return v < 0 ? '−∞' : String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(2) : v.toFixed(3);
}

/** The largest |v| of `values`, 1 when all are 0. @param {ArrayLike<number>} values */
export function largest(values) {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) m = Math.max(m, Math.abs(values[i]));
  return m || 1;
}

/** @param {number[]} rgb */
const css = (rgb) => `rgb(${rgb.map((c) => Math.round(c)).join(', ')})`;

/** Whether text on `colour` (an `rgb(…)` of ours) should be white: WCAG relative luminance below 0.179, where white and black contrast alike (4.6:1). @param {string} colour */
export function dark(colour) {
  const [r, g, b] = (colour.match(/\d+/g) ?? []).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.179;
}

/** A signed value's colour, `scale` the |value| of full colour. @param {number} v @param {number} scale */
export const signedColour = (v, scale) => css(divergingColor(v / scale, HEAT));
/** A weight's colour. @param {number} w */
export const weightColour = (w) => css(weightColor(w));

/**
 * @typedef {{ value: number, label: string, colour: string, masked?: boolean, text?: string }} Cell
 *   label: the cell's words (title and aria-label); text: what the cell shows, if anything.
 */

/**
 * A row of cells as one keyboard group (a roving tab stop).
 * @param {Cell[]} cells @param {string} name the group's words @param {number} focus the cell with the tab stop
 * @returns {HTMLElement}
 */
export function strip(cells, name, focus = 0) {
  const row = document.createElement('div');
  row.className = 'step-strip step-group';
  row.setAttribute('role', 'group');
  row.setAttribute('aria-label', name);
  row.style.gridTemplateColumns = `repeat(${cells.length}, minmax(0, 1fr))`;
  cells.forEach((c, i) => {
    const cell = document.createElement('span');
    cell.className = c.masked ? 'step-cell masked' : 'step-cell';
    cell.setAttribute('role', 'img');
    cell.setAttribute('aria-label', c.label);
    cell.title = c.label;
    cell.dataset.value = String(c.value);
    cell.dataset.index = String(i);
    if (c.masked) cell.dataset.masked = 'true';
    cell.tabIndex = i === focus ? 0 : -1;
    if (!c.masked) {
      cell.style.background = c.colour;
      // Black or white, not the page's ink: the ink on mid blue is under 4.5:1.
      cell.style.color = dark(c.colour) ? '#fff' : '#000';
    }
    if (c.text !== undefined) cell.textContent = c.text;
    row.append(cell);
  });
  return row;
}

/**
 * Vectors, one row per position, each row one keyboard stop in the group (its numbers in its
 * aria-label), each cell its own title.
 * @param {{ token: string, values: Float32Array, label: string, cellLabel: (dim: number, value: string) => string }[]} rows
 * @param {string} name the group's words
 * @returns {HTMLElement}
 */
export function matrix(rows, name) {
  const box = document.createElement('div');
  box.className = 'step-matrix step-group';
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', name);
  let scale = 0;
  for (const r of rows) scale = Math.max(scale, largest(r.values));
  rows.forEach((r, j) => {
    const row = document.createElement('div');
    row.className = 'step-row step-cell';
    row.dataset.index = String(j);
    row.setAttribute('role', 'img');
    row.setAttribute('aria-label', r.label);
    row.tabIndex = j === 0 ? 0 : -1;
    const token = document.createElement('code');
    token.className = 'step-token';
    token.textContent = `${j} ${display(r.token)}`;
    const cells = document.createElement('span');
    cells.className = 'step-vector';
    cells.style.gridTemplateColumns = `repeat(${r.values.length}, minmax(0, 1fr))`;
    r.values.forEach((v, d) => {
      const cell = document.createElement('span');
      cell.title = r.cellLabel(d, formatNumber(v));
      cell.style.background = signedColour(v, scale);
      cells.append(cell);
    });
    row.append(token, cells);
    box.append(row);
  });
  return box;
}

/**
 * The arrow keys, Home and End move the tab stop inside a group. @param {KeyboardEvent} e
 */
export function moveInGroup(e) {
  const from = /** @type {HTMLElement} */ (e.target);
  const group = from.closest('.step-group');
  if (!group || !from.classList.contains('step-cell')) return;
  const cells = /** @type {HTMLElement[]} */ ([...group.querySelectorAll(':scope > .step-cell')]);
  const at = cells.indexOf(from);
  const to = { ArrowLeft: at - 1, ArrowUp: at - 1, ArrowRight: at + 1, ArrowDown: at + 1, Home: 0, End: cells.length - 1 }[e.key];
  if (to === undefined) return;
  e.preventDefault();
  const next = cells[Math.max(0, Math.min(cells.length - 1, to))];
  for (const c of cells) c.tabIndex = c === next ? 0 : -1;
  next.focus();
}
