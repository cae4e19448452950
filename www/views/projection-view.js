// @ts-check
//! The projection view (issue 4, docs/projection.md): what a model has learned, in 2-D. The
//! MLP's last hidden layer for each test point; a transformer's token embeddings, or one block's
//! output at each position of the test sequences. PCA comes from the training worker (the wasm
//! core, on the session's device) every N steps; UMAP and t-SNE run in www/projection-worker.js,
//! at their own pace, on the vectors the training worker reads back, and the view says how old
//! their frame is. Hover a point for its label; click it for its nearest neighbours by cosine
//! similarity in the original space; search; colour by label; export CSV and PNG.
//! It works only while open (a closed view costs training nothing).
//! From the keyboard: the canvas is focusable; the arrow keys step through the points (the
//! search's matches when there is a search), Home and End go to the first and the last, Escape
//! drops the choice; the point chosen is named in the canvas's label and the tooltip, and its
//! nearest neighbours are listed as a click lists them.
//! `#projection-canvas` carries what it shows: data-key, data-method, data-step, data-points
//! (points drawn), data-frames (frames drawn so far), data-probe ("x,y": CSS px of one drawn
//! point, for tests), data-busy (the projection worker has a frame to finish), data-named (how
//! many points have their label written beside them: all of them up to MAX_NAMED, else none).

import { ProjectionClient } from '../projection-client.js';
import { ProjectionPlot } from '../projection-plot.js';
import { exportCsv, exportPng, neighbourItems } from './projection-export.js';
import { findPoints, isStepKey, nextStop } from './projection-find.js';
import { CLASS_COLORS } from './decision-boundary.js';
import { onLanguageChange, t } from '../i18n.js';

const NEIGHBOURS = 10;
/** Up to this many points, each is labelled on the plot (a vocabulary's tokens, say). */
export const MAX_NAMED = 40;
const METHOD_NAMES = { pca: 'PCA', umap: 'UMAP', tsne: 't-SNE' };

/**
 * A point's colour by its class, token, label, target or position: the first eight values in
 * the decision boundary's Okabe–Ito colours (apart with any common colour-vision deficiency:
 * tests/e2e/palette.spec.mjs; the category10 colours before them were not), the rest around the
 * hue circle by the golden angle, which no palette keeps apart past a dozen, so search and the
 * neighbours list name them.
 * @param {number} value
 */
export function colourOf(value) {
  if (value < CLASS_COLORS.length) return `rgb(${CLASS_COLORS[value].join(', ')})`;
  return `hsl(${(value * 137.508) % 360}, 62%, 46%)`;
}

export class ProjectionView {
  /** @param {HTMLElement} container */
  constructor(container) {
    /** Called with a training-worker command (projection, neighbours). */
    this.onCommand = (/** @type {any} */ _command) => {};
    const $ = (/** @type {string} */ sel) => /** @type {any} */ (container.querySelector(sel));
    /** @type {HTMLDetailsElement} */ this.details = $('#projection-details');
    /** @type {HTMLSelectElement} */ this.source = $('#projection-source');
    /** @type {HTMLSelectElement} */ this.method = $('#projection-method');
    /** @type {HTMLSelectElement} */ this.colourBy = $('#projection-colour');
    /** @type {HTMLInputElement} */ this.every = $('#projection-every');
    /** @type {HTMLInputElement} */ this.search = $('#projection-search');
    /** @type {HTMLCanvasElement} */ this.canvas = $('#projection-canvas');
    /** @type {HTMLElement} */ this.status = $('#projection-status');
    /** @type {HTMLElement} */ this.variance = $('#projection-variance');
    /** @type {HTMLElement} */ this.matches = $('#projection-matches');
    /** @type {HTMLElement} */ this.tooltip = $('#projection-tooltip');
    /** @type {HTMLElement} */ this.neighbourList = $('#projection-neighbours');
    /** @type {Record<string, HTMLInputElement>} */
    this.params = {
      neighbors: $('#projection-neighbors'), minDist: $('#projection-min-dist'),
      perplexity: $('#projection-perplexity'), iterations: $('#projection-iterations'),
    };
    this.container = container;
    this.plot = new ProjectionPlot(this.canvas);
    /** The source index of the point chosen (clicked or stepped to), or -1. */
    this.selected = -1;
    /** The chosen point in words (the canvas's label while the keys choose). */
    this.chosenLabel = '';
    this.mode = 'points';
    this.layers = 1;
    this.nowStep = 0;
    this.frames = 0;
    /** the dimension of the vectors projected */
    this.dims = 0;
    /** runs UMAP and t-SNE on the newest vectors */
    this.client = new ProjectionClient({
      frame: (frame) => this.setFrame(frame),
      error: (message) => { this.error = message; this.showStatus(); },
      idle: () => this.showStatus(),
    });
    /** what the last request asked for, but its interval */
    this.requested = '';

    this.details.addEventListener('toggle', () => this.request());
    for (const control of [this.source, this.method, this.every, ...Object.values(this.params)]) {
      control.addEventListener('change', () => this.request());
    }
    this.colourBy.addEventListener('change', () => this.restyle());
    this.search.addEventListener('input', () => this.restyle());
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => { this.tooltip.hidden = true; });
    this.canvas.addEventListener('click', (e) => this.click(e));
    this.canvas.addEventListener('keydown', (e) => this.key(e));
    this.canvas.addEventListener('blur', () => { this.tooltip.hidden = true; });
    $('#projection-csv').addEventListener('click', () => {
      if (this.frame && this.labels) exportCsv(this.frame, this.labels, this.source.value);
    });
    $('#projection-png').addEventListener('click', () => {
      if (this.frame) exportPng(this.canvas, this.frame, this.source.value);
    });
    new ResizeObserver(() => { this.plot.resize(); this.plot.draw(); this.probe(); }).observe(this.canvas);
    onLanguageChange(() => {
      this.fillSources();
      if (this.labels) this.fillColourings(this.labels);
      this.showVariance();
      this.showStatus();
      this.restyle();
      if (this.neighbours && this.labels) this.neighbourList.replaceChildren(...neighbourItems(/** @type {any} */ (this.neighbours), this.labels, this.dims));
    });
    this.fillSources();
    this.reset();
  }

  /** A new model: no frame, no labels yet. */
  reset() {
    /** @type {any} */ this.labels = null;
    /** @type {any} */ this.frame = null;
    this.selected = -1;
    this.canvas.setAttribute('aria-label', t('projection.canvas'));
    /** @type {{ index: number, indices: number[], similarities: number[] } | null} */ this.neighbours = null;
    this.error = '';
    this.client.cancel();
    this.plot.clear();
    Object.assign(this.canvas.dataset, { key: '', method: '', step: '', points: '0', probe: '' });
    this.neighbourList.hidden = true;
    this.variance.textContent = '';
    this.showStatus();
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'mode':
        this.mode = event.mode;
        this.fillSources();
        this.request();
        break;
      case 'settings':
        if (this.mode === 'sequences' && event.settings?.model?.layers !== this.layers) {
          const before = this.source.value;
          this.layers = Number(event.settings?.model?.layers) || 1;
          this.fillSources();
          if (this.source.value !== before) this.request();
        }
        break;
      case 'session': this.reset(); this.nowStep = event.step; break;
      case 'progress': this.nowStep = event.step; this.showStatus(); break;
      case 'projectionLabels': this.setLabels(event); break;
      case 'projection': this.dims = event.dims; this.setFrame({ ...event, indices: null, partial: false }); break;
      case 'projectionVectors': this.dims = event.dims; this.queueVectors(event); break;
      case 'neighbours': this.setNeighbours(event); break;
      case 'projectionError': this.error = event.message; this.showStatus(); break;
    }
  }

  get open() { return this.details.open; }

  /** The source choices of the mode in force. */
  fillSources() {
    const before = this.source.value;
    const options = this.mode === 'points'
      ? [['hidden', t('projection.sourceHidden')]]
      : [['embedding', t('projection.sourceEmbedding')],
        ...Array.from({ length: this.layers }, (_, b) => [`block:${b}`, t('projection.sourceBlock', { block: b + 1 })])];
    this.source.replaceChildren(...options.map(([value, text]) => new Option(text, value)));
    if (options.some(([v]) => v === before)) this.source.value = before;
  }

  /** Tells the training worker what to project (or that the view is closed). */
  request() {
    const method = /** @type {'pca' | 'umap' | 'tsne'} */ (this.method.value);
    this.container.dataset.method = method;
    const [source, block] = this.source.value.split(':');
    // Other vectors or parameters: the projection worker drops its run (it says `done` when it
    // has stopped, and only then gets the next). A new interval alone changes nothing there.
    const what = JSON.stringify([this.open, this.source.value, method,
      ...Object.values(this.params).map((p) => p.value)]);
    if (what !== this.requested) {
      this.requested = what;
      this.client.cancel();
    }
    this.onCommand({
      type: 'projection', enabled: this.open, source, block: Number(block ?? 0), method,
      every: Math.max(1, Math.floor(Number(this.every.value) || 100)),
    });
    this.showStatus();
  }

  /** @param {any} event */
  setLabels(event) {
    const before = this.labels?.colourings?.[Number(this.colourBy.value)]?.by;
    this.labels = event;
    this.fillColourings(event);
    const again = event.colourings.findIndex((/** @type {any} */ c) => c.by === before);
    this.colourBy.value = String(again >= 0 ? again : event.colourings.length ? 0 : -1);
    this.selected = -1;
    this.neighbours = null;
    this.neighbourList.hidden = true;
    this.restyle();
  }

  /** The colourings of `labels` ("class", "token", …, worded) and none. @param {any} labels */
  fillColourings(labels) {
    const value = this.colourBy.value;
    this.colourBy.replaceChildren(...labels.colourings.map((/** @type {any} */ c, /** @type {number} */ i) =>
      new Option(t(`projection.by.${c.by}`), String(i))), new Option(t('projection.byNone'), '-1'));
    if (value) this.colourBy.value = value;
  }

  /** The variance each principal component explains (PCA's frames). */
  showVariance() {
    const explained = this.frame?.explained;
    this.variance.textContent = explained
      ? t('projection.variance', {
        components: Array.from(explained, (/** @type {number} */ v, /** @type {number} */ i) => `PC${i + 1} ${(100 * v).toFixed(1)}%`)
          .join(t('list.separator')),
      })
      : '';
  }

  /** @param {any} frame { key, method, step, coords, indices, explained?, partial, iteration?, iterations? } */
  setFrame(frame) {
    if (!this.labels || frame.key !== this.labels.key || frame.method !== this.method.value) return;
    this.frame = frame;
    this.error = '';
    this.frames += 1;
    this.plot.setFrame(frame.coords, frame.indices);
    Object.assign(this.canvas.dataset, {
      key: frame.key, method: frame.method, step: String(frame.step),
      points: String(frame.coords.length / 2), frames: String(this.frames),
    });
    this.showVariance();
    this.probe();
    this.showStatus();
  }

  /** Where one drawn point is, for tests (after the points settle). */
  probe() {
    if (!this.frame) return;
    const first = this.frame.indices ? this.frame.indices[0] : 0;
    const at = this.plot.target ? [this.plot.target[0], this.plot.target[1]] : this.plot.screenOf(first);
    this.canvas.dataset.probe = at ? `${at[0].toFixed(1)},${at[1].toFixed(1)}` : '';
  }

  /** UMAP / t-SNE: hand the newest vectors to the projection worker when it is free. @param {any} event */
  queueVectors(event) {
    if (!this.open || event.method !== this.method.value) return;
    this.client.queue(event, () => (event.method === 'umap'
      ? { neighbors: Number(this.params.neighbors.value), minDist: Number(this.params.minDist.value) }
      : { perplexity: Number(this.params.perplexity.value), iterations: Number(this.params.iterations.value) }));
    this.showStatus();
  }

  showStatus() {
    // For tests and tools: whether the projection worker has a frame still to come.
    this.canvas.dataset.busy = String(this.client.waiting);
    const method = METHOD_NAMES[/** @type {'pca'} */ (this.method.value)] ?? '';
    let text;
    if (!this.open) text = '';
    else if (this.error) text = `${method}: ${this.error}`;
    else if (!this.frame) {
      text = t(this.client.busy ? 'projection.computing' : 'projection.waiting', { method });
    } else {
      const f = this.frame;
      const shown = f.coords.length / 2;
      const of = this.labels && shown < this.labels.count ? t('projection.sample', { count: String(this.labels.count) }) : '';
      text = t('projection.status', {
        method, points: String(shown), of, dims: String(this.dims), step: String(f.step), now: String(this.nowStep),
      });
      if (f.partial) text += t('projection.iterating', { iteration: String(f.iteration), iterations: String(f.iterations) });
    }
    this.status.textContent = text;
  }

  restyle() {
    const c = Number(this.colourBy.value);
    const colouring = this.labels?.colourings?.[c] ?? null;
    const query = this.search.value.trim();
    /** @type {Set<number> | null} */
    let matched = null;
    if (query && this.labels) matched = findPoints(this.labels, query);
    this.matches.textContent = matched ? t('projection.matches', { count: matched.size }) : '';
    const named = Boolean(this.labels && this.labels.labels.length <= MAX_NAMED);
    this.canvas.dataset.named = String(named ? this.labels.labels.length : 0);
    this.plot.setStyle({
      colour: colouring ? (i) => colourOf(colouring.values[i]) : () => '#3b6ea8',
      dimmed: matched ? (i) => !matched.has(i) : () => false,
      rings: matched && matched.size <= 200 ? matched : new Set(this.neighbours?.indices ?? []),
      selected: this.selected,
      lines: this.neighbours?.indices ?? [],
      // Few enough points to read their names: each is written beside its point.
      names: named ? (i) => this.labels.labels[i] : null,
    });
  }

  /** @param {MouseEvent} e */
  pointAt(e) {
    const box = this.canvas.getBoundingClientRect();
    return this.plot.pick(e.clientX - box.left, e.clientY - box.top);
  }

  /** @param {MouseEvent} e */
  hover(e) {
    const i = this.pointAt(e);
    if (i < 0 || !this.labels) { this.tooltip.hidden = true; return; }
    this.tooltip.textContent = this.labels.labels[i] ?? t('projection.point', { index: String(i) });
    this.tooltip.dataset.index = String(i);
    const host = /** @type {HTMLElement} */ (this.tooltip.offsetParent ?? this.container).getBoundingClientRect();
    this.tooltip.style.left = `${e.clientX - host.left + 12}px`;
    this.tooltip.style.top = `${e.clientY - host.top + 12}px`;
    this.tooltip.hidden = false;
  }

  /** @param {MouseEvent} e */
  click(e) {
    this.select(this.pointAt(e));
  }

  /** The points the keys step through, in their order in the frame. @returns {number[]} */
  stops() {
    const all = Array.from({ length: this.plot.count }, (_, p) => this.plot.sourceIndex(p));
    const query = this.search.value.trim();
    if (!query || !this.labels) return all;
    const matched = findPoints(this.labels, query);
    return matched.size ? all.filter((i) => matched.has(i)) : all;
  }

  /** @param {KeyboardEvent} e */
  key(e) {
    if (e.key === 'Escape' && this.selected >= 0) {
      e.preventDefault();
      this.select(-1);
      return;
    }
    if (!isStepKey(e.key) || !this.frame || !this.labels) return;
    e.preventDefault();
    const stops = this.stops();
    const next = nextStop(stops, this.selected, e.key);
    if (next < 0) return;
    this.select(stops[next]);
    this.showChosen(next, stops.length);
    this.canvas.dataset.chosen = String(stops[next]);
  }

  /** The point chosen by the keys: in the canvas's label and the tooltip, beside the point. @param {number} at @param {number} of */
  showChosen(at, of) {
    const i = this.selected;
    const label = this.labels?.labels[i] ?? t('projection.point', { index: i });
    /** The chosen point in words, before its neighbours are known. */
    this.chosenLabel = t('projection.chosen', { at: at + 1, of, label });
    this.canvas.setAttribute('aria-label', `${this.chosenLabel} ${t('projection.chosenListed')}`);
    const where = this.plot.screenOf(i);
    this.tooltip.textContent = label;
    this.tooltip.dataset.index = String(i);
    if (where) {
      const host = /** @type {HTMLElement} */ (this.tooltip.offsetParent ?? this.container).getBoundingClientRect();
      const box = this.canvas.getBoundingClientRect();
      this.tooltip.style.left = `${box.left - host.left + where[0] + 12}px`;
      this.tooltip.style.top = `${box.top - host.top + where[1] + 12}px`;
    }
    this.tooltip.hidden = false;
  }

  /** Chooses a point (-1: none) and asks for its nearest neighbours. @param {number} i */
  select(i) {
    this.selected = i;
    this.neighbours = null;
    this.restyle();
    if (i < 0) this.canvas.setAttribute('aria-label', t('projection.canvas'));
    if (i < 0 || !this.frame) { this.neighbourList.hidden = true; return; }
    this.neighbourList.hidden = false;
    this.neighbourList.textContent = t('projection.nearest', { label: this.labels?.labels[i] ?? String(i) });
    this.onCommand({ type: 'neighbours', key: this.frame.key, step: this.frame.step, index: i, k: NEIGHBOURS });
  }

  /** @param {any} event */
  setNeighbours(event) {
    if (event.index !== this.selected || !this.labels) return;
    this.neighbours = event;
    this.neighbourList.replaceChildren(...neighbourItems(event, this.labels, this.dims));
    // Said with the point when the keys chose it (a screen reader reads the label of the focus).
    if (document.activeElement === this.canvas) {
      const names = event.indices.slice(0, 3).map((/** @type {number} */ j) => this.labels.labels[j] ?? t('projection.point', { index: j }));
      this.canvas.setAttribute('aria-label', `${this.chosenLabel} ${t('projection.chosenNearest', { names: names.join(t('list.separator')) })}`);
    }
    this.restyle();
  }
}
