// @ts-check
//! The loss over training steps (uPlot): train loss at every step, test loss at each evaluation,
//! and for classification train/test accuracy on a second axis plus a dashed line at ln(C), the
//! loss of a model that has learnt nothing yet. Sequence models add the share of whole sequences
//! right (train and test, dotted); their chance line is ln(output vocabulary). Long runs are
//! averaged into at most MAX_POINTS. A vertical line marks each step where new training
//! settings took effect (`retuned`), labelled with the change.

import uPlot from '../vendor/uPlot.esm.js';
import { onLanguageChange, t } from '../i18n.js';

const MAX_POINTS = 2000;
const HEIGHT = 260;
const COLORS = {
  train: '#0b6bcb', test: '#d9480f', trainAcc: '#2b8a3e', testAcc: '#7048e8', trainSeq: '#66a80f', testSeq: '#ae3ec9',
};

export class LossChart {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.el = /** @type {HTMLElement} */ (container.querySelector('#loss-chart'));
    this.logToggle = /** @type {HTMLInputElement} */ (container.querySelector('#log-scale'));
    this.logToggle.addEventListener('change', () => this.rebuild());
    this.task = 'classification';
    this.classes = 2;
    /** Sequence models: also the sequence accuracies. */
    this.sequences = false;
    /** @type {uPlot | null} */ this.plot = null;
    this.frame = 0;
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(this.el);
    onLanguageChange(() => {
      this.showMarks();
      this.rebuild();
    });
    this.reset();
  }

  /** Forgets the history (a new model). */
  reset() {
    // Train loss, averaged over `stride` steps per point.
    /** @type {number[]} */ this.trainX = [];
    /** @type {number[]} */ this.trainY = [];
    /** @type {number} */ this.stride = 1;
    /** @type {{ sum: number, count: number }} */ this.bucket = { sum: 0, count: 0 };
    /** @type {import('../protocol.js').EvalEvent[]} */
    this.evals = [];
    /** Where new settings took effect: after step `step`, `label()` says what changed. */
    /** @type {{ step: number, label: () => string }[]} */
    this.marks = [];
    this.showMarks();
    this.rebuild();
  }

  /** The marks as data (tests and assistive technology read them). */
  showMarks() {
    this.el.dataset.marks = JSON.stringify(this.marks.map((m) => m.step));
    this.el.setAttribute('aria-description', this.marks.map((m) => t('loss.mark', { step: String(m.step), changes: m.label() })).join('; '));
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'dataset':
        this.setTask(event.task, event.classes, false);
        break;
      case 'tableData':
        this.setTask(event.task, event.classes.length || 1, false);
        break;
      case 'sequenceData':
        // Every sequence task is a classification per position (or per sequence).
        this.setTask('classification', event.outputVocab.length, true);
        break;
      case 'session':
        // A model that moved to another backend goes on: its curve stays.
        if (!event.continued) this.reset();
        break;
      case 'retuned':
        this.marks.push({
          step: event.step,
          label: () => event.changes.map(changeText).join(t('list.separator')) + (event.optimizerRestarted ? t('loss.optimiserFresh') : ''),
        });
        this.showMarks();
        this.plot?.redraw(false, false);
        break;
      case 'progress':
        this.addLosses(event.firstStep, event.losses);
        this.schedule();
        break;
      case 'eval':
        if (this.evals.length && this.evals[this.evals.length - 1].step >= event.step) break;
        this.evals.push(event);
        if (this.evals.length > MAX_POINTS) this.evals = this.evals.filter((_, i) => i % 2 === 1);
        this.schedule();
        break;
    }
  }

  /** @param {string} task @param {number} classes @param {boolean} sequences */
  setTask(task, classes, sequences) {
    if (task === this.task && classes === this.classes && sequences === this.sequences) return;
    this.task = task;
    this.classes = classes;
    this.sequences = sequences;
    this.rebuild();
  }

  /** @param {number} firstStep @param {Float32Array} losses */
  addLosses(firstStep, losses) {
    for (let i = 0; i < losses.length; i++) {
      if (!Number.isFinite(losses[i])) continue;
      this.bucket.sum += losses[i];
      this.bucket.count += 1;
      if (this.bucket.count < this.stride) continue;
      this.trainX.push(firstStep + i);
      this.trainY.push(this.bucket.sum / this.bucket.count);
      this.bucket = { sum: 0, count: 0 };
      if (this.trainX.length >= MAX_POINTS) this.halve();
    }
  }

  /** Averages neighbouring points: the chart keeps its shape at half the points. */
  halve() {
    const x = [], y = [];
    for (let i = 0; i + 1 < this.trainX.length; i += 2) {
      x.push(this.trainX[i + 1]);
      y.push((this.trainY[i] + this.trainY[i + 1]) / 2);
    }
    this.trainX = x;
    this.trainY = y;
    this.stride *= 2;
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.plot?.setData(this.data());
    });
  }

  /** Train and eval points merged on one x axis; a series has null where it has no point. */
  data() {
    const classification = this.task === 'classification';
    /** @type {number[]} */ const xs = [];
    /** @type {(number | null)[][]} */
    const cols = Array.from({ length: classification ? (this.sequences ? 6 : 4) : 2 }, () => []);
    let i = 0, j = 0;
    const { trainX, trainY, evals } = this;
    while (i < trainX.length || j < evals.length) {
      const tx = i < trainX.length ? trainX[i] : Infinity;
      const ex = j < evals.length ? evals[j].step : Infinity;
      const x = Math.min(tx, ex);
      xs.push(x);
      cols[0].push(tx === x ? positive(trainY[i++]) : null);
      const e = ex === x ? evals[j++] : null;
      cols[1].push(e ? positive(e.testLoss) : null);
      if (classification) {
        cols[2].push(e?.trainAccuracy ?? null);
        cols[3].push(e?.testAccuracy ?? null);
      }
      if (classification && this.sequences) {
        cols[4].push(e?.trainSequenceAccuracy ?? null);
        cols[5].push(e?.testSequenceAccuracy ?? null);
      }
    }
    return /** @type {uPlot.AlignedData} */ ([xs, ...cols]);
  }

  size() {
    return { width: Math.max(200, this.el.clientWidth || 400), height: HEIGHT };
  }

  /** A new plot: the series depend on the task, the scale on the log toggle. */
  rebuild() {
    this.plot?.destroy();
    const classification = this.task === 'classification';
    const log = this.logToggle.checked;
    const expected = classification ? Math.log(this.classes) : null;
    /** @type {uPlot.Series[]} */
    const series = [
      { label: t('loss.step') },
      { label: t('loss.trainLoss'), scale: 'loss', stroke: COLORS.train, width: 1, spanGaps: true, points: { show: false } },
      { label: t('loss.testLoss'), scale: 'loss', stroke: COLORS.test, width: 2, spanGaps: true, points: { show: false } },
    ];
    /** @type {uPlot.Axis[]} */
    const axes = [
      { label: t('loss.step') },
      { scale: 'loss', label: t(log ? 'loss.axisLog' : 'loss.axis'), size: 60, values: (_u, ticks) => ticks.map(tick) },
    ];
    if (classification) {
      const per = this.sequences ? 'Token' : '';
      series.push(
        { label: t(`loss.train${per}Acc`), scale: 'acc', stroke: COLORS.trainAcc, width: 1, dash: [5, 4], spanGaps: true, points: { show: false }, value: percent },
        { label: t(`loss.test${per}Acc`), scale: 'acc', stroke: COLORS.testAcc, width: 2, dash: [5, 4], spanGaps: true, points: { show: false }, value: percent },
      );
      if (this.sequences) {
        series.push(
          { label: t('loss.trainSeqAcc'), scale: 'acc', stroke: COLORS.trainSeq, width: 1, dash: [2, 3], spanGaps: true, points: { show: false }, value: percent },
          { label: t('loss.testSeqAcc'), scale: 'acc', stroke: COLORS.testSeq, width: 2, dash: [2, 3], spanGaps: true, points: { show: false }, value: percent },
        );
      }
      axes.push({
        scale: 'acc', side: 1, label: t('loss.accuracyAxis'), grid: { show: false }, size: 50,
        values: (_u, ticks) => ticks.map((t) => `${Math.round(t * 100)}%`),
      });
    }
    /** @type {uPlot.Options} */
    const options = {
      ...this.size(),
      scales: {
        x: { time: false },
        loss: log ? { distr: 3, log: 10 } : { range: (_u, _min, max) => [0, Math.max(max, expected ?? 0) * 1.05 || 1] },
        acc: { range: [0, 1] },
      },
      series,
      axes,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      hooks: { draw: [(u) => drawExpected(u, expected), (u) => drawMarks(u, this.marks)] },
    };
    this.plot = new uPlot(options, this.data(), this.el);
  }
}

/** The dashed line at ln(C), labelled. @param {uPlot} u @param {number | null} expected */
function drawExpected(u, expected) {
  if (expected === null) return;
  const y = u.valToPos(expected, 'loss', true);
  const { left, top, width, height } = u.bbox;
  if (!(y >= top && y <= top + height)) return;
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = '#868e96';
  ctx.lineWidth = Math.max(1, devicePixelRatio);
  ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
  ctx.beginPath();
  ctx.moveTo(left, y);
  ctx.lineTo(left + width, y);
  ctx.stroke();
  ctx.fillStyle = '#868e96';
  ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
  ctx.textAlign = 'right';
  ctx.fillText(t('loss.chance', { classes: String(Math.round(Math.exp(expected))), value: expected.toFixed(3) }), left + width - 4, y - 4 * devicePixelRatio);
  ctx.restore();
}

/**
 * A dotted vertical line at each mark's step, its label at the top.
 * @param {uPlot} u @param {{ step: number, label: () => string }[]} marks
 */
function drawMarks(u, marks) {
  const { left, top, width, height } = u.bbox;
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = '#495057';
  ctx.fillStyle = '#495057';
  ctx.lineWidth = Math.max(1, devicePixelRatio);
  ctx.setLineDash([2 * devicePixelRatio, 3 * devicePixelRatio]);
  ctx.font = `${10 * devicePixelRatio}px system-ui, sans-serif`;
  for (const [i, mark] of marks.entries()) {
    const x = u.valToPos(mark.step, 'x', true);
    if (!(x >= left && x <= left + width)) continue;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    const text = mark.label();
    const label = text.length > 40 ? `${text.slice(0, 39)}…` : text;
    ctx.textAlign = x > left + width / 2 ? 'right' : 'left';
    const dx = (x > left + width / 2 ? -3 : 3) * devicePixelRatio;
    ctx.fillText(label, x + dx, top + (12 + 12 * (i % 3)) * devicePixelRatio);
  }
  ctx.restore();
}

/** The settings the core names in a `retuned` change ("learning rate 0.03 → 0.1"), by key. */
const CHANGED = /** @type {Record<string, string>} */ ({
  optimiser: 'optimiser', 'learning rate': 'learningRate', 'batch size': 'batchSize', momentum: 'momentum',
  'weight decay': 'weightDecay', 'evaluate every': 'evalEvery', dropout: 'dropout',
});

/** One change in the language in force: the setting's name, its values as they are. @param {string} change */
function changeText(change) {
  const m = /^(?:layer (\d+) )?(optimiser|learning rate|batch size|momentum|weight decay|evaluate every|dropout) (.*)$/.exec(change);
  if (!m) return change;
  const name = t(`change.${CHANGED[m[2]]}`);
  return m[1] ? t('change.layer', { layer: m[1], name, values: m[3] }) : `${name} ${m[3]}`;
}

/** Axis labels that stay readable from 1e-8 to 1e3. @param {number | null} v */
function tick(v) {
  if (v === null || v === undefined) return '';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4 ? String(Number(v.toPrecision(3))) : v.toExponential(0);
}

/** Log scales cannot show 0. @param {number} v */
function positive(v) {
  return Number.isFinite(v) ? Math.max(v, 1e-12) : null;
}

/** @param {uPlot} _u @param {number | null} v */
function percent(_u, v) {
  return v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`;
}
