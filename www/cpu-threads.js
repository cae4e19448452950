// @ts-check
//! The CPU on every core (issue 20, item 4): the threaded build, pkg-threads/, a second wasm
//! beside pkg/ (which runs on one thread and holds WebGPU). It needs shared memory, so it loads
//! only where the page is cross-origin isolated and the machine has more than one core; elsewhere
//! the CPU runs on one thread as before, and the backend event says why. Threads pay only for
//! large models (handing work to the pool costs more than a small model's whole step), so in
//! `auto` each model is timed on one thread and on the pool, in throwaway sessions, and trains on
//! the faster: its session's backend is 'threads' or 'cpu'. Both builds compute the same numbers
//! bit for bit (tests/e2e/threads.spec.mjs), so a trained model moves between them as it is.
//! A user's file is read again into the threaded build's memory for its sessions (user-files.js).
//! `?threads=on` trains every CPU model on the pool, `?threads=off` never.

import { timingFamily, timingKey, workOf } from './backend-timing.js';

/** How long each CPU is timed, training as the page trains (after a first step). */
const TIMED_MS = 800;
/** The pool must beat one thread by this much: within it, one thread (the pool costs the
 *  machine's other cores, and a small model's timing is noise). */
const MARGIN = 1.1;

/** @typedef {import('./sequence-runner.js').Runner} Runner */
/** @typedef {import('./protocol.js').ThreadsReport} ThreadsReport */
/** @typedef {import('./backend-timing.js').BackendTiming} BackendTiming */
/**
 * @typedef {{ key: string, family: string, work: number, cpu: BackendTiming, threads: BackendTiming,
 *             faster: 'cpu' | 'threads' }} ThreadTimings  one model timed on one thread and on the pool
 */

/** The threaded build's module, from the repository's root. */
const THREADED_BUILD = 'pkg-threads/kindling.js';

/** @param {typeof import('../pkg/kindling.js')} single the pkg/kindling.js module */
export function cpuThreads(single) {
  /** @type {'auto' | 'on' | 'off'} the page's `?threads=` */
  let request = 'auto';
  /** @type {ThreadsReport} */
  let info = { request, state: 'off', threads: 0, reason: null, timing: null };
  /** @type {typeof import('../pkg/kindling.js') | null} the threaded build, once loaded */
  let build = null;
  /** @type {Promise<boolean> | null} */
  let loading = null;
  /** @type {ThreadTimings | null} the last model timed */
  let timings = null;

  /**
   * Whether `timings` say which wins for a model of `family` doing `work` a step: its own timing,
   * or one of its family that the size cannot flip. The pool's gain grows with the work, so a
   * model larger than one the pool won (or smaller than one a thread won) keeps the winner; one
   * the other way by more than twice the work is timed anew.
   * @param {ThreadTimings} t @param {string} key @param {string} family @param {number} work
   */
  function stands(t, key, family, work) {
    if (t.key === key) return true;
    if (t.family !== family) return false;
    const ratio = work / t.work;
    return t.faster === 'threads' ? ratio > 0.5 : ratio < 2;
  }

  return {
    /** What the backend event reports of the threads. */
    get info() { return { ...info, timing: info.timing && { ...info.timing } }; },

    /** @type {import('./sequence-runner.js').BuildOf} the threaded build for 'threads', else pkg/ */
    buildOf: (backend) => (backend === 'threads' && build ? build : single),

    /**
     * Loads the threaded build and starts its pool, once; false where it cannot (and why is in
     * `info`). Beside the queue: the first model trains on one thread meanwhile.
     * @param {'auto' | 'on' | 'off'} requested @returns {Promise<boolean>}
     */
    load(requested) {
      loading ??= (async () => {
        request = requested;
        info = { ...info, request };
        if (request === 'off') return false;
        const cores = navigator.hardwareConcurrency || 1;
        if (!self.crossOriginIsolated || cores < 2) {
          info = { ...info, state: 'unavailable', reason: self.crossOriginIsolated ? 'one-core' : 'not-isolated' };
          return false;
        }
        info = { ...info, state: 'loading' };
        try {
          // Not a literal import, which `xtask dist` would follow: a static host sends no COOP
          // and COEP, so the site leaves this build out (and its service worker does not fetch it).
          const url = new URL(`../${THREADED_BUILD}`, import.meta.url).href;
          const threaded = /** @type {any} */ (await import(/* @vite-ignore */ url));
          await threaded.default();
          await threaded.initThreadPool(cores);
          build = threaded;
          info = { ...info, state: 'ready', threads: threaded.threadCount() };
          return true;
        } catch (err) {
          info = { ...info, state: 'failed', reason: err instanceof Error ? err.message : String(err) };
          return false;
        }
      })();
      return loading;
    },

    /**
     * Which CPU a model of `settings` by `by` trains on: the pool where it was timed faster for
     * this model or its family (or `?threads=on`); one thread otherwise.
     * @param {Record<string, any> | null} settings @param {Runner | null} by
     * @param {number | null} [parameters] the model's size, when its session exists
     * @returns {'cpu' | 'threads'}
     */
    cpuFor(settings, by, parameters = null) {
      if (!build || !by?.threads || !settings) return 'cpu';
      if (request === 'on') return 'threads';
      if (!timings) return 'cpu';
      const work = parameters === null ? timings.work : workOf(parameters, settings);
      return stands(timings, timingKey(by, settings), timingFamily(by, settings), work) ? timings.faster : 'cpu';
    },

    /**
     * In `auto`, times the model in force on one thread and on the pool when no timing stands
     * for it, in sessions of its own (created by `create`); the caller then moves it if the
     * other wins (`cpuFor`).
     * @param {Record<string, any>} settings @param {Runner} by @param {number} parameters
     * @param {(backend: 'cpu' | 'threads') => import('./backend-timing.js').TrainingSession} create
     * @param {(session: import('./backend-timing.js').TrainingSession) => Promise<void>} report the
     *   mode's evaluation, as training makes it every `evalEvery` steps
     * @returns {Promise<boolean>} whether it timed
     */
    async timeIfDue(settings, by, parameters, create, report) {
      if (!build || request !== 'auto' || !by.threads) return false;
      const key = timingKey(by, settings);
      const family = timingFamily(by, settings);
      const work = workOf(parameters, settings);
      if (timings && stands(timings, key, family, work)) return false;
      const every = Math.max(1, settings.train?.evalEvery ?? 50);
      const cpu = await timeAsTrained(create('cpu'), report, every);
      const threads = await timeAsTrained(create('threads'), report, every);
      const faster = threads.msPerStep * MARGIN < cpu.msPerStep ? 'threads' : 'cpu';
      timings = { key, family, work, cpu, threads, faster };
      info = { ...info, timing: { cpuMs: cpu.msPerStep, threadsMs: threads.msPerStep, faster } };
      return true;
    },

    /** A session on the pool failed to start: the CPU runs on one thread from now on. @param {unknown} err */
    failed(err) {
      build = null;
      info = { ...info, state: 'failed', reason: err instanceof Error ? err.message : String(err) };
    },
  };
}

/**
 * `session` trained as the page trains it, for TIMED_MS after a first step: batches ending where
 * an evaluation is due, each read back, and the evaluation itself. Timing the steps alone missed
 * what the pool costs: an evaluation's large products wake it, and its workers then spin beside
 * the training thread (on 2 cores the default MLP ran at half its speed, though its steps alone
 * timed equal). Frees the session.
 * @param {import('./backend-timing.js').TrainingSession} session
 * @param {(session: import('./backend-timing.js').TrainingSession) => Promise<void>} report
 * @param {number} every steps between evaluations
 * @returns {Promise<BackendTiming>}
 */
async function timeAsTrained(session, report, every) {
  try {
    let t = performance.now();
    session.train(1);
    await session.readLosses();
    const firstStepMs = performance.now() - t;
    t = performance.now();
    let steps = 0;
    for (let batch = 1; performance.now() - t < TIMED_MS; batch = Math.min(2 * batch, every)) {
      const step = session.step;
      const todo = Math.min(batch, every - (step % every));
      session.train(todo);
      await session.readLosses();
      steps += todo;
      if ((step + todo) % every === 0) await report(session);
    }
    return { firstStepMs, msPerStep: (performance.now() - t) / steps, steps };
  } finally {
    session.free();
  }
}
