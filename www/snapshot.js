// @ts-check
//! A model as it was at one moment, to have it back: its settings (as Rust completed them), the
//! runner that built it, its weights and step as the bytes of a .safetensors file (one async
//! readback), and its evaluations so far. Undo (undo.js), a backend move and the autosave
//! (autosave.js) are all made of these.

/** @typedef {import('./sequence-runner.js').Runner} Runner */
/** @typedef {import('../pkg/kindling.js').Session} Session */
/**
 * @typedef {{ mode: import('./protocol.js').Mode, settings: Record<string, any>, runner: Runner,
 *             step: number, history: number[][], bytes: Uint8Array, savedAt: number }} Snapshot
 */

/**
 * `session` (built by `runner`) as it is now.
 * @param {Session} session @param {Runner} runner @param {number[][]} history
 * @returns {Promise<Snapshot>}
 */
export async function takeSnapshot(session, runner, history) {
  const step = session.step;
  const settings = session.settings;
  const bytes = await session.exportSafetensors();
  return { mode: runner.mode, settings, runner, step, history, bytes, savedAt: Date.now() };
}

/**
 * What puts `snapshot` into a session its runner builds with its settings (share.js's Loaded;
 * the data is the runner's, so it names none).
 * @param {Snapshot} snapshot @returns {import('./share.js').Loaded}
 */
export function loadedOf(snapshot) {
  return {
    mode: snapshot.mode, settings: snapshot.settings, step: snapshot.step, history: snapshot.history,
    source: 'file', data: null, load: (session) => session.loadSafetensors(snapshot.bytes),
  };
}
