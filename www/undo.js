// @ts-check
//! Nothing is thrown away without a way back: the page acts at once (a reset, new settings that
//! need a new model, a link or model file opened, a data file used, Start fresh) and offers Undo,
//! which puts the model it replaced back (weights, step, settings, data, history). One model can
//! come back, the one replaced last; undoing is itself a replacement, so Undo twice is a redo.
//! Here lives that one model and the `undoable` event that tells the page; worker.js does the
//! putting back.

import { typedError } from './webgpu-probe.js';

/** @typedef {import('./protocol.js').Post} Post */
/**
 * @typedef {{ what: string, step: number, restore: () => Promise<void>, release?: () => void }} Undoable
 *   what: the action that replaced it, a code ("reset"; the page words it: `undo.reset`); step: its step count; restore: puts it back as
 *   the model in force; release: frees what it holds (a data file) once it cannot come back.
 */

/** @param {Post} post */
export function undoStack(post) {
  /** @type {Undoable | null} */
  let kept = null;

  return {
    /** `replaced` can come back; the one kept before cannot. @param {Undoable} replaced */
    offer(replaced) {
      kept?.release?.();
      kept = replaced;
      post({ type: 'undoable', what: replaced.what, step: replaced.step });
    },

    /** Puts the model kept back (the one it replaces becomes the next undo, by the caller). */
    async undo() {
      const back = kept;
      if (!back) throw typedError('There is nothing to undo.', 'nothing-to-undo');
      kept = null;
      post({ type: 'undoable', what: null, step: 0 });
      try {
        await back.restore();
      } finally {
        back.release?.();
      }
    },
  };
}
