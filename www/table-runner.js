// @ts-check
//! What the worker does for a table the user brought (docs/wasm-api.md, "Your own data"): an
//! MLP on the encoded table (a Session), reported with the test metrics (a confusion matrix
//! or predicted against actual values), and for a table of two inputs the decision boundary over
//! its plane too. The file's bytes stay in the worker's wasm memory: nothing here sends them
//! anywhere.

import { BOUNDARY_RESOLUTION } from './protocol.js';
import { postEvent } from './owned.js';

/** @typedef {import('./protocol.js').Post} Post */

/**
 * @typedef {{ on: (backend: import('./protocol.js').Backend) => import('../pkg/kindling.js').DataFile, threads: boolean }} FilePlaces
 *   The file in each build's memory (user-files.js): pkg/'s DataFile, or for 'threads' its twin
 *   in the threaded build's, which its sessions read. threads: a twin can be made.
 */

/**
 * A runner of the 'points' mode bound to one read file (a wasm DataFile) and the user's
 * choices (TableChoices: target, task, features, missing, testFraction, seed).
 * @param {typeof import('../pkg/kindling.js')} wasm the pkg/kindling.js module
 * @param {import('../pkg/kindling.js').DataFile} file the DataFile
 * @param {Record<string, any>} choices
 * @param {FilePlaces} places
 * @returns {import('./sequence-runner.js').Runner & { file: import('../pkg/kindling.js').DataFile, choices: Record<string, any> }}
 */
export function tableRunner(wasm, file, choices, places) {
  /** @type {import('./protocol.js').TableDataEvent | null} the `tableData` event of the last
   *  session built (how the table was encoded) */
  let tableData = null;
  /** @type {import('./protocol.js').DatasetEvent | null} a two-input table's `dataset` event, its
   *  points in its plane (Session.tablePoints), else null */
  let points = null;
  return {
    mode: 'points',
    file,
    choices,
    defaults: () => wasm.defaultSettings(),

    prepare() {
      return (post) => {
        if (tableData) postEvent(tableData, post);
        // Two inputs: the decision boundary applies, over the table's plane.
        if (points) postEvent(points, post);
      };
    },

    threads: places.threads,
    create(settings, backend) {
      const session = places.on(backend).tableSession(choices, settings, backend);
      tableData = session.tableData();
      points = session.tablePoints();
      return session;
    },

    // The diagram's units, when shown: a plane with the boundary (two inputs), else histograms
    // with the test metrics; each read with what it comes with.
    async report(session, post, views) {
      const units = views?.units ?? false;
      postEvent(await session.evaluate(), post);
      postEvent(await session.testMetrics(units && !points), post);
      if (points) postEvent(await session.boundary(BOUNDARY_RESOLUTION, units), post);
    },

    async units(session, post) {
      postEvent(points ? await session.boundary(BOUNDARY_RESOLUTION, true) : await session.testMetrics(true), post);
    },
  };
}

/**
 * A runner of the 'sequences' mode bound to a text file: a character-level language model of
 * it (DataFile.textSession), reported like the built-in tasks by the sequence runner.
 * @param {import('../pkg/kindling.js').DataFile} file the DataFile of a text
 * @param {ReturnType<typeof import('./sequence-runner.js').sequenceRunner>} sequences
 * @param {FilePlaces} places
 * @returns {import('./sequence-runner.js').Runner & { file: import('../pkg/kindling.js').DataFile }}
 */
export function textRunner(file, sequences, places) {
  return {
    ...sequences,
    mode: 'sequences',
    file,
    prepare(settings) {
      const data = file.describeText(settings);
      return (post) => postEvent(data, post);
    },
    create: (settings, backend) => places.on(backend).textSession(settings, backend),
    threads: places.threads,
  };
}

/**
 * A runner of the 'sequences' mode bound to a table's text column: sequence classification of
 * the target (DataFile.textColumnSession with the choices and tokens).
 * @param {import('../pkg/kindling.js').DataFile} file the DataFile of a table
 * @param {Record<string, any>} choices TableChoices (target, testFraction, seed, missing)
 * @param {Record<string, any>} tokens TokenChoices (column, unit, vocabSize, maxLength)
 * @param {ReturnType<typeof import('./sequence-runner.js').sequenceRunner>} sequences
 * @param {FilePlaces} places
 * @returns {import('./sequence-runner.js').Runner & { file: import('../pkg/kindling.js').DataFile }}
 */
export function textColumnRunner(file, choices, tokens, sequences, places) {
  return {
    ...sequences,
    mode: 'sequences',
    file,
    prepare() {
      const data = file.describeTextColumn(choices, tokens);
      return (post) => postEvent(data, post);
    },
    create: (settings, backend) => places.on(backend).textColumnSession(choices, tokens, settings, backend),
    threads: places.threads,
  };
}

/**
 * The runner a shared model's `use` (docs/share-format.md) asks for, bound to `file`.
 * @param {typeof import('../pkg/kindling.js')} wasm @param {import('../pkg/kindling.js').DataFile} file the DataFile
 * @param {{ kind: 'table' | 'text' | 'textColumn', choices?: Record<string, any>, tokens?: Record<string, any> }} use
 * @param {ReturnType<typeof import('./sequence-runner.js').sequenceRunner>} sequences
 * @param {FilePlaces} places
 */
export function runnerForUse(wasm, file, use, sequences, places) {
  if (use.kind === 'table') return tableRunner(wasm, file, use.choices ?? {}, places);
  return use.kind === 'text' ? textRunner(file, sequences, places)
    : textColumnRunner(file, use.choices ?? {}, use.tokens ?? {}, sequences, places);
}
