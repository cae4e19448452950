// @ts-check
//! What the worker does for the points playground (an MLP on 2-D points): build the dataset and
//! the Session, and report an evaluation with the decision boundary (and the network diagram's
//! units, read with it, while the diagram is shown). worker.js does the rest.
//! Every event comes from the wasm as it is posted (www/protocol.js, src/events.rs).

import { BOUNDARY_RESOLUTION } from './protocol.js';
import { postEvent } from './owned.js';

/** @typedef {import('./protocol.js').Post} Post */

/**
 * @param {typeof import('../pkg/kindling.js')} wasm the pkg/kindling.js module
 * @param {import('./sequence-runner.js').BuildOf} buildOf
 * @returns {import('./sequence-runner.js').Runner}
 */
export function pointsRunner(wasm, buildOf) {
  return {
    mode: 'points',
    defaults: () => wasm.defaultSettings(),

    prepare(settings) {
      const dataset = wasm.generateDataset(settings.data);
      return (post) => postEvent(dataset, post);
    },

    create: (settings, backend) => buildOf(backend).Session.points(settings, backend),
    threads: true,

    // The diagram's units, when shown, come with the boundary: one pass, one readback.
    async report(session, post, views) {
      postEvent(await session.evaluate(), post);
      postEvent(await session.boundary(BOUNDARY_RESOLUTION, views?.units ?? false), post);
    },

    async units(session, post) {
      postEvent(await session.boundary(BOUNDARY_RESOLUTION, true), post);
    },
  };
}
