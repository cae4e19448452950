// @ts-check
//! The latest evaluation: train and test loss, and accuracy for classification; for sequence
//! models the share of tokens and of whole sequences right. Each value also sits unformatted in
//! `data-value`, for tests and tools.

export class Metrics {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
    const $ = (/** @type {string} */ sel) => /** @type {HTMLElement} */ (container.querySelector(sel));
    this.cells = {
      trainLoss: $('#train-loss'), testLoss: $('#test-loss'),
      trainAccuracy: $('#train-accuracy'), testAccuracy: $('#test-accuracy'),
      trainSequenceAccuracy: $('#train-sequence-accuracy'), testSequenceAccuracy: $('#test-sequence-accuracy'),
    };
    this.reset();
  }

  reset() {
    for (const cell of Object.values(this.cells)) {
      cell.textContent = '–';
      cell.dataset.value = '';
      cell.dataset.step = '';
    }
  }

  /** @param {any} event */
  update(event) {
    if (event.type === 'session') this.reset();
    if (event.type === 'dataset') this.container.dataset.task = event.task;
    if (event.type === 'sequenceData') this.container.dataset.task = event.task;
    if (event.type !== 'eval') return;
    for (const [key, cell] of Object.entries(this.cells)) {
      const v = event[key];
      cell.dataset.value = v === null || v === undefined ? '' : String(v);
      cell.dataset.step = String(event.step);
      cell.textContent = v === null || v === undefined ? '–'
        : key.endsWith('Accuracy') ? `${(100 * v).toFixed(1)}%` : formatLoss(v);
    }
  }
}

/** @param {number} v */
function formatLoss(v) {
  if (!Number.isFinite(v)) return String(v);
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toFixed(4);
}
