// @ts-check
//! The pump: while training runs, it trains the session in batches, each a task at the back of
//! the queue after a yield, so pause, reset and new settings get in between. It owns whether
//! training runs, the size of the next batch (1 after Play, then as many steps as fit in
//! BATCH_TARGET_MS at the speed measured so far, ending where an evaluation is due; protocol.js)
//! and the samples of the steps/s figure. Each batch's losses are read back once and posted; a
//! loss that is not finite stops it. worker.js owns the session and decides which evaluations
//! are due.

import { BATCH_TARGET_MS, MAX_STEPS_PER_BATCH } from './protocol.js';
import { owned } from './owned.js';

/** How far back the steps/s figure looks. */
const RATE_WINDOW_MS = 3000;

/** @typedef {import('./protocol.js').Post} Post */

/**
 * Runs `task` after the tasks already queued, as `setTimeout(task, 0)` would, without its clamp
 * to 4 ms once timeouts nest (HTML's timer rules), which at a step of under a millisecond cost
 * more than the batch. A message on a channel of our own is a task like the page's own
 * messages, so pause still gets in between two batches.
 */
const yieldChannel = new MessageChannel();
/** @type {(() => void)[]} */
const afterYield = [];
yieldChannel.port1.onmessage = () => afterYield.shift()?.();
function yieldThen(/** @type {() => void} */ task) {
  afterYield.push(task);
  yieldChannel.port2.postMessage(null);
}

/**
 * @param {{
 *   enqueue: (command: string, task: () => Promise<void>) => void,
 *   post: Post,
 *   session: () => import('../pkg/kindling.js').Session | null,
 *   evaluate: (before: number, step: number, force: boolean) => Promise<void>,
 *   nextEvaluation: (step: number) => number,
 * }} worker
 *   session: the session in force (null before the first). evaluate: the evaluations due after
 *   training from step `before` to `step` (all of them when `force`). nextEvaluation: the first
 *   step after `step` at which the mode's evaluation is due (a batch ends there).
 */
export function trainingPump({ enqueue, post, session: current, evaluate, nextEvaluation }) {
  let running = false;
  let scheduled = false;
  /** Steps in the next batch. */
  let batchSteps = 1;
  /** Measured ms per step (training and the loss readback), smoothed; null before the first batch. */
  let msPerStep = /** @type {number | null} */ (null);
  /** @type {[number, number][]} (time ms, step) samples for steps/s */
  let rateSamples = [];

  function postState() {
    post({ type: 'state', running, step: current()?.step ?? 0 });
  }

  /** A first batch of one step, and the rate measured from now. @param {import('../pkg/kindling.js').Session} session */
  function begin(session) {
    batchSteps = 1;
    msPerStep = null;
    rateSamples = [[performance.now(), session.step]];
  }

  /** The next batch goes to the back of the queue, after a yield, so pause and reset get in. */
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    yieldThen(() => {
      scheduled = false;
      if (running) enqueue('play', batch);
    });
  }

  async function batch() {
    const session = current();
    if (!running || !session) return;
    const before = session.step;
    const steps = Math.max(1, Math.min(batchSteps, nextEvaluation(before) - before));
    const t = performance.now();
    session.train(steps);
    const losses = owned(await session.readLosses());
    // The next batch from the speed of training alone: an evaluation ending this batch is not
    // a cost per step. Smoothed, so that one slow batch (a garbage collection) does not halve it.
    const measured = (performance.now() - t) / steps;
    msPerStep = msPerStep === null ? measured : 0.7 * msPerStep + 0.3 * measured;
    batchSteps = Math.max(1, Math.min(MAX_STEPS_PER_BATCH, Math.floor(BATCH_TARGET_MS / Math.max(msPerStep, 1e-3))));
    const ok = await afterSteps(session, before, false, losses);
    if (ok && running && !(await stopIfDue(session))) schedule();
  }

  /**
   * A stop condition of the settings was met (src/train/stopping.rs): training stops and the
   * page is told why. An early stop that put the best weights back is evaluated at once, so
   * that every view shows the model as it is now.
   * @param {import('../pkg/kindling.js').Session} session @returns {Promise<boolean>} whether it stopped
   */
  async function stopIfDue(session) {
    const reason = session.stopReason;
    if (!reason) return false;
    running = false;
    if (reason.kind === 'earlyStopping' && reason.restored) await evaluate(session.step, session.step, true);
    post({ type: 'stopped', reason });
    postState();
    return true;
  }

  /**
   * Reads the losses of the steps just taken, reports them, and evaluates when due.
   * @param {import('../pkg/kindling.js').Session} session @param {number} before the step count before training
   * @param {boolean} forceEval
   * @param {Float32Array} [read] the losses when the caller has read them already
   * @returns {Promise<boolean>} false when training diverged
   */
  async function afterSteps(session, before, forceEval, read) {
    const losses = read ?? owned(await session.readLosses());
    // The recipe's zero-input baseline, only while it is on (recipe-runner.js): read with them.
    const baselineLosses = session.baseline ? owned(session.takeBaselineLosses()) : null;
    const step = session.step;
    const firstStep = step - losses.length + 1;
    const bad = losses.findIndex((v) => !Number.isFinite(v));
    const badValue = bad >= 0 ? losses[bad] : 0;
    post({
      type: 'progress', step, epoch: session.epoch, stepsPerSec: stepsPerSec(step), learningRate: session.learningRate,
      firstStep, losses, ...(baselineLosses ? { baselineLosses } : {}),
    }, baselineLosses ? [losses.buffer, baselineLosses.buffer] : [losses.buffer]);

    if (bad >= 0) {
      running = false;
      const what = Number.isNaN(badValue) ? 'NaN' : 'infinite';
      post({
        type: 'diverged', step: firstStep + bad, value: Number.isNaN(badValue) ? 'nan' : 'infinite',
        message: `Loss became ${what} at step ${firstStep + bad}. Try a lower learning rate.`,
      });
      postState();
      return false;
    }
    await evaluate(before, step, forceEval);
    return true;
  }

  /** @param {number} step */
  function stepsPerSec(step) {
    const now = performance.now();
    rateSamples.push([now, step]);
    while (rateSamples.length > 2 && now - rateSamples[1][0] > RATE_WINDOW_MS) rateSamples.shift();
    const [t0, s0] = rateSamples[0];
    return now > t0 ? ((step - s0) * 1000) / (now - t0) : 0;
  }

  return {
    get running() { return running; },
    postState,

    /** Stops before the next batch; true when training was running. */
    stop() {
      const was = running;
      running = false;
      return was;
    },

    async play() {
      const session = current();
      // Already running: the page is told so (it shows "Starting…" until it hears).
      if (!session || running) return postState();
      // Play after a stop: its conditions are checked afresh (a reached step limit stops again).
      session.resume();
      running = true;
      begin(session);
      postState();
      schedule();
    },

    /** One step, then a full report. */
    async step() {
      const session = current();
      if (!session) return;
      const before = session.step;
      session.train(1);
      if (await afterSteps(session, before, true)) postState();
    },

    /** A new session is in force: a running pump goes on with it, from a batch of one step. */
    restarted() {
      const session = current();
      if (!running || !session) return;
      begin(session);
      schedule();
    },
  };
}
