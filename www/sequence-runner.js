// @ts-check
//! What the worker does for the sequence playground (self-attention on sequence tasks, see
//! docs/wasm-api-sequences.md): describe the data, build the SequenceSession, and report an
//! evaluation with the attention maps and predictions for the example the page shows.
//! worker.js owns the queue and the pump and calls these inside it.

import { owned } from './owned.js';

/** @typedef {(event: object, transfer?: Transferable[]) => void} Post */

/**
 * The per-mode part of the worker.
 * @typedef {{
 *   mode: import('./protocol.js').Mode,
 *   defaults: () => Record<string, any>,
 *   prepare: (settings: Record<string, any>) => (post: Post) => void,
 *   create: (settings: Record<string, any>, backend: import('./protocol.js').Backend) => any,
 *   report: (session: any, post: Post) => Promise<void>,
 * }} Runner
 *   prepare: checks the data settings and returns what posts the data event once the model is
 *   adopted (it throws on bad settings, before anything changed). report: after an evaluation
 *   is due: the `eval` event and the mode's views.
 */

/**
 * @param {any} wasm the pkg/kindling.js module
 * @returns {Runner & {
 *   setExample: (index: number) => void,
 *   inspect: (session: any, post: Post) => Promise<void>,
 *   generate: (session: any, cmd: { prompt: string, length: number, temperature: number }, post: Post) => Promise<void>,
 * }}
 */
export function sequenceRunner(wasm) {
  /** The test example whose attention and predictions are shown (kept across new settings,
   *  within the test set). */
  let example = 0;
  /** Each Generate samples anew. */
  let generations = 0;

  /** @param {any} session */
  const clamp = (session) => {
    const n = Math.max(1, Number(session.testExamples) || 1);
    example = Math.min(Math.max(0, Math.floor(example)), n - 1);
  };

  /** @param {any} session @param {Post} post */
  async function inspect(session, post) {
    clamp(session);
    const index = example;
    const a = await session.attention(index);
    const values = owned(a.values);
    post({
      type: 'attention', step: session.step, example: index, layers: a.layers, heads: a.heads,
      length: a.length, tokens: Array.from(a.tokens), values,
    }, [values.buffer]);
    const p = await session.predict(index);
    post({
      type: 'predictions', step: session.step, example: index,
      input: Array.from(p.input), target: Array.from(p.target), output: Array.from(p.output),
    });
  }

  return {
    mode: 'sequences',
    defaults: () => wasm.defaultSequenceSettings(),

    prepare(settings) {
      const d = /** @type {any} */ (wasm.describeSequenceData(settings.data));
      return (post) => post({
        type: 'sequenceData', task: d.task, inputVocab: Array.from(d.inputVocab),
        outputVocab: Array.from(d.outputVocab), length: d.length, train: d.train, test: d.test,
        examples: Array.from(d.examples, (e) => ({ input: Array.from(e.input), target: Array.from(e.target) })),
        text: d.text ?? null,
      });
    },

    create: (settings, backend) => new wasm.SequenceSession(settings, backend),

    async report(session, post) {
      const ev = await session.evaluate();
      post({
        type: 'eval', step: ev.step ?? session.step, trainLoss: ev.trainLoss, testLoss: ev.testLoss,
        trainAccuracy: ev.trainTokenAccuracy ?? null, testAccuracy: ev.testTokenAccuracy ?? null,
        trainSequenceAccuracy: ev.trainSequenceAccuracy ?? null,
        testSequenceAccuracy: ev.testSequenceAccuracy ?? null,
      });
      await inspect(session, post);
    },

    setExample(index) {
      example = index;
    },

    inspect,

    async generate(session, { prompt, length, temperature }, post) {
      generations += 1;
      const text = await session.generate(String(prompt ?? ''), Math.floor(length), temperature, generations);
      post({ type: 'generated', step: session.step, prompt, text: String(text) });
    },
  };
}
