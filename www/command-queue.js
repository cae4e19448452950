// @ts-check
//! The training worker's queue: every command that calls into wasm runs as one task of it, after
//! every task queued before, so there is never more than one wasm call in flight (a session is
//! not re-entrant, and Burn's devices are not either). It owns the queue's tail and whether the
//! wasm instance has trapped (every later call would fail the same way), and routes the page's
//! messages into it, pausing training at once for the commands that pause. A trap is posted as
//! `crashed`, once: the page then replaces this worker.

import { detailOf, messageOf } from './webgpu-probe.js';

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
    if (err instanceof WebAssembly.RuntimeError) {
      crash(command, err);
      return;
    }
    post({ type: 'error', ...detailOf(err), command });
    // Training itself failed: it stops. A refused command leaves the model in force training.
    if ((command === 'play' || command === 'step') && stop()) postState();
  }

  /**
   * The wasm instance trapped (a Rust panic, or memory that ran out): every later call would
   * fail the same way, so the page restarts the worker (main.js) and the autosaved model
   * reopens. The message is the panic's own (src/web/mod.rs leaves it in `kindlingPanic`).
   * @param {string} command @param {unknown} err
   */
  function crash(command, err) {
    if (crashed) return;
    crashed = true;
    stop();
    const panic = /** @type {any} */ (globalThis).kindlingPanic;
    const message = typeof panic === 'string' && panic
      ? panic
      : `${messageOf(err)}: it ran out of memory or hit a bug that left no message`;
    post({ type: 'crashed', message, command });
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

  // A trap outside the queue (inside a future the wasm polls itself) surfaces here.
  self.addEventListener('error', (event) => {
    if (event.error instanceof WebAssembly.RuntimeError || /RuntimeError/.test(event.message ?? '')) {
      event.preventDefault();
      crash('worker', event.error ?? new Error(event.message));
    }
  });
  self.addEventListener('unhandledrejection', (event) => {
    if (event.reason instanceof WebAssembly.RuntimeError) crash('worker', event.reason);
  });

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
