// @ts-check
//! Which backend trains: the page's choice (auto, WebGPU or the CPU), what is known about WebGPU
//! (its one probe and self-check, webgpu-probe.js), and the last model timed on both backends
//! (backend-timing.js), from which auto takes the faster: for that model, and for a model of its
//! family whose size cannot flip the winner (a larger or smaller one is timed anew, and the
//! status line says why). It posts the `backend` event, and moves
//! the model in force (weights, step, history) to the backend chosen, or to WebGPU once the
//! check passed. Where the CPU wins, the CPU's threads (cpu-threads.js) say whether one thread or
//! the pool of the threaded build trains the model.
//! This state outlives every session (each new one is built where it says), so it lives apart;
//! worker.js owns the session and calls these inside its queue (the probe runs beside it).

import { absent, messageOf, probeWebgpu, unchecked } from './webgpu-probe.js';
import { describeTimings, timeBackends, timingFamily, timingKey, timingStands, workOf, workRatio } from './backend-timing.js';

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
 *   threads: ReturnType<typeof import('./cpu-threads.js').cpuThreads>,
 * }} worker
 *   model: the session in force (null before the first), its settings and runner. untouched:
 *   the shared model it was loaded from while it has not trained since. moving: the model in
 *   force as it is (weights, step, history), to rebuild on another backend.
 */
export function backendChoice(wasm, { post, model, running, untouched, moving, rebuild, threads }) {
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
   * The backend for a model of `forSettings` by `by`: WebGPU or the CPU (gpuPick); on the CPU,
   * one thread or the pool (cpu-threads.js).
   * @param {Record<string, any> | null} [forSettings] @param {Runner | null} [by]
   * @returns {Backend}
   */
  function pick(forSettings = model().settings, by = model().runner) {
    if (gpuPick(forSettings, by) === 'webgpu') return 'webgpu';
    const { session, settings, runner } = model();
    const inForce = forSettings === settings && by === runner;
    return threads.cpuFor(forSettings, by, inForce ? session?.parameters ?? null : null);
  }

  /**
   * auto: the backend measured faster for this model, or for its family while no session of it
   * says its size (timeIfDue checks that guess once the session exists); the CPU until timed.
   * @param {Record<string, any> | null} forSettings @param {Runner | null} by
   * @returns {'cpu' | 'webgpu'}
   */
  function gpuPick(forSettings, by) {
    if (choice === 'cpu' || gpu.state !== 'ok') return 'cpu';
    if (choice === 'webgpu') return 'webgpu';
    if (!forSettings || !by || !timings) return 'cpu';
    const inForce = forSettings === model().settings && by === model().runner;
    if (inForce) return currentTimings()?.faster ?? 'cpu';
    return timings.key === timingKey(by, forSettings) || timings.family === timingFamily(by, forSettings) ? timings.faster : 'cpu';
  }

  /** The timings when they stand for the model in force: its own, or a model's of its family whose size cannot flip the winner. */
  function currentTimings() {
    const { session, settings, runner } = model();
    if (!settings || !timings) return null;
    if (timings.key === timingKey(runner, settings)) return timings;
    return session && timingStands(timings, timingFamily(runner, settings), workOf(session.parameters, settings)) ? timings : null;
  }

  function postBackend() {
    const timed = currentTimings();
    const { session, settings, runner } = model();
    // Timed on another model of this family: how many times its work this one's is.
    const scale = timed && session && settings && timed.key !== timingKey(runner, settings)
      ? workRatio(workOf(session.parameters, settings), timed) : null;
    post({
      type: 'backend', active: session?.backend ?? 'cpu', requested: choice, webgpu: { ...gpu },
      timing: timed && { cpu: timed.cpu, webgpu: timed.webgpu, faster: timed.faster, summary: describeTimings(timed, scale), scale },
      threads: threads.info,
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
   * A first timing only while the model is untrained: one that has started training stays where
   * it is. A model that has grown or shrunk enough to flip the winner of its family's timing (a
   * new batch size keeps the trained model) is timed anew, trained or not, in sessions of its own,
   * and moves with its weights, step and history if the other backend wins.
   */
  async function timeIfDue() {
    await timeWebgpuIfDue();
    await timeThreadsIfDue();
  }

  /**
   * On the CPU, one thread or the pool: the model in force timed on both where no timing stands
   * for it (cpu-threads.js), and moved, trained or not, if the other wins: both compute the same
   * numbers, so nothing it learnt changes.
   */
  async function timeThreadsIfDue() {
    const { session, settings, runner } = model();
    if (!session || !settings || session.backend === 'webgpu') return;
    const by = runner;
    const parameters = session.parameters ?? 0;
    const create = (/** @type {Backend} */ backend) => by.create(settings, backend);
    const report = (/** @type {any} */ timed) => by.report(timed, () => {}, { units: false });
    if (await threads.timeIfDue(settings, by, parameters, create, report)) postBackend();
    const cpu = threads.cpuFor(settings, by, parameters);
    if (pick() === cpu && cpu !== session.backend) await moveTo(cpu);
  }

  async function timeWebgpuIfDue() {
    const { session, settings, runner } = model();
    if (choice === 'cpu' || gpu.state !== 'ok' || !session || !settings || currentTimings()) return;
    const timed = { key: timingKey(runner, settings), family: timingFamily(runner, settings), work: workOf(session.parameters, settings) };
    const retiming = choice === 'auto' && timings?.family === timed.family ? timings : null;
    if (!retiming && (running() || (session.step !== 0 && !untouched()))) {
      if (choice !== 'auto') return;
      setReason('training had already started on the CPU; both backends are timed at the next reset', 'started-on-cpu');
      postBackend();
      return;
    }
    if (retiming) {
      const ratio = workRatio(timed.work, retiming);
      setReason(`this model does ${ratio} the work per step of the one timed, which may change the faster backend: timing both again…`, 'retiming', ratio);
    } else {
      setReason('timing this model on both backends…', 'timing');
    }
    postBackend();
    const by = runner;
    try {
      timings = await timeBackends((backend) => by.create(settings, backend), timed);
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
     * on the CPU (the settings may be fine and WebGPU the problem), and WebGPU counts as failed;
     * when the pool cannot, the same on one thread.
     * @param {Runner} by @param {Record<string, any>} settings @param {Backend} backend
     */
    create(by, settings, backend) {
      try {
        return by.create(settings, backend);
      } catch (err) {
        if (backend === 'threads') {
          // The pool failed (its memory, say): one thread trains from now on.
          threads.failed(err);
          return by.create(settings, 'cpu');
        }
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

    /**
     * After start-up, beside the queue: the WebGPU check, which spends its time awaiting the GPU
     * while training on the CPU (queued work) goes on (only the switch to WebGPU is queued), and
     * the threaded build's load (cpu-threads.js), after which the model in force is timed on it.
     * @param {{ enqueue: (command: string, task: () => Promise<void>) => void, reportError: (command: string, err: unknown) => void }} queue
     * @param {'auto' | 'on' | 'off'} threadsRequest the page's `?threads=`
     */
    inBackground(queue, threadsRequest) {
      threads.load(threadsRequest).then(() => queue.enqueue('threads', async () => {
        postBackend();
        await timeIfDue();
      }));
      if (choice === 'cpu') return;
      ensureChecked().then(() => queue.enqueue('check', this.switchIfChecked), (err) => queue.reportError('check', err));
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
