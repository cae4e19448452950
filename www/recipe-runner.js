// @ts-check
//! What the worker does for the training recipe's checks (src/train/recipe/, the panel
//! views/recipe-panel.js): the loss at init, overfitting one batch on a copy, dropout in both
//! modes, and the zero-input baseline beside the MLP. None changes the model in force. The
//! baseline stays on across new models (each gets a fresh one from its own first weights).

import { postEvent } from './owned.js';
import { typedError } from './webgpu-probe.js';

/** @typedef {import('../pkg/kindling.js').Session} Session */

/**
 * @param {{ post: import('./protocol.js').Post, session: () => Session | null }} worker
 *   session: the session in force (null before the first).
 */
export function recipeChecks({ post, session: current }) {
  let baselineOn = false;

  /** The session in force when it trains an MLP. */
  function mlp() {
    const session = current();
    if (!session || session.mode !== 'points') {
      throw typedError("The training recipe's checks are for the MLP (the points mode).", 'recipe-needs-mlp');
    }
    return session;
  }

  return {
    /** @param {'initLoss' | 'overfit' | 'dropout'} check */
    async check(check) {
      const session = mlp();
      const event = check === 'initLoss' ? await session.initialLoss()
        : check === 'overfit' ? await session.overfitBatch()
        : check === 'dropout' ? await session.dropoutModes()
        : null;
      if (!event) throw typedError(`unknown recipe check '${check}'`, 'recipe-unknown');
      postEvent(event, post);
    },

    /** @param {boolean} on */
    setBaseline(on) {
      baselineOn = on;
      const session = current();
      if (session?.mode === 'points') session.setBaseline(on);
    },

    /** A new session is in force: its baseline, when the check is on. @param {Session} session */
    adopt(session) {
      if (baselineOn && session.mode === 'points') session.setBaseline(true);
    },
  };
}
