// @ts-check
//! What the worker does to share a model (docs/share-format.md): remember the evaluations so far
//! (a link carries them), make a link or a .safetensors file of the session, and read one back:
//! what it holds before any session exists, and a loader that puts its weights and step into a
//! session built from its settings; then open it, on the user's file it was trained on when it
//! names one. It owns the shared model the session was loaded from (a backend switch reloads
//! it) and the one waiting for its file. worker.js owns the session and calls these, in its queue.

import { messageOf, typedError } from './webgpu-probe.js';

/** @typedef {import('./protocol.js').Post} Post */

/**
 * A model to load, from a link or a file: what it holds and how to put it into a session.
 * `data`: the user's file it was trained on (null: a built-in dataset), which the session must be
 * built on before the weights go in.
 * @typedef {{ mode: import('./protocol.js').Mode, settings: Record<string, any>, step: number,
 *             history: number[][], source: 'link' | 'file' | 'autosave', data: DataOrigin | null,
 *             text?: string, load: (session: import('../pkg/kindling.js').Session) => void }} Loaded
 * @typedef {import('./protocol.js').DataOrigin} DataOrigin
 * @typedef {import('./protocol.js').Mode} Mode
 * @typedef {import('./protocol.js').Backend} Backend
 * @typedef {import('./user-files.js').FileRunner} FileRunner
 */

/**
 * @param {typeof import('../pkg/kindling.js')} wasm the pkg/kindling.js module
 * @param {{
 *   post: Post,
 *   files: ReturnType<typeof import('./user-files.js').userFiles>,
 *   configure: (settings: Record<string, any>, mode: Mode, backend?: Backend, from?: Loaded) => Promise<void>,
 *   adoptFile: (runner: FileRunner, settings: Record<string, any>, backend?: Backend, from?: Loaded) => Promise<void>,
 * }} worker
 *   configure: builds a model of the built-in datasets; adoptFile: one on a user's file.
 */
export function sharing(wasm, { post, files, configure, adoptFile }) {
  /** The evaluations of the model in force: [step, train loss, test loss, test accuracy (NaN: none)]. */
  /** @type {number[][]} */
  let history = [];
  /** @type {Loaded | null} the link or file the session was loaded from */
  let loaded = null;
  /** @type {Loaded | null} a shared model waiting for the user's file it was trained on */
  let awaiting = null;

  /** @param {unknown} kind @returns {import('./protocol.js').Mode} */
  const modeOf = (kind) => (kind === 'sequences' ? 'sequences' : 'points');

  /**
   * What a link holds; throws its user-facing message when it is damaged or not a link.
   * @param {string} text @returns {Loaded}
   */
  function fromLink(text) {
    const d = wasm.describeLink(text);
    return {
      mode: modeOf(d.kind), settings: d.settings, step: Number(d.step),
      history: Array.from(d.history ?? [], (r) => Array.from(r)), source: 'link',
      data: d.data ?? null, text, load: (session) => session.loadLink(text),
    };
  }

  /**
   * What a model file holds (no history: a file has none).
   * @param {Uint8Array} bytes @returns {Loaded}
   */
  function fromFile(bytes) {
    let d;
    try {
      d = wasm.describeModelFile(bytes);
    } catch (err) {
      const reason = messageOf(err);
      throw Object.assign(typedError(`This is not a Kindling model file: ${reason}`, 'not-model-file', { reason }), { cause: err });
    }
    return {
      mode: modeOf(d.kind), settings: d.settings, step: Number(d.step), history: [], source: 'file',
      data: d.data ?? null, load: (session) => session.loadSafetensors(bytes),
    };
  }

  /**
   * Builds the shared model on `file` as it was built (its `use`), then loads its weights.
   * @param {import('../pkg/kindling.js').DataFile} file @param {Loaded} from @param {Backend} [backend]
   */
  async function openOn(file, from, backend) {
    const data = /** @type {DataOrigin} */ (from.data);
    try {
      await adoptFile(files.runnerForShared(file, data), from.settings, backend, from);
    } catch (err) {
      files.release(file);
      throw err;
    }
  }

  /**
   * Opens `from`: on the user's file it was trained on when it names one (when that file is not
   * at hand the page is asked for it, `needData`, and the model in force stays meanwhile).
   * @param {Loaded} from @param {Backend} [backend] @returns {Promise<boolean>} whether it opened
   */
  async function openFrom(from, backend) {
    if (!from.data) {
      await configure(from.settings, from.mode, backend, from);
    } else {
      const file = files.atHand(from.data, from.text);
      if (!file) {
        awaiting = from;
        const { name, bytes, sha256 } = from.data;
        post({ type: 'needData', source: from.source, mode: from.mode, step: from.step, name, bytes, sha256 });
        return false;
      }
      await openOn(file, from, backend);
    }
    awaiting = null;
    post({ type: 'opened', source: from.source, mode: from.mode, step: from.step });
    return true;
  }

  return {
    /** A new model, loaded from `from` when given: forget the history. @param {Loaded} [from] */
    restart(from) {
      loaded = from ?? null;
      history = [];
    },

    /** The model `session` was loaded from while it has not trained since. @param {import('../pkg/kindling.js').Session | null} session */
    untouched(session) {
      return loaded && session && session.step === loaded.step ? loaded : undefined;
    },

    /**
     * A shared model, from a link's text or a file's bytes: its settings, weights, step and
     * history. One trained on a user's file is built on that file first; when it is not at hand
     * the page is asked for it (`needData`) and the model in force stays meanwhile.
     * @param {{ link?: string, bytes?: Uint8Array }} cmd @param {Backend} [backend]
     * @returns {Promise<boolean>} whether it opened (false: it waits for its data file)
     */
    async open(cmd, backend) {
      return openFrom(cmd.link !== undefined ? fromLink(cmd.link) : fromFile(new Uint8Array(cmd.bytes ?? [])), backend);
    },

    /**
     * A model the browser kept (autosave.js): as a model file of its bytes, with its history.
     * @param {{ bytes: Uint8Array, history: number[][] }} saved @param {Backend} [backend]
     * @returns {Promise<boolean>} whether it opened (false: it waits for its data file)
     */
    async restore(saved, backend) {
      return openFrom({ ...fromFile(saved.bytes), history: saved.history, source: 'autosave' }, backend);
    },

    /** The evaluations of the model in force so far, [step, train loss, test loss, test accuracy]. */
    history: () => history.map((row) => [...row]),

    /** The data file the waiting model asked for. @param {{ name?: string, bytes?: ArrayBuffer | Uint8Array }} cmd */
    async openData(cmd) {
      const from = awaiting;
      if (!from?.data) throw typedError('No shared model is waiting for a data file.', 'no-data-waiting');
      await openOn(files.given(cmd, from.data), from);
      awaiting = null;
      post({ type: 'opened', source: from.source, mode: from.mode, step: from.step });
    },

    /** The page gave up on the waiting model's file. */
    cancelData() {
      awaiting = null;
    },

    /** Every event the worker posts passes here; evaluations are kept. @param {import('./protocol.js').WorkerEvent} event */
    record(event) {
      if (event.type !== 'eval') return;
      if (history.length && history[history.length - 1][0] >= event.step) return;
      const acc = event.testAccuracy;
      history.push([event.step, event.trainLoss, event.testLoss, acc === null || acc === undefined ? NaN : acc]);
    },

    /**
     * Posts the restored history as `eval` events (the chart draws them), oldest first.
     * @param {number[][]} rows @param {Post} post @param {number} [upTo] the model's step: later rows are dropped
     */
    replay(rows, post, upTo = Infinity) {
      // A damaged history (steps out of order, repeated, negative, or from after the model's own
      // step) must not break the chart or the counters: only an ascending run up to it is shown.
      let last = -1;
      for (const row of rows) {
        if (!Array.isArray(row)) continue;
        const [step, trainLoss, testLoss, acc] = row.slice(0, 4).map((v) => (v === null ? NaN : Number(v)));
        if (!Number.isInteger(step) || step <= last || step > upTo) continue;
        last = step;
        post({
          type: 'eval', step, trainLoss, testLoss, trainAccuracy: null,
          testAccuracy: Number.isFinite(acc) ? acc : null, restored: true,
        });
      }
    },

    /**
     * The link text of `session` with the history so far.
     * @param {import('../pkg/kindling.js').Session} session @param {'f32' | 'f16' | 'int8'} precision
     * @param {Post} post
     */
    async link(session, precision, post) {
      const step = session.step;
      const link = await session.share(precision, history);
      // Whether the user's file went into the link or only its fingerprint (docs/share-format.md).
      const data = wasm.describeLink(link).data ?? null;
      post({ type: 'shared', link, precision, step, data });
    },

    /**
     * The .safetensors bytes of `session`, named after its mode and step.
     * @param {import('../pkg/kindling.js').Session} session @param {import('./protocol.js').Mode} mode @param {Post} post
     */
    async file(session, mode, post) {
      const step = session.step;
      const bytes = await session.exportSafetensors();
      post({ type: 'modelFile', name: `kindling-${mode}-step${step}.safetensors`, bytes }, [bytes.buffer]);
    },

    /**
     * The model as a PyTorch script (src/share/pytorch), named as its model file is.
     * @param {import('../pkg/kindling.js').Session} session @param {import('./protocol.js').Mode} mode @param {Post} post
     */
    pytorch(session, mode, post) {
      const bytes = new TextEncoder().encode(session.exportPytorch());
      post({ type: 'modelFile', name: `kindling-${mode}-step${session.step}.py`, bytes }, [bytes.buffer]);
    },
  };
}
