// @ts-check
//! Which backend trains: the page's choice (auto, WebGPU or the CPU), what is known about WebGPU
//! (its one probe and self-check, webgpu-probe.js), and the last model timed on both backends
//! (backend-timing.js), from which auto takes the faster. It posts the `backend` event, and moves
//! the model in force (weights, step, history) to the backend chosen, or to WebGPU once the
//! check passed.
//! This state outlives every session (each new one is built where it says), so it lives apart;
//! worker.js owns the session and calls these inside its queue (the probe runs beside it).

import { absent, messageOf, probeWebgpu, unchecked } from './webgpu-probe.js';
import { describeTimings, timeBackends, timingKey } from './backend-timing.js';

/** @typedef {import('./protocol.js').Backend} Backend */
/** @typedef {import('./protocol.js').BackendChoice} BackendChoice */
/** @typedef {import('./sequence-runner.js').Runner} Runner */
/** @typedef {import('./protocol.js').Post} Post */

/**
 * @param {typeof import('../pkg/kindling.js')} wasm the pkg/kindling.js module
 * @param {{
 *   post: Post,
 *   model: () => { session: import('../pkg/kindling.js').Session | null, settings: Record<string, any> | null, runner: Runner },
 *   running: () => boolean,
 *   untouched: () => import('./share.js').Loaded | undefined,
 *   moving: () => Promise<import('./share.js').Loaded | undefined>,
 *   rebuild: (build: import('./worker.js').Rebuild) => Promise<void>,
 * }} worker
 *   model: the session in force (null before the first), its settings and runner. untouched:
 *   the shared model it was loaded from while it has not trained since. moving: the model in
 *   force as it is (weights, step, history), to rebuild on another backend.
 */
export function backendChoice(wasm, { post, model, running, untouched, moving, rebuild }) {
  /** @type {BackendChoice} */
  let choice = 'auto';
  let requestSubgroups = true;
  /** What is known about WebGPU; posted whole in every `backend` event. */
  let gpu = unchecked();
  /** @type {import('./backend-timing.js').Timings | null} the last model timed on both backends */
  let timings = null;
  /** @type {Promise<void> | null} the one WebGPU probe, in flight or done */
  let probe = null;

  /**
   * auto: the backend measured faster for this model (the CPU until it has been timed).
   * @param {Record<string, any> | null} [forSettings] @param {Runner | null} [by]
   * @returns {Backend}
   */
  function pick(forSettings = model().settings, by = model().runner) {
    if (choice === 'cpu' || gpu.state !== 'ok') return 'cpu';
    if (choice === 'webgpu') return 'webgpu';
    return forSettings && by && timings?.key === timingKey(by, forSettings) ? timings.faster : 'cpu';
  }

  /** The timings when they are of the model in force. */
  function currentTimings() {
    const { settings, runner } = model();
    return settings && timings?.key === timingKey(runner, settings) ? timings : null;
  }

  function postBackend() {
    const timed = currentTimings();
    post({
      type: 'backend', active: model().session?.backend ?? 'cpu', requested: choice, webgpu: { ...gpu },
      timing: timed && { cpu: timed.cpu, webgpu: timed.webgpu, faster: timed.faster, summary: describeTimings(timed) },
    });
  }

  /** Runs the WebGPU probe once; later calls wait for that one. */
  function ensureChecked() {
    probe ??= (async () => {
      gpu.state = 'checking';
      postBackend();
      gpu = await probeWebgpu(wasm, requestSubgroups);
      postBackend();
    })();
    return probe;
  }

  /**
   * Why the CPU trains: in English, and as a code (and its detail) for the page to word it.
   * @param {string | null} reason @param {string | null} [code] @param {string | null} [detail]
   */
  function setReason(reason, code = null, detail = null) {
    gpu.reason = reason;
    gpu.reasonCode = code;
    gpu.reasonDetail = detail;
  }

  function refuseIfForcedAndFailed() {
    if (choice !== 'webgpu' || gpu.state === 'ok') return;
    // Unavailable: in words (the technical reason is in the status line's tooltip).
    const unavailable = gpu.state === 'unavailable';
    const what = unavailable ? absent(gpu.absence) : `it failed its self-check: ${gpu.reason}`;
    post({
      type: 'error', command: 'setBackend', code: unavailable ? `webgpu-absent-${gpu.absence ?? 'api'}` : 'webgpu-failed',
      fields: { reason: gpu.reason ?? '' },
      message: `WebGPU was chosen, but ${what}. Training stays on the CPU.`,
    });
  }

  /**
   * Times a model not timed yet on both backends (backend-timing.js); auto then moves to the
   * faster. A forced WebGPU stays, but the timing has compiled its kernels, so Play starts at once.
   * Only while the model is untrained: one that has started training stays where it is.
   */
  async function timeIfDue() {
    const { session, settings, runner } = model();
    if (choice === 'cpu' || gpu.state !== 'ok' || !session || !settings || currentTimings()) return;
    if (running() || (session.step !== 0 && !untouched())) {
      if (choice !== 'auto') return;
      setReason('training had already started on the CPU; both backends are timed at the next reset', 'started-on-cpu');
      postBackend();
      return;
    }
    setReason('timing this model on both backends…', 'timing');
    postBackend();
    const [by, timed] = [runner, settings];
    try {
      timings = await timeBackends((backend) => by.create(timed, backend), timingKey(by, timed));
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError) throw err;
      gpu.state = 'failed';
      setReason(`a WebGPU session failed while being timed: ${messageOf(err)}`, 'timing-failed', messageOf(err));
    }
    if (gpu.state === 'ok') setReason(null);
    if (choice === 'auto' && timings && pick() !== session.backend) {
      await moveTo(pick());
    } else {
      postBackend();
    }
  }

  /** The model in force, with its weights, step and history, onto `backend`. @param {Backend} backend */
  async function moveTo(backend) {
    const { settings, runner } = model();
    if (!settings) return;
    await rebuild({ settings, backend, runner, from: await moving(), continues: true });
  }

  return {
    get choice() { return choice; },
    pick,
    postBackend,
    ensureChecked,
    timeIfDue,

    /**
     * Start-up: the page's choice, and whether WebGPU's device asks for 'subgroups'.
     * @param {BackendChoice} requested @param {boolean} subgroups
     */
    start(requested, subgroups) {
      choice = requested;
      requestSubgroups = subgroups;
    },

    /**
     * A new session of `by` with `settings` on `backend`; when WebGPU cannot start it, the same
     * on the CPU (the settings may be fine and WebGPU the problem), and WebGPU counts as failed.
     * @param {Runner} by @param {Record<string, any>} settings @param {Backend} backend
     */
    create(by, settings, backend) {
      try {
        return by.create(settings, backend);
      } catch (err) {
        if (backend !== 'webgpu') throw err;
        const fresh = by.create(settings, 'cpu');
        gpu.state = 'failed';
        setReason(`could not start a session: ${messageOf(err)}`, 'session-failed', messageOf(err));
        return fresh;
      }
    },

    /** A session on `backend` is in force: on WebGPU, no reason for the CPU stands. @param {Backend} backend */
    using(backend) {
      if (backend === 'webgpu') setReason(null);
    },

    /** The page chose another backend: the model moves there, trained or not. @param {BackendChoice} next */
    async choose(next) {
      choice = next;
      const { session } = model();
      if (!session) return;
      if (choice !== 'cpu') await ensureChecked();
      if (pick() !== session.backend) await moveTo(pick());
      else postBackend();
      refuseIfForcedAndFailed();
      await timeIfDue();
    },

    /** After start-up's check: move to WebGPU while the model is still untrained. */
    async switchIfChecked() {
      const { session } = model();
      if (choice === 'cpu' || !session) return;
      if (choice === 'webgpu' && gpu.state === 'ok' && session.backend !== 'webgpu') await moveTo('webgpu');
      postBackend();
      refuseIfForcedAndFailed();
      await timeIfDue();
    },
  };
}
