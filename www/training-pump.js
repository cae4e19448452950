// @ts-check
//! The pump: while training runs, it trains the session in batches, each a task at the back of
//! the queue after a yield, so pause, reset and new settings get in between. It owns whether
//! training runs, the size of the next batch (1 after Play, then as many steps as fit in
//! BATCH_TARGET_MS at the speed measured so far, protocol.js) and the samples of the steps/s
//! figure. Each batch's losses are read back once and posted; a loss that is not finite stops
//! it. worker.js owns the session and decides which evaluations are due.

import { BATCH_TARGET_MS, STEPS_PER_BATCH } from './protocol.js';
import { owned } from './owned.js';

/** How far back the steps/s figure looks. */
const RATE_WINDOW_MS = 3000;

/** @typedef {import('./protocol.js').Post} Post */

/**
 * @param {{
 *   enqueue: (command: string, task: () => Promise<void>) => void,
 *   post: Post,
 *   session: () => import('../pkg/kindling.js').Session | null,
 *   evaluate: (before: number, step: number, force: boolean) => Promise<void>,
 * }} worker
 *   session: the session in force (null before the first). evaluate: the evaluations due after
 *   training from step `before` to `step` (all of them when `force`).
 */
export function trainingPump({ enqueue, post, session: current, evaluate }) {
  let running = false;
  let scheduled = false;
  /** Steps in the next batch. */
  let batchSteps = 1;
  /** @type {[number, number][]} (time ms, step) samples for steps/s */
  let rateSamples = [];

  function postState() {
    post({ type: 'state', running, step: current()?.step ?? 0 });
  }

  /** A first batch of one step, and the rate measured from now. @param {import('../pkg/kindling.js').Session} session */
  function begin(session) {
    batchSteps = 1;
    rateSamples = [[performance.now(), session.step]];
  }

  /** The next batch goes to the back of the queue, after a yield, so pause and reset get in. */
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      if (running) enqueue('play', batch);
    }, 0);
  }

  async function batch() {
    const session = current();
    if (!running || !session) return;
    const before = session.step;
    const t = performance.now();
    session.train(batchSteps);
    const ok = await afterSteps(session, before, false);
    const msPerStep = (performance.now() - t) / batchSteps;
    batchSteps = Math.max(1, Math.min(STEPS_PER_BATCH, Math.floor(BATCH_TARGET_MS / Math.max(msPerStep, 1e-3))));
    if (ok && running) schedule();
  }

  /**
   * Reads the losses of the steps just taken, reports them, and evaluates when due.
   * @param {import('../pkg/kindling.js').Session} session @param {number} before the step count before training
   * @param {boolean} forceEval
   * @returns {Promise<boolean>} false when training diverged
   */
  async function afterSteps(session, before, forceEval) {
    const losses = owned(await session.readLosses());
    // The recipe's zero-input baseline, only while it is on (recipe-runner.js): read with them.
    const baselineLosses = session.baseline ? owned(session.takeBaselineLosses()) : null;
    const step = session.step;
    const firstStep = step - losses.length + 1;
    const bad = losses.findIndex((v) => !Number.isFinite(v));
    const badValue = bad >= 0 ? losses[bad] : 0;
    post({
      type: 'progress', step, epoch: session.epoch, stepsPerSec: stepsPerSec(step),
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
