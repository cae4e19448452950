// @ts-check
//! What the worker does for a table the user brought (docs/wasm-api.md, "Your own data"): an
//! MLP on the encoded table (TableSession), reported with the test metrics (a confusion matrix
//! or predicted against actual values), and for a table of two inputs the decision boundary over
//! its plane too. The file's bytes stay in the worker's wasm memory: nothing here sends them
//! anywhere.

import { postBoundary, postDataset, postEval } from './points-runner.js';

/** @typedef {(event: object, transfer?: Transferable[]) => void} Post */

/**
 * A runner of the 'points' mode bound to one read file (a wasm DataFile) and the user's
 * choices (TableChoices: target, task, features, missing, testFraction, seed).
 * @param {any} wasm the pkg/kindling.js module
 * @param {any} file the DataFile
 * @param {Record<string, any>} choices
 * @returns {import('./sequence-runner.js').Runner & { file: any, choices: Record<string, any> }}
 */
export function tableRunner(wasm, file, choices) {
  /** The encoding of the last session built, for the `tableData` event. */
  let summary = null;
  /** A two-input table's points in its plane (TableSession.points), else null. */
  let points = null;
  return {
    mode: 'points',
    file,
    choices,
    defaults: () => wasm.defaultSettings(),

    prepare() {
      return (post) => {
        post({ type: 'tableData', file: file.name, ...summary });
        // Two inputs: the decision boundary applies, over the table's plane.
        if (points) postDataset(points, post, { fromTable: true });
      };
    },

    create(settings, backend) {
      const session = file.tableSession(choices, settings, backend);
      summary = session.summary();
      points = session.points();
      return session;
    },

    async report(session, post) {
      await postEval(session, post);
      const m = await session.testMetrics();
      post({ type: 'testMetrics', step: session.step, ...m });
      if (points) await postBoundary(session, post);
    },
  };
}

/**
 * A runner of the 'sequences' mode bound to a text file: a character-level language model of
 * it (DataFile.textSession), reported like the built-in tasks by the sequence runner.
 * @param {any} file the DataFile of a text
 * @param {ReturnType<typeof import('./sequence-runner.js').sequenceRunner>} sequences
 * @returns {import('./sequence-runner.js').Runner & { file: any }}
 */
export function textRunner(file, sequences) {
  return {
    ...sequences,
    mode: 'sequences',
    file,
    prepare(settings) {
      const d = file.describeText(settings);
      return (post) => post({
        type: 'sequenceData', task: d.task, inputVocab: Array.from(d.inputVocab),
        outputVocab: Array.from(d.outputVocab), length: d.length, train: d.train, test: d.test,
        examples: Array.from(d.examples, (/** @type {any} */ e) => ({ input: Array.from(e.input), target: Array.from(e.target) })),
        text: d.text ?? null, file: file.name,
      });
    },
    create: (settings, backend) => file.textSession(settings, backend),
  };
}

/**
 * A runner of the 'sequences' mode bound to a table's text column: sequence classification of
 * the target (DataFile.textColumnSession with the choices and tokens).
 * @param {any} file the DataFile of a table
 * @param {Record<string, any>} choices TableChoices (target, testFraction, seed, missing)
 * @param {Record<string, any>} tokens TokenChoices (column, unit, vocabSize, maxLength)
 * @param {ReturnType<typeof import('./sequence-runner.js').sequenceRunner>} sequences
 * @returns {import('./sequence-runner.js').Runner & { file: any }}
 */
export function textColumnRunner(file, choices, tokens, sequences) {
  return {
    ...sequences,
    mode: 'sequences',
    file,
    prepare() {
      const d = file.describeTextColumn(choices, tokens);
      return (post) => post({
        type: 'sequenceData', task: d.task, inputVocab: Array.from(d.inputVocab),
        outputVocab: Array.from(d.outputVocab), length: d.length, train: d.train, test: d.test,
        examples: Array.from(d.examples, (/** @type {any} */ e) => ({ input: Array.from(e.input), target: Array.from(e.target) })),
        text: null, file: file.name,
      });
    },
    create: (settings, backend) => file.textColumnSession(choices, tokens, settings, backend),
  };
}

/**
 * The runner a shared model's `use` (docs/share-format.md) asks for, bound to `file`.
 * @param {any} wasm @param {any} file the DataFile
 * @param {{ kind: 'table' | 'text' | 'textColumn', choices?: Record<string, any>, tokens?: Record<string, any> }} use
 * @param {ReturnType<typeof import('./sequence-runner.js').sequenceRunner>} sequences
 */
export function runnerForUse(wasm, file, use, sequences) {
  if (use.kind === 'table') return tableRunner(wasm, file, use.choices ?? {});
  return use.kind === 'text' ? textRunner(file, sequences) : textColumnRunner(file, use.choices ?? {}, use.tokens ?? {}, sequences);
}
