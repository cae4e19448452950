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
      return (post) => {
        const trainX = owned(view.trainX), trainY = owned(view.trainY);
        const testX = owned(view.testX), testY = owned(view.testY);
        post({
          type: 'dataset', task: view.task, classes: view.classes, extent: Array.from(view.extent),
          trainX, trainY, testX, testY,
        }, [trainX.buffer, trainY.buffer, testX.buffer, testY.buffer]);
      };
    },

    create: (settings, backend) => new wasm.Session(settings, backend),

    async report(session, post) {
      const ev = await session.evaluate();
      post({
        type: 'eval', step: ev.step ?? session.step, trainLoss: ev.trainLoss, testLoss: ev.testLoss,
        trainAccuracy: ev.trainAccuracy ?? null, testAccuracy: ev.testAccuracy ?? null,
      });
      const b = await session.boundary(BOUNDARY_RESOLUTION);
      const values = owned(b.values);
      post({
        type: 'boundary', step: session.step, resolution: b.resolution, outputs: b.outputs,
        extent: Array.from(b.extent), values,
      }, [values.buffer]);
    },
  };
}
