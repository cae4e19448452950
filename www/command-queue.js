// @ts-check
//! The training worker's queue: every command that calls into wasm runs as one task of it, after
//! every task queued before, so there is never more than one wasm call in flight (a session is
//! not re-entrant, and Burn's devices are not either). It owns the queue's tail and whether the
//! wasm instance has trapped (every later call would fail the same way), and routes the page's
//! messages into it, pausing training at once for the commands that pause.

import { messageOf } from './webgpu-probe.js';

/** @typedef {import('./protocol.js').Post} Post */
/**
 * @typedef {{ run: (cmd: any) => unknown, pauses?: boolean, queued?: boolean }} Route
 *   pauses: training stops as the message arrives, before the command's turn comes.
 *   queued: false runs it at once, outside the queue (it must not call wasm).
 */

/**
 * @param {{ post: Post, stop: () => boolean, postState: () => void }} pump
 *   post: posts an event; stop: stops training, true when it was running; postState: posts `state`.
 */
export function commandQueue({ post, stop, postState }) {
  let tail = Promise.resolve();
  /** set once the wasm instance has trapped */
  let crashed = false;

  /**
   * A throw becomes an `error` event and stops training (the page is told, unless it crashed).
   * @param {string} command @param {unknown} err
   */
  function reportError(command, err) {
    let message = messageOf(err);
    const trapped = err instanceof WebAssembly.RuntimeError;
    if (trapped) {
      crashed = true;
      message = `The wasm module crashed (${message}). Reload the page to start again.`;
    }
    post({ type: 'error', message, command });
    if (stop() && !trapped) postState();
  }

  /**
   * Runs `task` after every task queued before it; a throw becomes an `error` event.
   * @param {string} command @param {() => unknown} task
   */
  function enqueue(command, task) {
    tail = tail.then(async () => {
      if (crashed) return;
      try {
        await task();
      } catch (err) {
        reportError(command, err);
      }
    });
  }

  return {
    enqueue,
    reportError,

    /**
     * Routes each message from the page (a protocol.js Command) by its type.
     * @param {Record<string, Route>} routes
     */
    listen(routes) {
      self.onmessage = ({ data: cmd }) => {
        const route = Object.hasOwn(routes, cmd.type) ? routes[cmd.type] : null;
        if (!route) {
          post({ type: 'error', message: `unknown command '${cmd.type}'` });
          return;
        }
        if (route.pauses) stop();
        if (route.queued === false) route.run(cmd);
        else enqueue(cmd.type, () => route.run(cmd));
      };
    },
  };
}
