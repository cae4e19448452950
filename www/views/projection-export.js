// @ts-check
//! What the projection view hands the user: a frame as CSV (each point's coordinates, label and
//! colourings) or as the PNG of its canvas, and the list of a clicked point's nearest neighbours.

import { t } from '../i18n.js';

/**
 * @typedef {{ key: string, method: string, step: number, coords: Float32Array,
 *             indices: ArrayLike<number> | null }} Frame
 * @typedef {import('../protocol.js').ProjectionLabelsEvent} Labels
 */

/** The frame's file name, without extension. @param {Frame} frame @param {string} source */
function fileName(frame, source) {
  return `kindling-projection-${source.replace(':', '')}-${frame.method}-step${frame.step}`;
}

/** Downloads `frame` with its labels as CSV. @param {Frame} frame @param {Labels} labels @param {string} source */
export function exportCsv(frame, labels, source) {
  const { coords, indices } = frame;
  const colourings = labels.colourings;
  const quote = (/** @type {string} */ s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [['index', 'x', 'y', 'label', ...colourings.map((c) => c.by)].join(',')];
  for (let p = 0; p < coords.length / 2; p++) {
    const i = indices ? indices[p] : p;
    lines.push([i, coords[2 * p], coords[2 * p + 1], quote(labels.labels[i] ?? ''),
      ...colourings.map((c) => quote(c.names[c.values[i]] ?? ''))].join(','));
  }
  download(new Blob([`${lines.join('\n')}\n`], { type: 'text/csv' }), `${fileName(frame, source)}.csv`);
}

/** Downloads the canvas that shows `frame` as PNG. @param {HTMLCanvasElement} canvas @param {Frame} frame @param {string} source */
export function exportPng(canvas, frame, source) {
  canvas.toBlob((blob) => blob && download(blob, `${fileName(frame, source)}.png`), 'image/png');
}

/**
 * The `neighbours` of a point as a title and a numbered list with their similarities.
 * @param {import('../protocol.js').NeighboursEvent} event @param {Labels} labels @param {number} dims
 * @returns {HTMLElement[]}
 */
export function neighbourItems(event, labels, dims) {
  const label = (/** @type {number} */ i) => labels.labels[i] ?? t('projection.point', { index: String(i) });
  const title = document.createElement('p');
  title.textContent = t('projection.nearestTitle', { label: label(event.index), dims: String(dims), step: String(event.step) });
  const list = document.createElement('ol');
  event.indices.forEach((j, r) => {
    const item = document.createElement('li');
    item.dataset.index = String(j);
    item.textContent = `${label(j)} `;
    const sim = document.createElement('span');
    sim.className = 'similarity';
    sim.textContent = event.similarities[r].toFixed(3);
    item.append(sim);
    list.append(item);
  });
  return [title, list];
}

/** @param {Blob} blob @param {string} name */
function download(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
