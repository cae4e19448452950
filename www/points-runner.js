// @ts-check
//! What the worker does for the points playground (an MLP on 2-D points): build the dataset and
//! the Session, and report an evaluation with the decision boundary. worker.js does the rest.

import { BOUNDARY_RESOLUTION } from './protocol.js';
import { owned } from './owned.js';

/** @typedef {(event: object, transfer?: Transferable[]) => void} Post */

/**
 * @param {any} wasm the pkg/kindling.js module
 * @returns {import('./sequence-runner.js').Runner}
 */
export function pointsRunner(wasm) {
  return {
    mode: 'points',
    defaults: () => wasm.defaultSettings(),

    prepare(settings) {
      const view = /** @type {any} */ (wasm.generateDataset(settings.data));
      return (post) => postDataset(view, post);
    },

    create: (settings, backend) => new wasm.Session(settings, backend),

    async report(session, post) {
      await postEval(session, post);
      await postBoundary(session, post);
    },
  };
}

/**
 * The `dataset` event of points in a plane (`generateDataset`, or `TableSession.points`).
 * @param {any} view @param {Post} post @param {object} [extra] more fields of the event
 */
export function postDataset(view, post, extra = {}) {
  const trainX = owned(view.trainX), trainY = owned(view.trainY);
  const testX = owned(view.testX), testY = owned(view.testY);
  post({
    type: 'dataset', ...extra, task: view.task, classes: view.classes, extent: Array.from(view.extent),
    trainX, trainY, testX, testY,
  }, [trainX.buffer, trainY.buffer, testX.buffer, testY.buffer]);
}

/** Evaluates an MLP session (`Session` or `TableSession`) -> `eval`. @param {any} session @param {Post} post */
export async function postEval(session, post) {
  const ev = await session.evaluate();
  post({
    type: 'eval', step: ev.step ?? session.step, trainLoss: ev.trainLoss, testLoss: ev.testLoss,
    trainAccuracy: ev.trainAccuracy ?? null, testAccuracy: ev.testAccuracy ?? null,
  });
}

/** Its decision boundary -> `boundary`. @param {any} session @param {Post} post */
export async function postBoundary(session, post) {
  const b = await session.boundary(BOUNDARY_RESOLUTION);
  const values = owned(b.values);
  post({
    type: 'boundary', step: session.step, resolution: b.resolution, outputs: b.outputs,
    extent: Array.from(b.extent), values,
  }, [values.buffer]);
}
