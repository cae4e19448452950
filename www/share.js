// @ts-check
//! What the worker does to share a model (docs/share-format.md): remember the evaluations so far
//! (a link carries them), make a link or a .safetensors file of the session, and read one back:
//! what it holds before any session exists, and a loader that puts its weights and step into a
//! session built from its settings. worker.js owns the queue and the session and calls these.

/** @typedef {(event: object, transfer?: Transferable[]) => void} Post */

/**
 * A model to load, from a link or a file: what it holds and how to put it into a session.
 * `data`: the user's file it was trained on (null: a built-in dataset), which the session must be
 * built on before the weights go in.
 * @typedef {{ mode: import('./protocol.js').Mode, settings: Record<string, any>, step: number,
 *             history: number[][], source: 'link' | 'file', data: DataOrigin | null,
 *             text?: string, load: (session: any) => void }} Loaded
 * @typedef {import('./protocol.js').DataOrigin} DataOrigin
 */

/** @param {any} wasm the pkg/kindling.js module */
export function sharing(wasm) {
  /** The evaluations of the model in force: [step, train loss, test loss, test accuracy (NaN: none)]. */
  /** @type {number[][]} */
  let history = [];

  /** @param {unknown} kind @returns {import('./protocol.js').Mode} */
  const modeOf = (kind) => (kind === 'sequences' ? 'sequences' : 'points');

  return {
    /** A new model: forget the history. */
    restart() {
      history = [];
    },

    /** Every event the worker posts passes here; evaluations are kept. @param {any} event */
    record(event) {
      if (event.type !== 'eval') return;
      if (history.length && history[history.length - 1][0] >= event.step) return;
      const acc = event.testAccuracy;
      history.push([event.step, event.trainLoss, event.testLoss, acc === null || acc === undefined ? NaN : acc]);
    },

    /**
     * Posts the restored history as `eval` events (the chart draws them), oldest first.
     * @param {number[][]} rows @param {Post} post
     */
    replay(rows, post) {
      for (const row of rows) {
        const [step, trainLoss, testLoss, acc] = row.map((v) => (v === null ? NaN : Number(v)));
        if (!Number.isFinite(step)) continue;
        post({
          type: 'eval', step, trainLoss, testLoss, trainAccuracy: null,
          testAccuracy: Number.isFinite(acc) ? acc : null, restored: true,
        });
      }
    },

    /**
     * The link text of `session` with the history so far.
     * @param {any} session @param {string} precision @param {Post} post
     */
    async link(session, precision, post) {
      const step = session.step;
      const link = String(await session.share(precision, history));
      // Whether the user's file went into the link or only its fingerprint (docs/share-format.md).
      const data = /** @type {any} */ (wasm.describeLink(link)).data ?? null;
      post({ type: 'shared', link, precision, step, data });
    },

    /**
     * The .safetensors bytes of `session`, named after its mode and step.
     * @param {any} session @param {import('./protocol.js').Mode} mode @param {Post} post
     */
    async file(session, mode, post) {
      const step = session.step;
      const bytes = /** @type {Uint8Array} */ (await session.exportSafetensors());
      post({ type: 'modelFile', name: `kindling-${mode}-step${step}.safetensors`, bytes }, [bytes.buffer]);
    },

    /**
     * What a link holds; throws its user-facing message when it is damaged or not a link.
     * @param {string} text @returns {Loaded}
     */
    fromLink(text) {
      const d = /** @type {any} */ (wasm.describeLink(text));
      return {
        mode: modeOf(d.kind), settings: d.settings, step: Number(d.step),
        history: Array.from(d.history ?? [], (r) => Array.from(r)), source: 'link',
        data: d.data ?? null, text, load: (session) => session.loadLink(text),
      };
    },

    /**
     * What a model file holds (no history: a file has none).
     * @param {Uint8Array} bytes @returns {Loaded}
     */
    fromFile(bytes) {
      let d;
      try {
        d = /** @type {any} */ (wasm.describeModelFile(bytes));
      } catch (err) {
        throw new Error(`This is not a Kindling model file: ${err instanceof Error ? err.message : String(err)}`);
      }
      return {
        mode: modeOf(d.kind), settings: d.settings, step: Number(d.step), history: [], source: 'file',
        data: d.data ?? null, load: (session) => session.loadSafetensors(bytes),
      };
    },
  };
}
