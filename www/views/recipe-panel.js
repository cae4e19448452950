// @ts-check
//! The training recipe (Karpathy's "A Recipe for Training Neural Networks") as checks a learner
//! runs on the MLP in force: the loss at init beside the one expected, the output bias at the
//! prior, a zero-input baseline trained alongside, overfitting one batch, dropout in train and
//! eval mode, a fixed seed run again (or another), and zero init's symmetry. The checks that
//! only measure go to the worker as `recipe` commands (recipe-runner.js); those that change the
//! model are settings edits or a reset, so they go through the page's Undo like any other.

import { formatNumber, onLanguageChange, t } from '../i18n.js';

/** The loss as the panel writes it. @param {number} v */
const loss = (v) => (Number.isFinite(v) ? formatNumber(Number(v.toPrecision(3))) : String(v));

export class RecipePanel {
  /** @param {HTMLElement} container */
  constructor(container) {
    /** A worker command (`recipe`, `baseline`, `reset`). */
    this.onCommand = (/** @type {any} */ _command) => {};
    /** A settings edit, as the other panels make (main.js `configure`). */
    this.onEdit = (/** @type {(s: Record<string, any>) => void} */ _edit) => {};
    /** Called before a run again (or with another seed): the loss chart keeps this run's curve. */
    this.onRerun = () => {};
    const $ = (/** @type {string} */ id) => /** @type {any} */ (container.querySelector(`#${id}`));
    /** @type {HTMLButtonElement} */ this.initLoss = $('recipe-init-loss');
    /** @type {HTMLInputElement} */ this.prior = $('recipe-output-prior');
    /** @type {HTMLInputElement} */ this.baseline = $('recipe-baseline');
    /** @type {HTMLButtonElement} */ this.overfit = $('recipe-overfit');
    /** @type {HTMLButtonElement} */ this.dropout = $('recipe-dropout');
    /** @type {HTMLButtonElement} */ this.rerun = $('recipe-rerun');
    /** @type {HTMLInputElement} */ this.seed = $('recipe-seed');
    /** @type {HTMLButtonElement} */ this.otherSeed = $('recipe-other-seed');
    /** @type {HTMLButtonElement} */ this.zeros = $('recipe-zeros');
    this.results = {
      initLoss: /** @type {HTMLElement} */ ($('recipe-init-loss-result')),
      baseline: /** @type {HTMLElement} */ ($('recipe-baseline-result')),
      overfit: /** @type {HTMLElement} */ ($('recipe-overfit-result')),
      dropout: /** @type {HTMLElement} */ ($('recipe-dropout-result')),
      seed: /** @type {HTMLElement} */ ($('recipe-seed-result')),
    };
    /** Each result's words, written again when the language changes. */
    /** @type {Map<HTMLElement, () => string>} */
    this.texts = new Map();
    /** @type {Record<string, any> | null} the settings in force */
    this.settings = null;
    /** The MLP's task: the baseline's "near ln C" only holds for classification. */
    this.classes = 2;
    onLanguageChange(() => {
      for (const [el, text] of this.texts) el.textContent = text();
      this.showSettings();
    });

    this.initLoss.addEventListener('click', () => this.ask('initLoss', this.initLoss));
    this.overfit.addEventListener('click', () => this.ask('overfit', this.overfit));
    this.dropout.addEventListener('click', () => this.ask('dropout', this.dropout));
    this.prior.addEventListener('change', () => {
      const prior = this.prior.checked;
      this.onEdit((s) => { s.model.outputBias = prior ? 'prior' : 'zero'; });
    });
    this.baseline.addEventListener('change', () => {
      this.onCommand({ type: 'baseline', on: this.baseline.checked });
      this.write(this.results.baseline, () => (this.baseline.checked ? t('recipe.baselineFromNext') : ''));
    });
    this.rerun.addEventListener('click', () => {
      this.onRerun();
      this.onCommand({ type: 'reset' });
      this.write(this.results.seed, () => t('recipe.rerunning', { seed: String(this.settings?.train?.seed ?? '') }));
    });
    this.otherSeed.addEventListener('click', () => {
      const seed = Math.max(0, Math.floor(Number(this.seed.value)));
      if (!Number.isFinite(seed)) return;
      this.onRerun();
      this.onEdit((s) => { s.train.seed = seed; });
      this.write(this.results.seed, () => t('recipe.otherSeedRunning', { seed: String(seed) }));
    });
    this.zeros.addEventListener('click', () => {
      const zeros = this.settings?.model?.init === 'zeros';
      this.onEdit((s) => { s.model.init = zeros ? 'kaiming' : 'zeros'; });
    });
    this.reset();
  }

  reset() {
    for (const el of this.controls()) el.disabled = true;
  }

  controls() {
    return [this.initLoss, this.prior, this.baseline, this.overfit, this.dropout, this.rerun, this.otherSeed, this.zeros];
  }

  /** @param {'initLoss' | 'overfit' | 'dropout'} check @param {HTMLButtonElement} button */
  ask(check, button) {
    button.disabled = true;
    button.dataset.busy = 'true';
    this.onCommand({ type: 'recipe', check });
    const el = check === 'initLoss' ? this.results.initLoss : check === 'overfit' ? this.results.overfit : this.results.dropout;
    this.write(el, () => t('recipe.running'));
  }

  /** Sets `el`'s words (and keeps them for a language change). @param {HTMLElement} el @param {() => string} text */
  write(el, text) {
    this.texts.set(el, text);
    el.textContent = text();
  }

  /** The buttons a check's answer (or a failure) frees. */
  done() {
    for (const b of [this.initLoss, this.overfit, this.dropout]) {
      if (b.dataset.busy === 'true') {
        b.disabled = false;
        delete b.dataset.busy;
      }
    }
  }

  showSettings() {
    const s = this.settings;
    if (!s) return;
    this.prior.checked = s.model?.outputBias === 'prior';
    this.zeros.textContent = t(s.model?.init === 'zeros' ? 'recipe.kaiming' : 'recipe.zeros');
    this.rerun.textContent = t('recipe.rerunSeed', { seed: String(s.train?.seed ?? '') });
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'settings':
        this.settings = event.settings;
        this.showSettings();
        break;
      case 'session':
        for (const el of this.controls()) el.disabled = false;
        break;
      case 'dataset':
        this.classes = event.task === 'classification' ? event.classes : 0;
        break;
      case 'tableData':
        this.classes = event.task === 'classification' ? event.classes.length : 0;
        break;
      case 'initLoss':
        this.done();
        this.showInitLoss(event);
        break;
      case 'overfit':
        this.done();
        this.showOverfit(event);
        break;
      case 'dropoutModes':
        this.done();
        this.showDropout(event);
        break;
      case 'progress':
        if (event.baselineLosses?.length) this.showBaseline(event);
        break;
      case 'error':
        if (event.command === 'recipe') this.done();
        break;
      case 'crashed':
        // A new worker starts without the baseline.
        this.baseline.checked = false;
        this.done();
        break;
    }
  }

  /** @param {import('../protocol.js').InitLossEvent} e */
  showInitLoss(e) {
    const el = this.results.initLoss;
    Object.assign(el.dataset, { measured: String(e.measured), expected: String(e.expected), verdict: e.verdict });
    this.write(el, () => t(`recipe.initLoss.${e.verdict}`, {
      measured: loss(e.measured), expected: loss(e.expected), basis: t(`recipe.basis.${e.basis}`),
    }));
  }

  /** @param {import('../protocol.js').OverfitEvent} e */
  showOverfit(e) {
    const el = this.results.overfit;
    Object.assign(el.dataset, { finalLoss: String(e.finalLoss), verdict: e.verdict, steps: String(e.steps), step: String(e.step) });
    this.write(el, () => t(`recipe.overfit.${e.verdict}`, {
      rows: e.rows, steps: e.steps, first: loss(e.firstLoss), final: loss(e.finalLoss),
    }) + t('recipe.overfit.restored'));
  }

  /** @param {import('../protocol.js').DropoutModesEvent} e */
  showDropout(e) {
    const el = this.results.dropout;
    Object.assign(el.dataset, { trainMode: String(e.trainMode), evalMode: String(e.evalMode), hasDropout: String(e.hasDropout) });
    const fields = {
      rows: e.rows, train: loss(e.trainMode), min: loss(e.trainMin), max: loss(e.trainMax), eval: loss(e.evalMode),
    };
    this.write(el, () => t(e.hasDropout ? 'recipe.dropout.both' : 'recipe.dropout.none', fields));
  }

  /** The last step's losses, the baseline's beside the model's. @param {import('../protocol.js').ProgressEvent} e */
  showBaseline(e) {
    const base = /** @type {Float32Array} */ (e.baselineLosses);
    const n = Math.min(base.length, e.losses.length);
    // The mean of the batch's last steps: one minibatch's loss is noisy.
    const mean = (/** @type {Float32Array} */ a) => a.slice(a.length - n).reduce((x, y) => x + y, 0) / n;
    const [baseline, model] = [mean(base), mean(e.losses)];
    const el = this.results.baseline;
    Object.assign(el.dataset, { baseline: String(baseline), model: String(model), step: String(e.step) });
    const chance = this.classes > 1 ? Math.log(this.classes) : null;
    this.write(el, () => t(chance === null ? 'recipe.baselineNow' : 'recipe.baselineNowChance', {
      step: e.step, baseline: loss(baseline), model: loss(model), chance: chance === null ? '' : loss(chance),
    }));
  }
}
