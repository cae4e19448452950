// @ts-check
//! What the training worker does for the projection view (docs/projection.md): remember what
//! the page asked to project, and every N steps project it: PCA in the wasm core on the
//! session's device (`projection` event), or, for UMAP and t-SNE, the vectors read back for the
//! page's projection worker (`projectionVectors`). Labels go out once per session and source
//! (`projectionLabels`); `neighbours` answers a click. A failed projection posts
//! `projectionError` and never stops training.

import { owned } from './owned.js';
import { messageOf } from './webgpu-probe.js';

/** @typedef {(event: object, transfer?: Transferable[]) => void} Post */
/** @typedef {import('./protocol.js').ProjectionCommand} ProjectionCommand */
/**
 * A training session of the wasm package: every kind projects.
 * @typedef {import('../pkg/kindling.js').Session | import('../pkg/kindling.js').SequenceSession |
 *           import('../pkg/kindling.js').TableSession} TrainingSession
 * What its projection methods give (src/web/projection.rs):
 * @typedef {{ count: number, labels: string[],
 *             colourings: { by: string, names: string[], values: Uint32Array }[] }} Labels
 * @typedef {{ step: number, count: number, dims: number, coords: Float32Array,
 *             explained: Float32Array }} PcaFrame  method 'pca'
 * @typedef {{ step: number, count: number, dims: number, vectors: Float32Array }} VectorsFrame
 *   method 'vectors'
 * @typedef {{ step: number, index: number, indices: Uint32Array, similarities: Float32Array }} Neighbours
 */

export function projections() {
  /** @type {ProjectionCommand | null} what the page asked for (null: the view is closed) */
  let wanted = null;
  /** the labels posted for this session (a new session posts them again) */
  let labelled = '';
  /** bumped by every new session */
  let sessionId = 0;

  /**
   * The source for this session: an MLP projects its last hidden layer; a transformer its
   * embeddings or one block's output (clamped to its blocks).
   * @param {TrainingSession} session @param {ProjectionCommand} w
   * @param {Record<string, any> | null} settings
   */
  function resolve(session, w, settings) {
    if (!('testExamples' in session)) return { source: 'hidden', block: 0 };
    if (w.source !== 'block') return { source: 'embedding', block: 0 };
    const layers = Math.max(1, Number(settings?.model?.layers) || 1);
    return { source: 'block', block: Math.min(Math.max(0, Math.floor(w.block ?? 0)), layers - 1) };
  }

  /** @param {TrainingSession | null} session @param {Record<string, any> | null} settings @param {Post} post */
  async function project(session, settings, post) {
    if (!wanted || !session) return;
    const w = wanted;
    const { source, block } = resolve(session, w, settings);
    const key = `${sessionId}:${source}:${block}`;
    if (typeof session.project !== 'function') {
      post({ type: 'projectionError', key, message: 'this kind of model has no projection yet' });
      return;
    }
    try {
      if (labelled !== key) {
        /** @type {Labels} */
        const l = session.projectionLabels(source, block);
        post({
          type: 'projectionLabels', key, source, block, count: l.count, labels: Array.from(l.labels),
          colourings: Array.from(l.colourings, (c) => ({
            by: c.by, names: Array.from(c.names), values: c.values,
          })),
        });
        labelled = key;
      }
      if (w.method === 'pca') {
        /** @type {PcaFrame} */
        const f = await session.project(source, block, 'pca');
        const coords = owned(f.coords), explained = owned(f.explained);
        post({
          type: 'projection', key, method: 'pca', step: f.step, count: f.count, dims: f.dims,
          coords, explained,
        }, [coords.buffer, explained.buffer]);
      } else {
        /** @type {VectorsFrame} */
        const f = await session.project(source, block, 'vectors');
        const vectors = owned(f.vectors);
        post({
          type: 'projectionVectors', key, method: w.method, step: f.step, count: f.count,
          dims: f.dims, vectors,
        }, [vectors.buffer]);
      }
    } catch (err) {
      post({ type: 'projectionError', key, message: messageOf(err) });
    }
  }

  return {
    /**
     * @param {ProjectionCommand} cmd @param {TrainingSession | null} session
     * @param {Record<string, any> | null} settings @param {Post} post
     */
    async configure(cmd, session, settings, post) {
      wanted = cmd.enabled ? cmd : null;
      await project(session, settings, post);
    },

    /**
     * A new session (new settings, reset, backend switch, opened model): labels again, a frame at once.
     * @param {TrainingSession | null} session @param {Record<string, any> | null} settings @param {Post} post
     */
    async restart(session, settings, post) {
      sessionId += 1;
      labelled = '';
      await project(session, settings, post);
    },

    /** Whether a frame is due after training from step `before` to `step`. */
    due(/** @type {number} */ before, /** @type {number} */ step) {
      if (!wanted) return false;
      const every = Math.max(1, Math.floor(wanted.every ?? 100));
      return Math.floor(step / every) > Math.floor(before / every);
    },

    project,

    /**
     * @param {TrainingSession | null} session
     * @param {{ key: string, step: number, index: number, k?: number }} cmd @param {Post} post
     */
    async neighbours(session, cmd, post) {
      const [id, source, block] = String(cmd.key).split(':');
      if (!session || Number(id) !== sessionId) return;
      try {
        /** @type {Neighbours} */
        const n = await session.neighbours(source, Number(block), cmd.step, cmd.index, cmd.k ?? 10);
        post({
          type: 'neighbours', key: cmd.key, step: n.step, index: n.index,
          indices: Array.from(n.indices), similarities: Array.from(n.similarities),
        });
      } catch (err) {
        post({ type: 'projectionError', key: cmd.key, message: messageOf(err) });
      }
    },
  };
}
