// @ts-check
//! The learning-rate schedule as a small curve beside its settings (the worker samples it from
//! the core's formula: `schedule` events), the step now marked on it while training, and the
//! rate of the next step written under it. It also shows only the settings of the schedule
//! chosen (step decay's or the cosine's).

import { t, onLanguageChange } from '../i18n.js';
import { onNextFrame } from '../frame.js';

const PAD = 4;

export class LrSchedule {
  /** @param {HTMLElement} container the training panel */
  constructor(container) {
    this.canvas = /** @type {HTMLCanvasElement} */ (container.querySelector('#lr-curve'));
    this.now = /** @type {HTMLElement} */ (container.querySelector('#lr-now'));
    this.container = container;
    /** @type {{ steps: number[], rates: number[] } | null} */
    this.curve = null;
    this.step = 0;
    /** @type {number | null} the rate of the next step, as the worker reported it */
    this.rate = null;
    /** Training reports every batch: the mark moves once a frame. */
    this.paint = onNextFrame(() => this.draw());
    onLanguageChange(() => this.draw());
  }

  reset() {
    this.step = 0;
    this.rate = null;
    this.draw();
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'schedule':
        this.curve = { steps: event.steps, rates: event.rates };
        this.draw();
        break;
      case 'settings': this.showFields(event.settings.train?.schedule ?? 'constant'); break;
      case 'session':
        if (!event.continued) this.reset();
        break;
      case 'progress':
        this.step = event.step;
        this.rate = event.learningRate;
        this.paint();
        break;
    }
  }

  /** @param {string} schedule */
  showFields(schedule) {
    for (const el of this.container.querySelectorAll('.schedule-step')) /** @type {HTMLElement} */ (el).hidden = schedule !== 'step';
    for (const el of this.container.querySelectorAll('.schedule-cosine')) /** @type {HTMLElement} */ (el).hidden = schedule !== 'cosine';
  }

  draw() {
    const { canvas, curve } = this;
    const ctx = canvas.getContext('2d');
    if (!ctx || !curve) return;
    const { width, height } = canvas;
    ctx.clearRect(0, 0, width, height);
    const last = curve.steps[curve.steps.length - 1] || 1;
    const top = Math.max(...curve.rates) || 1;
    const x = (/** @type {number} */ step) => PAD + ((width - 2 * PAD) * Math.min(step, last)) / last;
    const y = (/** @type {number} */ rate) => height - PAD - ((height - 2 * PAD) * rate) / top;
    const style = getComputedStyle(canvas);
    ctx.strokeStyle = style.color || '#333';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    curve.steps.forEach((s, i) => (i === 0 ? ctx.moveTo(x(s), y(curve.rates[i])) : ctx.lineTo(x(s), y(curve.rates[i]))));
    ctx.stroke();
    if (this.step > 0) {
      ctx.fillStyle = '#d9480f';
      ctx.fillRect(x(this.step) - 1, PAD, 2, height - 2 * PAD);
    }
    const rate = this.rate ?? curve.rates[0];
    const text = t('train.lrNow', { rate: formatRate(rate), step: this.step.toLocaleString() });
    this.now.textContent = text;
    // Exact, for whoever reads the page (the schedule spec checks it against the formula).
    this.now.dataset.rate = String(rate);
    this.now.dataset.step = String(this.step);
    canvas.setAttribute('aria-label', t('train.lrCurve', { from: formatRate(curve.rates[0]), to: formatRate(curve.rates[curve.rates.length - 1]), steps: last.toLocaleString() }));
  }
}

/** 0.01 → "0.01", 0.000123 → "1.23e-4" @param {number} rate */
export function formatRate(rate) {
  return rate !== 0 && Math.abs(rate) < 1e-3 ? rate.toExponential(2) : String(Number(rate.toPrecision(3)));
}
