// @ts-check
//! What the worker does for the points playground (an MLP on 2-D points): build the dataset and
//! the Session, and report an evaluation with the decision boundary. worker.js does the rest.
//! Every event comes from the wasm as it is posted (www/protocol.js, src/events.rs).

import { BOUNDARY_RESOLUTION } from './protocol.js';

/** @typedef {import('./protocol.js').Post} Post */

/**
 * @param {typeof import('../pkg/kindling.js')} wasm the pkg/kindling.js module
 * @returns {import('./sequence-runner.js').Runner}
 */
export function pointsRunner(wasm) {
  return {
    mode: 'points',
    defaults: () => wasm.defaultSettings(),

    prepare(settings) {
      const dataset = wasm.generateDataset(settings.data);
      return (post) => postEvent(dataset, post);
    },

    create: (settings, backend) => wasm.Session.points(settings, backend),

    async report(session, post) {
      postEvent(await session.evaluate(), post);
      postEvent(await session.boundary(BOUNDARY_RESOLUTION), post);
    },
  };
}

/**
 * Posts an event made by the wasm as it is, transferring its typed arrays (each owns its
 * buffer: the wasm layer copies them out of its memory).
 * @param {import('./protocol.js').WorkerEvent} event @param {Post} post
 */
export function postEvent(event, post) {
  const arrays = Object.values(event).filter((v) => ArrayBuffer.isView(v));
  post(event, arrays.map((a) => /** @type {ArrayBuffer} */ (a.buffer)));
}
