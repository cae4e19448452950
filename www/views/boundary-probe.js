// @ts-check
//! The network's output at a point of the plane (issue 19, item 1, points mode): click the
//! decision boundary, or focus it and move a cross with the arrow keys and press Enter, and the
//! worker runs the model in force at that point; the class probabilities (or the value) are
//! written under the plane, in the page's language, and the point is marked.

import { t, onLanguageChange } from '../i18n.js';

/** How far one arrow key moves the cross, as a share of the plane's side. */
const KEY_STEP = 0.05;

export class BoundaryProbe {
  /** @param {HTMLElement} container the boundary panel */
  constructor(container) {
    this.canvas = /** @type {HTMLCanvasElement} */ (container.querySelector('#boundary-canvas'));
    this.text = /** @type {HTMLElement} */ (container.querySelector('#boundary-probe'));
    /** Called with a worker command ({ type: 'outputAt', x, y }). */
    this.onCommand = (/** @type {any} */ _command) => {};
    /** @type {number[] | null} [xmin, xmax, ymin, ymax] of the plane */
    this.extent = null;
    this.task = 'classification';
    /** @type {string[] | null} a table's class names (the built-in data's are their numbers) */
    this.classNames = null;
    /** @type {{ x: number, y: number }} the keyboard's cross, in plane coordinates */
    this.cross = { x: 0, y: 0 };
    /** @type {any} the last answer, to word again */
    this.last = null;
    this.canvas.tabIndex = 0;
    this.canvas.addEventListener('click', (e) => {
      const point = this.toPlane(e.offsetX / this.canvas.clientWidth, e.offsetY / this.canvas.clientHeight);
      if (point) this.ask(point);
    });
    this.canvas.addEventListener('keydown', (e) => this.key(e));
    onLanguageChange(() => this.describe());
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'tableData': this.classNames = event.classes?.length ? event.classes : null; break;
      case 'dataset': {
        if (!event.fromTable) this.classNames = null;
        this.extent = event.extent;
        this.task = event.task;
        const [xmin, xmax, ymin, ymax] = event.extent;
        this.cross = { x: (xmin + xmax) / 2, y: (ymin + ymax) / 2 };
        this.last = null;
        this.describe();
        break;
      }
      case 'outputAt': this.last = event; this.describe(); break;
      case 'session': if (!event.continued) { this.last = null; this.describe(); } break;
    }
  }

  /** Plane coordinates of a point given as shares of the canvas (0..1 from the top left). @param {number} u @param {number} v */
  toPlane(u, v) {
    if (!this.extent) return null;
    const [xmin, xmax, ymin, ymax] = this.extent;
    return { x: xmin + u * (xmax - xmin), y: ymax - v * (ymax - ymin) };
  }

  /** @param {{ x: number, y: number }} point */
  ask(point) {
    this.cross = point;
    this.onCommand({ type: 'outputAt', x: point.x, y: point.y });
  }

  /** @param {KeyboardEvent} e */
  key(e) {
    if (!this.extent) return;
    const [xmin, xmax, ymin, ymax] = this.extent;
    const [dx, dy] = [(xmax - xmin) * KEY_STEP, (ymax - ymin) * KEY_STEP];
    const moves = /** @type {Record<string, [number, number]>} */ ({ ArrowLeft: [-dx, 0], ArrowRight: [dx, 0], ArrowUp: [0, dy], ArrowDown: [0, -dy] });
    if (e.key === 'Enter') {
      e.preventDefault();
      this.ask(this.cross);
    } else if (moves[e.key]) {
      e.preventDefault();
      const [mx, my] = moves[e.key];
      this.cross = { x: Math.min(xmax, Math.max(xmin, this.cross.x + mx)), y: Math.min(ymax, Math.max(ymin, this.cross.y + my)) };
      this.describe();
    }
  }

  describe() {
    const at = (/** @type {{ x: number, y: number }} */ p) => `(${p.x.toFixed(2)}, ${p.y.toFixed(2)})`;
    if (!this.last) {
      this.text.textContent = this.extent ? t('probe.hint', { point: at(this.cross) }) : '';
      return;
    }
    const values = /** @type {number[]} */ ([...this.last.values]);
    const point = at(this.last);
    this.text.dataset.values = values.join(',');
    this.text.textContent = this.task === 'regression'
      ? t('probe.value', { point, value: values[0].toFixed(3) })
      : t('probe.classes', { point, classes: values.map((p, c) => t('probe.class', { class: this.classNames?.[c] ?? String(c), percent: (100 * p).toFixed(1) })).join(', ') });
  }
}
