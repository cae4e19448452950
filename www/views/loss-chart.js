// @ts-check
//! The loss over training steps (uPlot): train loss at every step, test loss at each evaluation,
//! and for classification train/test accuracy on a second axis plus a dashed line at ln(C), the
//! loss of a model that has learnt nothing yet. Sequence models add the share of whole sequences
//! right (train and test, dotted); their chance line is ln(output vocabulary). Long runs are
//! averaged into at most MAX_POINTS. A vertical line marks each step where new training
//! settings took effect (`retuned`), labelled with the change. The training recipe adds two
//! curves: the zero-input baseline's train loss (`progress.baselineLosses`), and, after "run
//! again" (`keepRun`), the previous run's train loss as a faint line to compare with. A
//! learning-rate schedule other than constant draws the rate in force (`progress.learningRate`)
//! on its own scale along the bottom quarter; a stop condition that ended training marks its
//! step, and early stopping the best step it went back to.

import uPlot from '../vendor/uPlot.esm.js';
import { onLanguageChange, t } from '../i18n.js';
import { COLORS, DASHES } from './loss-lines.js';
import { MAX_POINTS, addLosses, curve } from './loss-curve.js';
import { formatRate } from './lr-schedule.js';
import { onNextFrame } from '../frame.js';
import { stoppedText } from './message-area.js';

/** @typedef {import('./loss-curve.js').Curve} Curve */

const HEIGHT = 260;

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
    /** A schedule other than constant: the learning rate is drawn. */
    this.scheduled = false;
    /** @type {uPlot | null} */ this.plot = null;
    /** The new points are plotted once a frame (frame.js). */
    this.schedule = onNextFrame(() => {
      if (this.scheduled) this.el.dataset.lrPoints = String(this.rates.x.length);
      this.plot?.setData(this.data());
    });
    /** Set by `keepRun`: the next reset keeps the train loss as the previous run's. */
    this.keeping = false;
    /** @type {Curve} */ this.train = curve();
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(this.el);
    onLanguageChange(() => {
      this.showMarks();
      this.rebuild();
    });
    this.reset();
  }

  /** The next new model's chart keeps this run's train loss as the previous run's. */
  keepRun() {
    this.keeping = true;
  }

  /** Forgets the history (a new model); after `keepRun`, the train loss becomes `previous`. */
  reset() {
    /** The previous run's train loss, after "run again" (else null). */
    /** @type {Curve | null} */
    this.previous = this.keeping && this.train?.x.length ? this.train : null;
    this.keeping = false;
    if (!this.previous) {
      delete this.el.dataset.previousSteps;
      delete this.el.dataset.previousDiff;
    }
    /** Train loss, and the recipe's zero-input baseline's, averaged over `stride` steps a point. */
    /** @type {Curve} */ this.train = curve();
    /** @type {Curve} */ this.baseline = curve();
    /** @type {import('../protocol.js').EvalEvent[]} */
    this.evals = [];
    /** Where new settings took effect: after step `step`, `label()` says what changed. */
    /** @type {{ step: number, label: () => string }[]} */
    this.marks = [];
    /** The learning rate in force at each batch's end: (step, rate). */
    /** @type {{ x: number[], y: number[] }} */
    this.rates = { x: [], y: [] };
    delete this.el.dataset.lrPoints;
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
      case 'settings': {
        const scheduled = (event.settings.train?.schedule ?? 'constant') !== 'constant';
        if (scheduled !== this.scheduled) {
          this.scheduled = scheduled;
          this.rebuild();
        }
        break;
      }
      case 'stopped': {
        const r = event.reason;
        if (r.kind === 'earlyStopping' && r.restored) this.marks.push({ step: r.bestStep, label: () => t('loss.best') });
        this.marks.push({ step: r.step, label: () => stoppedText(r) });
        this.showMarks();
        this.plot?.redraw(false, false);
        break;
      }
      case 'retuned':
        this.marks.push({
          step: event.step,
          label: () => event.changes.map(changeText).join(t('list.separator')) + (event.optimizerRestarted ? t('loss.optimiserFresh') : ''),
        });
        this.showMarks();
        this.plot?.redraw(false, false);
        break;
      case 'progress': {
        const hadBaseline = this.baseline.x.length > 0;
        addLosses(this.train, event.firstStep, event.losses);
        if (event.baselineLosses) addLosses(this.baseline, event.firstStep, event.baselineLosses);
        if (this.scheduled && typeof event.learningRate === 'number') this.addRate(event.step, event.learningRate);
        // The baseline's first points add a series.
        if (hadBaseline !== this.baseline.x.length > 0) this.rebuild();
        this.schedule();
        break;
      }
      case 'eval':
        if (this.evals.length && this.evals[this.evals.length - 1].step >= event.step) break;
        this.evals.push(event);
        if (this.evals.length > MAX_POINTS) this.evals = this.evals.filter((_, i) => i % 2 === 1);
        this.schedule();
        break;
    }
  }

  /** The rate in force after `step`; every other point goes once there are MAX_POINTS. @param {number} step @param {number} rate */
  addRate(step, rate) {
    const { x, y } = this.rates;
    if (x.length && x[x.length - 1] >= step) return;
    x.push(step);
    y.push(rate);
    if (x.length >= MAX_POINTS) this.rates = { x: x.filter((_, i) => i % 2 === 1), y: y.filter((_, i) => i % 2 === 1) };
  }

  /** @param {string} task @param {number} classes @param {boolean} sequences */
  setTask(task, classes, sequences) {
    if (task === this.task && classes === this.classes && sequences === this.sequences) return;
    this.task = task;
    this.classes = classes;
    this.sequences = sequences;
    this.rebuild();
  }

  /** Train and eval points merged on one x axis; a series has null where it has no point. */
  data() {
    const classification = this.task === 'classification';
    const { train, baseline, previous, evals, rates } = this;
    const lr = this.scheduled ? rates.x : [];
    const xs = [...new Set([...train.x, ...evals.map((e) => e.step), ...baseline.x, ...(previous?.x ?? []), ...lr])].sort((a, b) => a - b);
    const row = new Map(xs.map((x, i) => [x, i]));
    /** @param {Curve} c */
    const column = (c) => {
      /** @type {(number | null)[]} */ const out = new Array(xs.length).fill(null);
      c.x.forEach((x, i) => { out[/** @type {number} */ (row.get(x))] = positive(c.y[i]); });
      return out;
    };
    /** @param {(e: import('../protocol.js').EvalEvent) => number | null | undefined} of */
    const fromEvals = (of) => {
      /** @type {(number | null)[]} */ const out = new Array(xs.length).fill(null);
      for (const e of evals) out[/** @type {number} */ (row.get(e.step))] = of(e) ?? null;
      return out;
    };
    const cols = [column(train), fromEvals((e) => positive(e.testLoss))];
    if (classification) cols.push(fromEvals((e) => e.trainAccuracy), fromEvals((e) => e.testAccuracy));
    if (classification && this.sequences) {
      cols.push(fromEvals((e) => e.trainSequenceAccuracy), fromEvals((e) => e.testSequenceAccuracy));
    }
    if (baseline.x.length) cols.push(column(baseline));
    if (previous) {
      const before = column(previous);
      cols.push(before);
      this.comparePrevious(cols[0], before);
    }
    if (this.scheduled) {
      /** @type {(number | null)[]} */ const out = new Array(xs.length).fill(null);
      rates.x.forEach((x, i) => { out[/** @type {number} */ (row.get(x))] = rates.y[i]; });
      cols.push(out);
    }
    return /** @type {uPlot.AlignedData} */ ([xs, ...cols]);
  }

  /**
   * How far this run's train loss is from the previous run's at the steps both have: 0 when a
   * run again reproduced it exactly (tests and screen readers read it).
   * @param {(number | null)[]} now @param {(number | null)[]} before
   */
  comparePrevious(now, before) {
    let most = 0, steps = 0;
    for (let i = 0; i < now.length; i++) {
      const [a, b] = [now[i], before[i]];
      if (a === null || b === null) continue;
      most = Math.max(most, Math.abs(a - b));
      steps += 1;
    }
    Object.assign(this.el.dataset, { previousSteps: String(steps), previousDiff: String(most) });
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
        { label: t(`loss.train${per}Acc`), scale: 'acc', stroke: COLORS.trainAcc, width: 1, dash: DASHES.accuracy, spanGaps: true, points: { show: false }, value: percent },
        { label: t(`loss.test${per}Acc`), scale: 'acc', stroke: COLORS.testAcc, width: 2, dash: DASHES.accuracy, spanGaps: true, points: { show: false }, value: percent },
      );
      if (this.sequences) {
        series.push(
          { label: t('loss.trainSeqAcc'), scale: 'acc', stroke: COLORS.trainSeq, width: 1, dash: DASHES.sequence, spanGaps: true, points: { show: false }, value: percent },
          { label: t('loss.testSeqAcc'), scale: 'acc', stroke: COLORS.testSeq, width: 2, dash: DASHES.sequence, spanGaps: true, points: { show: false }, value: percent },
        );
      }
      axes.push({
        scale: 'acc', side: 1, label: t('loss.accuracyAxis'), grid: { show: false }, size: 50,
        values: (_u, ticks) => ticks.map((t) => `${Math.round(t * 100)}%`),
      });
    }
    if (this.baseline.x.length) {
      series.push({ label: t('loss.baseline'), scale: 'loss', stroke: COLORS.baseline, width: 2, dash: DASHES.baseline, spanGaps: true, points: { show: false } });
    }
    if (this.previous) {
      series.push({ label: t('loss.previousRun'), scale: 'loss', stroke: COLORS.previous, width: 3, spanGaps: true, points: { show: false } });
    }
    if (this.scheduled) {
      series.push({
        label: t('loss.learningRate'), scale: 'lr', stroke: COLORS.lr, width: 1.5, dash: DASHES.lr, spanGaps: true, points: { show: false },
        value: (_u, v) => (v === null || v === undefined ? '–' : formatRate(v)),
      });
    }
    /** @type {uPlot.Options} */
    const options = {
      ...this.size(),
      scales: {
        x: { time: false },
        loss: log ? { distr: 3, log: 10 } : { range: (_u, _min, max) => [0, Math.max(max, expected ?? 0) * 1.05 || 1] },
        acc: { range: [0, 1] },
        // The rate keeps to the bottom quarter, under the losses; the legend gives its value.
        lr: { range: (_u, _min, max) => [0, (max || 1) * 4] },
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
