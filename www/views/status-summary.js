// @ts-check
//! What the status line tells a screen reader: a short polite summary when training pauses,
//! after one Step, and at milestones while it runs, never the step count ten times a second.
//! Milestones: every MILESTONE_STEPS steps, and each time the test accuracy first reaches another
//! tenth (10%, 20%, …) of the model in force. `#status-summary` is the live region; its
//! `data-count` counts what it said, for tests.

import { t } from '../i18n.js';

/** A summary every this many steps while training runs. */
export const MILESTONE_STEPS = 1000;

export class StatusSummary {
  /** @param {HTMLElement} region a polite live region (role="status") */
  constructor(region) {
    this.region = region;
    this.count = 0;
    /** Whether training runs, as the worker last said. */
    this.running = false;
    this.stepped = false;
    /** @type {import('../protocol.js').EvalEvent | null} */ this.last = null;
    /** The highest tenth of test accuracy announced. */
    this.band = -1;
    /** The last multiple of MILESTONE_STEPS passed. */
    this.milestone = 0;
  }

  /** A new model: its milestones start again (a running pump goes on with it). */
  reset() {
    this.stepped = false;
    this.last = null;
    this.band = -1;
    this.milestone = 0;
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'session':
        this.reset();
        this.milestone = Math.floor(event.step / MILESTONE_STEPS);
        break;
      case 'progress':
        // A step taken while paused (Step): summarised when the worker says it is done.
        if (!this.running) this.stepped = true;
        if (this.running && Math.floor(event.step / MILESTONE_STEPS) > this.milestone) {
          this.milestone = Math.floor(event.step / MILESTONE_STEPS);
          this.say(t('summary.step', { step: this.milestone * MILESTONE_STEPS, metrics: this.metrics() }));
        }
        break;
      case 'eval': {
        this.last = event;
        const band = event.testAccuracy === null ? -1 : Math.floor(event.testAccuracy * 10 + 1e-9);
        if (band > this.band) {
          const first = this.band < 0;
          this.band = band;
          // The first evaluation of a model sets the bar; only progress past it is news.
          if (!first && this.running && band > 0) this.say(t('summary.accuracyReached', { percent: band * 10, step: event.step }));
        }
        break;
      }
      case 'state': {
        const was = this.running;
        this.running = event.running;
        if (was && !event.running) this.say(t('summary.paused', { step: event.step, metrics: this.metrics() }));
        else if (!was && event.running) this.say(t('summary.training', { step: event.step }));
        else if (!event.running && this.stepped) this.say(t('summary.step', { step: event.step, metrics: this.metrics() }));
        this.stepped = false;
        break;
      }
    }
  }

  /** The latest evaluation, short. */
  metrics() {
    const e = this.last;
    if (!e) return '';
    if (!Number.isFinite(e.testLoss)) return '';
    const loss = e.testLoss.toPrecision(3);
    return e.testAccuracy === null ? t('summary.metricsLoss', { loss })
      : t('summary.metrics', { loss, accuracy: (100 * e.testAccuracy).toFixed(1) });
  }

  /** @param {string} text */
  say(text) {
    this.count += 1;
    this.region.textContent = text;
    this.region.dataset.count = String(this.count);
  }
}
