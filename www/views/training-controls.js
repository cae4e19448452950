// @ts-check
//! Play/pause, one step, reset, and the backend choice. The Play button shows the worker's
//! training state; between a press and the worker's answer (which may wait behind a backend
//! switch or a new model) it says "Starting…" or "Pausing…", and a second press is the opposite
//! wish, sent as such.

import { onLanguageChange, t } from '../i18n.js';

export class TrainingControls {
  /** @param {HTMLElement} container */
  constructor(container) {
    /** Called with a worker command ({type: 'play'} …). */
    this.onCommand = (/** @type {any} */ _command) => {};
    /** Called with the backend chosen: 'auto' | 'webgpu' | 'cpu'. */
    this.onBackend = (/** @type {string} */ _choice) => {};
    const $ = (/** @type {string} */ sel) => /** @type {any} */ (container.querySelector(sel));
    /** @type {HTMLButtonElement} */ this.play = $('#play');
    /** @type {HTMLButtonElement} */ this.step = $('#step');
    /** @type {HTMLButtonElement} */ this.resetButton = $('#reset');
    /** @type {HTMLSelectElement} */ this.backend = $('#backend-choice');
    this.running = false;
    this.asked = false;
    onLanguageChange(() => this.setRunning(this.running, this.asked));

    this.play.addEventListener('click', () => {
      const wanted = !this.running;
      this.onCommand({ type: wanted ? 'play' : 'pause' });
      this.setRunning(wanted, true);
    });
    this.step.addEventListener('click', () => this.onCommand({ type: 'step' }));
    this.resetButton.addEventListener('click', () => this.onCommand({ type: 'reset' }));
    this.backend.addEventListener('change', () => this.onBackend(this.backend.value));
    this.reset();
  }

  reset() {
    this.setRunning(false);
    for (const b of [this.play, this.step, this.resetButton]) b.disabled = true;
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'session':
        for (const b of [this.play, this.step, this.resetButton]) b.disabled = false;
        break;
      case 'state':
        this.setRunning(event.running);
        break;
      case 'crashed':
        this.setRunning(false);
        break;
      case 'backendChoice':
        this.backend.value = event.backend;
        break;
    }
  }

  /**
   * @param {boolean} running the state shown (and what the next press turns around)
   * @param {boolean} [asked] asked for and not yet confirmed by the worker
   */
  setRunning(running, asked = false) {
    this.running = running;
    this.asked = asked;
    this.play.textContent = t(asked ? (running ? 'controls.starting' : 'controls.pausing') : running ? 'controls.pause' : 'controls.play');
    this.play.dataset.running = asked ? (running ? 'starting' : 'pausing') : String(running);
    this.play.setAttribute('aria-pressed', String(running));
  }
}
