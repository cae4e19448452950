// @ts-check
//! What the worker does for the sequence playground (self-attention on sequence tasks, see
//! docs/wasm-api-sequences.md): describe the data, build the Session, and report an
//! evaluation with the attention maps and predictions for the example the page shows. Every
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
 * }} Runner
 *   prepare: checks the data settings and returns what posts the data event once the model is
 *   adopted (it throws on bad settings, before anything changed). report: after an evaluation
 *   is due: the `eval` event and the mode's views. units (the MLP's runners): the network
 *   diagram's units now, with the event that carries them (the diagram was just opened).
 * @typedef {{ units: boolean }} ReportViews  units: the network diagram is shown (DiagramCommand).
 */

/**
 * @param {typeof import('../pkg/kindling.js')} wasm the pkg/kindling.js module
 * @returns {Runner & {
 *   setExample: (index: number) => void,
 *   inspect: (session: import('../pkg/kindling.js').Session, post: Post) => Promise<void>,
 *   generate: (session: import('../pkg/kindling.js').Session, cmd: { prompt: string, length: number, temperature: number }, post: Post) => Promise<void>,
 * }}
 */
export function sequenceRunner(wasm) {
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

  /** @param {import('../pkg/kindling.js').Session} session @param {Post} post */
  async function inspect(session, post) {
    clamp(session);
    const index = example;
    postEvent(await session.attention(index), post);
    postEvent(await session.predict(index), post);
  }

  return {
    mode: 'sequences',
    defaults: () => wasm.defaultSequenceSettings(),

    prepare(settings) {
      const data = wasm.describeSequenceData(settings.data);
      return (post) => postEvent(data, post);
    },

    create: (settings, backend) => wasm.Session.sequences(settings, backend),

    async report(session, post) {
      postEvent(await session.evaluate(), post);
      await inspect(session, post);
    },

    setExample(index) {
      example = index;
    },

    inspect,

    async generate(session, { prompt, length, temperature }, post) {
      generations += 1;
      postEvent(await session.generate(String(prompt ?? ''), Math.floor(length), temperature, generations), post);
    },
  };
}
