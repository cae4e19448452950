// @ts-check
//! What keeps the user's work in the worker: the model Undo can put back (undo.js), the one
//! saved in the browser (autosave.js), and the model a backend move carries: each a snapshot of
//! the session in force (snapshot.js). worker.js owns the session and calls these in its queue.

import { loadedOf, takeSnapshot } from './snapshot.js';
import { undoStack } from './undo.js';
import { autosaver } from './autosave.js';

/** @typedef {import('./sequence-runner.js').Runner} Runner */
/** @typedef {import('./user-files.js').FileRunner} FileRunner */

/**
 * @param {{
 *   post: import('./protocol.js').Post,
 *   files: ReturnType<typeof import('./user-files.js').userFiles>,
 *   points: Runner,
 *   model: () => { session: import('../pkg/kindling.js').Session | null, runner: Runner },
 *   history: () => number[][],
 *   rebuild: (build: import('./worker.js').Rebuild) => Promise<void>,
 *   pick: (settings: Record<string, any>, by: Runner) => import('./protocol.js').Backend,
 * }} worker
 *   model: the session in force and its runner; history: its evaluations so far; pick: the
 *   backend a model of these settings trains on.
 */
export function keepingWork({ post, files, points, model, history, rebuild, pick }) {
  const undo = undoStack(post);
  const saver = autosaver(post);

  /** The session in force as it is now, or null before the first. */
  async function snapshot() {
    const { session, runner } = model();
    return session ? takeSnapshot(session, runner, history()) : null;
  }

  return {
    undo,
    saver,

    /** The model in force when it has trained (else null): what Undo would put back. */
    async snapshotOfTrained() {
      return (model().session?.step ?? 0) > 0 ? snapshot() : null;
    },

    /** The model in force, to move to another backend: the same weights, step and history. */
    async moving() {
      const now = await snapshot();
      return now ? loadedOf(now) : undefined;
    },

    /**
     * `previous` can come back with Undo until another model is replaced; its data file is
     * kept alive meanwhile.
     * @param {import('./snapshot.js').Snapshot} previous @param {string} what the action that replaced it
     */
    offerBack(previous, what) {
      const by = previous.runner;
      const file = 'file' in by ? /** @type {FileRunner} */ (by).file : null;
      if (file) files.hold(file);
      undo.offer({
        what, step: previous.step,
        release: () => file && files.letGo(file),
        restore: () => rebuild({
          settings: previous.settings, backend: pick(previous.settings, by), runner: by,
          from: loadedOf(previous), replaces: 'undo',
          adopted: () => {
            if (file) files.adopted(/** @type {FileRunner} */ (by));
            else if (by === points) files.leaveTable();
          },
        }),
      });
    },

    /** Saves the model in force in the browser, when there is one. */
    async autosave() {
      if (!saver.enabled) return;
      const now = await snapshot();
      if (!now) return;
      const { mode, settings, step, history: evaluations, bytes, savedAt } = now;
      await saver.save({ version: 1, mode, settings, step, history: evaluations, bytes, savedAt });
    },
  };
}
