// @ts-check
//! What the training worker does for the projection view (docs/projection.md): remember what
//! the page asked to project, and every N steps project it: PCA in the wasm core on the
//! session's device (`projection` event), or, for UMAP and t-SNE, the vectors read back for the
//! page's projection worker (`projectionVectors`). Labels go out once per session and source
//! (`projectionLabels`); `neighbours` answers a click. With a transformer's frame goes the cosine
//! similarity of its token embeddings (`embeddingSimilarity`) and its position vectors (`positions`). A failed projection posts
//! `projectionError` and never stops training. The events come from the wasm as they are posted.

import { postEvent } from './owned.js';
import { messageOf } from './webgpu-probe.js';

/** @typedef {import('./protocol.js').Post} Post */
/** @typedef {import('./protocol.js').ProjectionCommand} ProjectionCommand */
/** @typedef {import('../pkg/kindling.js').Session} TrainingSession */

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
    if (session.mode === 'points') return { source: 'hidden', block: 0 };
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
    try {
      if (labelled !== key) {
        postEvent(session.projectionLabels(key, source, block), post);
        labelled = key;
      }
      postEvent(await session.project(key, source, block, w.method), post);
      // A transformer's token embeddings, pair by pair, at the projection's rate.
      if (session.mode === 'sequences') {
        postEvent(await session.embeddingSimilarity(), post);
        postEvent(await session.positions(), post);
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
        postEvent(await session.neighbours(cmd.key, source, Number(block), cmd.step, cmd.index, cmd.k ?? 10), post);
      } catch (err) {
        post({ type: 'projectionError', key: cmd.key, message: messageOf(err) });
      }
    },
  };
}
