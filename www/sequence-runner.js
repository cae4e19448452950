// @ts-check
//! What the worker does for the sequence playground (self-attention on sequence tasks, see
//! docs/wasm-api-sequences.md): describe the data, build the Session, and report an
//! evaluation with the attention maps and predictions for the example the page shows (and,
//! while the page's step-by-step view is open, its head's `attentionSteps`). Every
//! event comes from the wasm as it is posted (www/protocol.js, src/events.rs).
//! worker.js owns the queue and the pump and calls these inside it.

import { postEvent } from './owned.js';

/** @typedef {import('./protocol.js').Post} Post */

/**
 * The per-mode part of the worker.
 * @typedef {{
 *   mode: import('./protocol.js').Mode,
 *   defaults: () => Record<string, any>,
 *   prepare: (settings: Record<string, any>) => (post: Post) => void,
 *   create: (settings: Record<string, any>, backend: import('./protocol.js').Backend) => import('../pkg/kindling.js').Session,
 *   report: (session: import('../pkg/kindling.js').Session, post: Post, views?: ReportViews) => Promise<void>,
 *   units?: (session: import('../pkg/kindling.js').Session, post: Post) => Promise<void>,
 *   threads?: boolean,
 * }} Runner
 *   prepare: checks the data settings and returns what posts the data event once the model is
 *   adopted (it throws on bad settings, before anything changed). report: after an evaluation
 *   is due: the `eval` event and the mode's views. units (the MLP's runners): the network
 *   diagram's units now, with the event that carries them (the diagram was just opened).
 *   threads: it can train on the threaded build ('threads'): each build makes the built-in data
 *   itself, and a user's file is read again there (user-files.js).
 * @typedef {(backend: import('./protocol.js').Backend) => typeof import('../pkg/kindling.js')} BuildOf
 *   The wasm module whose sessions run on `backend` (cpu-threads.js: the threaded build for 'threads').
 * @typedef {{ units: boolean }} ReportViews  units: the network diagram is shown (DiagramCommand).
 */

/**
 * @param {typeof import('../pkg/kindling.js')} wasm the pkg/kindling.js module
 * @param {BuildOf} buildOf
 * @returns {Runner & {
 *   setExample: (index: number) => void,
 *   showSteps: (cmd: { open: boolean, layer?: number, head?: number }) => void,
 *   inspectSteps: (session: import('../pkg/kindling.js').Session, post: Post) => Promise<void>,
 *   inspect: (session: import('../pkg/kindling.js').Session, post: Post) => Promise<void>,
 *   generate: (session: import('../pkg/kindling.js').Session, cmd: { prompt: string, length: number, temperature: number }, post: Post) => Promise<void>,
 * }}
 */
export function sequenceRunner(wasm, buildOf) {
  /** The test example whose attention and predictions are shown (kept across new settings,
   *  within the test set). */
  let example = 0;
  /** Each Generate samples anew. */
  let generations = 0;

  /** @param {import('../pkg/kindling.js').Session} session */
  const clamp = (session) => {
    const n = Math.max(1, Number(session.testExamples) || 1);
    example = Math.min(Math.max(0, Math.floor(example)), n - 1);
  };

  /** The head the step-by-step view shows while it is open; null: closed, nothing is read for it. */
  /** @type {{ layer: number, head: number } | null} */
  let steps = null;
  /** The model's layers and heads, from its last `attention` event (to keep `steps` inside). */
  let shape = { layers: 1, heads: 1 };

  /** @param {import('../pkg/kindling.js').Session} session @param {Post} post */
  async function inspect(session, post) {
    clamp(session);
    const index = example;
    const attention = await session.attention(index);
    shape = { layers: attention.layers, heads: attention.heads };
    postEvent(attention, post);
    await inspectSteps(session, post);
    postEvent(await session.predict(index), post);
  }

  /** The open view's head, one readback of its Q, K and V. @param {import('../pkg/kindling.js').Session} session @param {Post} post */
  async function inspectSteps(session, post) {
    if (!steps) return;
    clamp(session);
    const within = (/** @type {number} */ v, /** @type {number} */ n) => Math.min(Math.max(0, Math.floor(v) || 0), n - 1);
    postEvent(await session.attentionSteps(example, within(steps.layer, shape.layers), within(steps.head, shape.heads)), post);
  }

  return {
    mode: 'sequences',
    defaults: () => wasm.defaultSequenceSettings(),

    prepare(settings) {
      const data = wasm.describeSequenceData(settings.data);
      return (post) => postEvent(data, post);
    },

    create: (settings, backend) => buildOf(backend).Session.sequences(settings, backend),
    threads: true,

    async report(session, post) {
      postEvent(await session.evaluate(), post);
      await inspect(session, post);
    },

    setExample(index) {
      example = index;
    },

    showSteps({ open, layer, head }) {
      steps = open ? { layer: Number(layer ?? 0), head: Number(head ?? 0) } : null;
    },

    inspect,
    inspectSteps,

    async generate(session, { prompt, length, temperature }, post) {
      generations += 1;
      postEvent(await session.generate(String(prompt ?? ''), Math.floor(length), temperature, generations), post);
    },
  };
}
