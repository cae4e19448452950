// @ts-check
//! Test metrics of a model trained on a table, where the decision boundary does not apply (its
//! inputs are not a plane): for classification a confusion matrix (rows the actual class,
//! columns the predicted one) with each class's precision and recall; for regression predicted
//! against actual values with RMSE, MAE and R². Shown while a table is in force (beside the
//! decision boundary when the table has two inputs).

import { el } from '../element.js';
import { onLanguageChange, t } from '../i18n.js';

const pct = (/** @type {number | null} */ v) => (v === null || v === undefined ? '–' : `${(100 * v).toFixed(1)}%`);

export class ConfusionMatrix {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
    const $ = (/** @type {string} */ sel) => /** @type {any} */ (container.querySelector(sel));
    /** @type {HTMLElement} */ this.body = $('#test-metrics');
    /** @type {HTMLCanvasElement} */ this.canvas = $('#scatter-canvas');
    this.container.hidden = true;
    /** The last metrics shown, written again in another language. @type {any} */
    this.last = null;
    onLanguageChange(() => { if (this.last) this.show(this.last); });
  }

  reset() {
    this.last = null;
    this.body.replaceChildren();
    delete this.body.dataset.step;
    this.canvas.hidden = true;
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'tableData':
        this.container.hidden = false;
        break;
      case 'dataset':
        if (!event.fromTable) this.container.hidden = true;
        break;
      case 'session':
        this.reset();
        break;
      case 'testMetrics':
        this.show(event);
        break;
    }
  }

  /** @param {any} event a testMetrics event */
  show(event) {
    this.last = event;
    if (event.kind === 'classification') this.classification(event);
    else this.regression(event);
    this.body.dataset.step = String(event.step);
    this.body.dataset.kind = event.kind;
  }

  /** @param {any} m */
  classification(m) {
    this.canvas.hidden = true;
    const k = m.classes.length;
    const rowTotals = m.confusion.map((/** @type {number[]} */ r) => r.reduce((a, b) => a + b, 0));
    const head = el('tr', {}, [el('th', {}, [t('testMetrics.actualPredicted')]), ...m.classes.map((/** @type {string} */ c) => el('th', {}, [c]))]);
    const rows = m.confusion.map((/** @type {number[]} */ r, /** @type {number} */ a) => el('tr', {}, [
      el('th', {}, [m.classes[a]]),
      ...r.map((n, p) => {
        const share = rowTotals[a] ? n / rowTotals[a] : 0;
        const hue = a === p ? '140' : '0';
        return el('td', {
          'data-value': String(n),
          style: `background: hsla(${hue}, 60%, 45%, ${(0.08 + 0.6 * share).toFixed(2)})`,
        }, [String(n)]);
      }),
    ]));
    const perClass = el('table', { class: 'per-class', 'data-testid': 'per-class' }, [
      el('tr', {}, [el('th', {}, [t('testMetrics.class')]), el('th', {}, [t('testMetrics.precision')]), el('th', {}, [t('testMetrics.recall')])]),
      ...Array.from({ length: k }, (_, c) => el('tr', {}, [
        el('td', {}, [m.classes[c]]),
        el('td', { 'data-value': String(m.precision[c] ?? '') }, [pct(m.precision[c])]),
        el('td', { 'data-value': String(m.recall[c] ?? '') }, [pct(m.recall[c])]),
      ])),
    ]);
    this.body.replaceChildren(
      el('p', { class: 'note' }, [`${t('testMetrics.accuracy')} `, el('b', { 'data-testid': 'table-accuracy', 'data-value': String(m.accuracy) }, [pct(m.accuracy)])]),
      el('table', { class: 'confusion', 'data-testid': 'confusion-matrix' }, [head, ...rows]),
      perClass,
    );
  }

  /** @param {any} m */
  regression(m) {
    const stat = (/** @type {string} */ name, /** @type {number} */ v) =>
      el('span', {}, [`${name} `, el('b', { 'data-testid': `table-${name.toLowerCase()}`, 'data-value': String(v) }, [String(+v.toPrecision(4))])]);
    this.body.replaceChildren(el('p', { class: 'regression-stats' }, [stat('RMSE', m.rmse), ' ', stat('MAE', m.mae), ' ', stat('R²', m.r2)]));
    this.canvas.hidden = false;
    this.scatter(m.predicted, m.actual);
  }

  /** Predicted (y) against actual (x), with the diagonal of perfect predictions.
   * @param {number[]} predicted @param {number[]} actual */
  scatter(predicted, actual) {
    const c = this.canvas;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const w = c.width, h = c.height, pad = 28;
    const all = actual.concat(predicted).filter(Number.isFinite);
    const lo = Math.min(...all), hi = Math.max(...all);
    const span = hi - lo || 1;
    const x = (/** @type {number} */ v) => pad + ((v - lo) / span) * (w - 2 * pad);
    const y = (/** @type {number} */ v) => h - pad - ((v - lo) / span) * (h - 2 * pad);
    ctx.clearRect(0, 0, w, h);
    ctx.strokeStyle = '#999';
    ctx.beginPath();
    ctx.moveTo(x(lo), y(lo));
    ctx.lineTo(x(hi), y(hi));
    ctx.stroke();
    ctx.fillStyle = 'rgba(40, 90, 200, 0.55)';
    const n = Math.min(actual.length, 2000);
    for (let i = 0; i < n; i++) ctx.fillRect(x(actual[i]) - 1.5, y(predicted[i]) - 1.5, 3, 3);
    ctx.fillStyle = '#555';
    ctx.font = '11px sans-serif';
    ctx.textAlign = 'right';
    ctx.fillText(t('testMetrics.actualAxis'), w - pad, h - 8);
    ctx.textAlign = 'left';
    ctx.save();
    ctx.translate(12, pad + 50);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(t('testMetrics.predictedAxis'), 0, 0);
    ctx.restore();
    c.dataset.points = String(n);
  }
}
