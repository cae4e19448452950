// @ts-check
//! The training worker: owns the wasm module and its one session (an MLP on points or a
//! self-attention model on sequences), pumps training steps in small batches and posts events
//! (www/protocol.js). Every wasm call goes through one queue, so there is never more than one in
//! flight: a session is not re-entrant, and Burn's devices are not either. What differs between
//! the modes lives in points-runner.js and sequence-runner.js; links and model files in share.js.

import * as wasm from '../pkg/kindling.js';
import { messageOf, probeWebgpu, unchecked } from './webgpu-probe.js';
import { BATCH_TARGET_MS, STEPS_PER_BATCH } from './protocol.js';
import { merge } from './settings.js';
import { pointsRunner } from './points-runner.js';
import { sequenceRunner } from './sequence-runner.js';
import { owned } from './owned.js';
import { sharing } from './share.js';
import { userFiles } from './user-files.js';
import { projections } from './projection-runner.js';
import { describeTimings, timeBackends, timingKey } from './backend-timing.js';

/** How far back the steps/s figure looks. */
const RATE_WINDOW_MS = 3000;

/** @typedef {import('./protocol.js').Backend} Backend */
/** @typedef {import('./protocol.js').BackendChoice} BackendChoice */
/** @typedef {import('./protocol.js').Mode} Mode */

const points = pointsRunner(wasm);
const sequences = sequenceRunner(wasm);
/** @type {import('./sequence-runner.js').Runner} the runner of the mode in force */
let runner = points;
const shared = sharing(wasm);
/** the files the user brought (user-files.js) */
const files = userFiles(wasm, sequences, post);
/** the projection view's frames (projection-runner.js) */
const projector = projections();
/** @typedef {import('./share.js').Loaded} Loaded */
/** @type {Loaded | null} the link or file the session was loaded from (a backend switch reloads it) */
let loaded = null;
/** @type {Loaded | null} a shared model waiting for the user's file it was trained on */
let awaitingData = null;

/** @type {Record<string, any> | null} */
let settings = null;
/** @type {BackendChoice} */
let choice = 'auto';
let requestSubgroups = true;
/** @type {any} the wasm Session or SequenceSession */
let session = null;
let running = false;
let pumpScheduled = false;
/** Steps in the next batch: 1 after Play, then sized to BATCH_TARGET_MS (protocol.js). */
let batchSteps = 1;
/** set once the wasm instance has trapped: every later call would fail the same way */
let crashed = false;
/** @type {[number, number][]} (time ms, step) samples for steps/s */
let rateSamples = [];

/** What is known about WebGPU; posted whole in every `backend` event. */
let gpu = unchecked();
/** @type {import('./backend-timing.js').Timings | null} the last model timed on both backends */
let timings = null;

// ---- the queue ---------------------------------------------------------------------------------

let tail = Promise.resolve();

/**
 * Runs `task` after every task queued before it; a throw becomes an `error` event.
 * @param {string} command @param {() => Promise<void> | void} task
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

/** @param {string} command @param {unknown} err */
function reportError(command, err) {
  let message = messageOf(err);
  if (err instanceof WebAssembly.RuntimeError) {
    crashed = true;
    running = false;
    message = `The wasm module crashed (${message}). Reload the page to start again.`;
  }
  post({ type: 'error', message, command });
  if (running) {
    running = false;
    postState();
  }
}

self.onmessage = ({ data: cmd }) => {
  switch (cmd.type) {
    case 'init': enqueue('init', () => start(cmd)); break;
    case 'configure': running = false; enqueue('configure', () => configure(cmd.settings, cmd.mode)); break;
    case 'play': enqueue('play', play); break;
    case 'pause': running = false; enqueue('pause', postState); break;
    case 'step': running = false; enqueue('step', stepOnce); break;
    case 'reset': running = false; enqueue('reset', reset); break;
    case 'setBackend': running = false; enqueue('setBackend', () => setBackend(cmd.backend)); break;
    case 'setExample': enqueue('setExample', () => setExample(cmd.index)); break;
    case 'generate': enqueue('generate', () => generate(cmd)); break;
    case 'share': enqueue('share', () => session && shared.link(session, cmd.precision, post)); break;
    case 'exportModel': enqueue('exportModel', () => session && shared.file(session, runner.mode, post)); break;
    // Pauses; a refused model leaves the one in force, and the page is told it is paused.
    case 'open': running = false; enqueue('open', () => open(cmd).finally(postState)); break;
    // The data file a shared model asked for (`needData`); a wrong file is refused, the ask stays.
    case 'openData': running = false; enqueue('openData', () => openData(cmd).finally(postState)); break;
    case 'cancelData': awaitingData = null; break;
    // Your own data (user-files.js): a refused file leaves the data and model in force.
    case 'readFile': enqueue('readFile', () => files.read(cmd)); break;
    case 'describeTarget': enqueue('describeTarget', () => files.describeTarget(cmd)); break;
    case 'useFile': running = false; enqueue('useFile', () => useFile(cmd).finally(postState)); break;
    case 'leaveFile': running = false; enqueue('leaveFile', leaveFile); break;
    case 'projection': enqueue('projection', () => projector.configure(cmd, session, settings, post)); break;
    case 'neighbours': enqueue('neighbours', () => projector.neighbours(session, cmd, post)); break;
    default: post({ type: 'error', message: `unknown command '${cmd.type}'` });
  }
};

// ---- commands ----------------------------------------------------------------------------------

/** @param {{ backend?: BackendChoice, mode?: Mode, settings?: object, subgroups?: boolean, link?: string }} cmd */
async function start(cmd) {
  choice = cmd.backend ?? 'auto';
  requestSubgroups = cmd.subgroups !== false;
  const t0 = performance.now();
  await wasm.default();
  const defaults = points.defaults();
  const sequenceDefaults = sequences.defaults();
  const samples = wasm.sampleDatasets();
  post({ type: 'ready', wasmMs: performance.now() - t0, defaults, sequenceDefaults, samples });

  // A model link: its own settings and weights; when it fails, the defaults and its message.
  let linkFailed = null;
  let opened = false;
  if (cmd.link !== undefined) {
    try {
      opened = await open({ link: cmd.link }, 'cpu');
    } catch (err) {
      linkFailed = messageOf(err);
    }
  }
  const mode = cmd.mode === 'sequences' ? 'sequences' : 'points';
  const modeDefaults = mode === 'sequences' ? sequenceDefaults : defaults;
  if (linkFailed !== null) {
    await configure(modeDefaults, mode, 'cpu');
    post({ type: 'error', message: `${linkFailed} The page starts with the default settings.`, command: 'open' });
  } else if (!opened) {
    // No link, or one waiting for its data file (`needData`): the page's own settings meanwhile.
    try {
      await configure(merge(modeDefaults, cmd.settings ?? {}), mode, 'cpu');
    } catch (err) {
      if (!cmd.settings || Object.keys(cmd.settings).length === 0) throw err;
      await configure(modeDefaults, mode, 'cpu');
      const message = messageOf(err);
      post({ type: 'error', message: `The settings in the link were not accepted (${message}); using the defaults.`, command: 'init' });
    }
  }
  // Its own task: commands sent meanwhile run in order around it.
  // The check runs beside the queue, not in it: it spends its time awaiting the GPU, and
  // training on the CPU (queued work) goes on meanwhile. Only the switch to WebGPU is queued.
  if (choice !== 'cpu') {
    ensureChecked().then(() => enqueue('check', switchIfChecked), (err) => reportError('check', err));
  }
}

/** The runner that `configure` uses for `mode`: a table in force stays in force. @param {Mode} mode */
function runnerOf(mode) {
  return mode === 'sequences' ? sequences : files.table ?? points;
}

/**
 * New settings, perhaps of the other mode: a new dataset and model (with the weights of `from`
 * when given). On any error the previous ones stay. A shared model of a built-in dataset
 * (`from` without data) replaces the user's table in force.
 * @param {Record<string, any>} next @param {Mode} [mode] @param {Backend} [backend] @param {Loaded} [from]
 */
async function configure(next, mode = runner.mode, backend, from) {
  const builtin = from !== undefined && !from.data;
  const nextRunner = builtin && mode === 'points' ? points : runnerOf(mode);
  const postData = nextRunner.prepare(next);
  await rebuild({
    settings: next, backend: backend ?? pickBackend(next, nextRunner), runner: nextRunner, from,
    adopted: () => {
      if (nextRunner === points) files.leaveTable();
      settings = next;
      runner = nextRunner;
      post({ type: 'configured', mode, settings: next });
      postData(post);
    },
  });
  await timeIfDue();
}

/**
 * A shared model, from a link's text or a file's bytes: its settings, weights, step and history.
 * One trained on a user's file is built on that file first; when it is not at hand the page is
 * asked for it (`needData`) and the model in force stays meanwhile.
 * @param {{ link?: string, bytes?: Uint8Array }} cmd @param {Backend} [backend]
 * @returns {Promise<boolean>} whether it opened (false: it waits for its data file)
 */
async function open(cmd, backend) {
  const from = cmd.link !== undefined ? shared.fromLink(cmd.link) : shared.fromFile(new Uint8Array(cmd.bytes ?? []));
  if (!from.data) {
    await configure(from.settings, from.mode, backend, from);
  } else {
    const file = files.atHand(from.data, from.text);
    if (!file) {
      awaitingData = from;
      const { name, bytes, sha256 } = from.data;
      post({ type: 'needData', source: from.source, mode: from.mode, step: from.step, name, bytes, sha256 });
      return false;
    }
    await openOn(file, from, backend);
  }
  awaitingData = null;
  post({ type: 'opened', source: from.source, mode: from.mode, step: from.step });
  return true;
}

/** @param {{ name?: string, bytes?: ArrayBuffer | Uint8Array }} cmd */
async function openData(cmd) {
  const from = awaitingData;
  if (!from?.data) throw new Error('No shared model is waiting for a data file.');
  await openOn(files.given(cmd, from.data), from);
  awaitingData = null;
  post({ type: 'opened', source: from.source, mode: from.mode, step: from.step });
}

/**
 * Builds the shared model on `file` as it was built (its `use`), then loads its weights.
 * @param {any} file @param {Loaded} from @param {Backend} [backend]
 */
async function openOn(file, from, backend) {
  const data = /** @type {import('./protocol.js').DataOrigin} */ (from.data);
  try {
    await adoptFile(files.runnerForShared(file, data), from.settings, backend, from);
  } catch (err) {
    files.release(file);
    throw err;
  }
}

/** The loaded model while it has not trained since (moved to another backend with its weights). */
function untouched() {
  return loaded && session && session.step === loaded.step ? loaded : undefined;
}

// ---- your own data -----------------------------------------------------------------------------

/**
 * Trains on the file read last: a table with the MLP as `choices` say (the points mode); a text,
 * or a table's text column (`tokens`), with a transformer (the sequences mode); each with the
 * settings of its mode in force (or its defaults).
 * @param {{ choices?: Record<string, any>, tokens?: Record<string, any> }} cmd
 */
async function useFile(cmd) {
  const next = files.runnerFor(cmd);
  const mode = next.mode;
  const base = runner.mode === mode && settings ? settings : mode === 'sequences' ? sequences.defaults() : points.defaults();
  // A text (not a text column) trains a language model: the sequences settings' 'text' task.
  const languageModel = mode === 'sequences' && next.file.kind === 'text';
  await adoptFile(next, languageModel ? { ...base, data: { ...base.data, task: 'text' } } : base);
}

/**
 * Trains `next`, a runner bound to a user's file, with `nextSettings` (and the weights of
 * `from`); the file it replaces is freed. On any error the data and model in force stay.
 * @param {import('./sequence-runner.js').Runner & { file: any }} next
 * @param {Record<string, any>} nextSettings @param {Backend} [backend] @param {Loaded} [from]
 */
async function adoptFile(next, nextSettings, backend = pickBackend(nextSettings, next), from) {
  const postData = next.prepare(nextSettings);
  await rebuild({
    settings: nextSettings, backend, runner: next, from,
    adopted: () => {
      files.adopted(next);
      settings = nextSettings;
      runner = next;
      post({ type: 'configured', mode: next.mode, settings: nextSettings });
      postData(post);
    },
  });
  await timeIfDue();
}

/** Back to the built-in datasets, with the settings in force. */
async function leaveFile() {
  if (!files.table || !settings) return;
  const postData = points.prepare(settings);
  await rebuild({
    settings, backend: pickBackend(settings, points), runner: points,
    adopted: () => {
      files.leaveTable();
      runner = points;
      postData(post);
    },
  });
  await timeIfDue();
}

async function reset() {
  if (!settings) return;
  await rebuild({ settings, backend: pickBackend(), runner });
  await timeIfDue();
}

/** @param {BackendChoice} next */
async function setBackend(next) {
  choice = next;
  if (!settings) return;
  if (choice !== 'cpu') await ensureChecked();
  await rebuild({ settings, backend: pickBackend(), runner, from: untouched() });
  refuseIfForcedAndFailed();
  await timeIfDue();
}

async function play() {
  if (!session || running) return;
  running = true;
  batchSteps = 1;
  rateSamples = [[performance.now(), session.step]];
  postState();
  schedulePump();
}

/** The page shows another test example: its attention maps and predictions, now. @param {number} index */
async function setExample(index) {
  sequences.setExample(index);
  if (session && runner.mode === 'sequences') await sequences.inspect(session, post);
}

/** @param {{ prompt: string, length: number, temperature: number }} cmd */
async function generate(cmd) {
  if (!session || runner.mode !== 'sequences') throw new Error('Generating text needs a sequence model on the text task.');
  await sequences.generate(session, cmd, post);
}

async function stepOnce() {
  if (!session) return;
  const before = session.step;
  session.train(1);
  if (await afterSteps(before, true)) postState();
}

// ---- the pump ----------------------------------------------------------------------------------

/** The next batch goes to the back of the queue, after a yield, so pause and reset get in. */
function schedulePump() {
  if (pumpScheduled) return;
  pumpScheduled = true;
  setTimeout(() => {
    pumpScheduled = false;
    if (running) enqueue('play', pumpBatch);
  }, 0);
}

async function pumpBatch() {
  if (!running || !session) return;
  const before = session.step;
  const t = performance.now();
  session.train(batchSteps);
  const ok = await afterSteps(before, false);
  const msPerStep = (performance.now() - t) / batchSteps;
  batchSteps = Math.max(1, Math.min(STEPS_PER_BATCH, Math.floor(BATCH_TARGET_MS / Math.max(msPerStep, 1e-3))));
  if (ok && running) schedulePump();
}

/**
 * Reads the losses of the steps just taken, reports them, and evaluates when due.
 * @param {number} before the step count before training
 * @param {boolean} forceEval
 * @returns {Promise<boolean>} false when training diverged
 */
async function afterSteps(before, forceEval) {
  const losses = owned(await session.readLosses());
  const step = session.step;
  const firstStep = step - losses.length + 1;
  const bad = losses.findIndex((v) => !Number.isFinite(v));
  const badValue = bad >= 0 ? losses[bad] : 0;
  post({
    type: 'progress', step, epoch: session.epoch, stepsPerSec: stepsPerSec(step),
    firstStep, losses,
  }, [losses.buffer]);

  if (bad >= 0) {
    running = false;
    const what = Number.isNaN(badValue) ? 'NaN' : 'infinite';
    post({
      type: 'diverged', step: firstStep + bad,
      message: `Loss became ${what} at step ${firstStep + bad}. Try a lower learning rate.`,
    });
    postState();
    return false;
  }
  const every = Math.max(1, settings?.train?.evalEvery ?? 50);
  if (forceEval || Math.floor(step / every) > Math.floor(before / every)) await runner.report(session, post);
  if (forceEval || projector.due(before, step)) await projector.project(session, settings, post);
  return true;
}

/** @param {number} step */
function stepsPerSec(step) {
  const now = performance.now();
  rateSamples.push([now, step]);
  while (rateSamples.length > 2 && now - rateSamples[1][0] > RATE_WINDOW_MS) rateSamples.shift();
  const [t0, s0] = rateSamples[0];
  return now > t0 ? ((step - s0) * 1000) / (now - t0) : 0;
}

// ---- sessions and backends ---------------------------------------------------------------------

/**
 * auto: the backend measured faster for this model (the CPU until it has been timed).
 * @param {Record<string, any> | null} [forSettings] @param {import('./sequence-runner.js').Runner | null} [by]
 * @returns {Backend}
 */
function pickBackend(forSettings = settings, by = runner) {
  if (choice === 'cpu' || gpu.state !== 'ok') return 'cpu';
  if (choice === 'webgpu') return 'webgpu';
  return forSettings && by && timings?.key === timingKey(by, forSettings) ? timings.faster : 'cpu';
}

/** The timings when they are of the model in force. */
function currentTimings() {
  return settings && timings?.key === timingKey(runner, settings) ? timings : null;
}

/**
 * Times a model not timed yet on both backends (backend-timing.js); auto then moves to the
 * faster. A forced WebGPU stays, but the timing has compiled its kernels, so Play starts at once.
 * Only while the model is untrained: one that has started training stays where it is.
 */
async function timeIfDue() {
  if (choice === 'cpu' || gpu.state !== 'ok' || !session || !settings || currentTimings()) return;
  if (running || (session.step !== 0 && !untouched())) {
    if (choice !== 'auto') return;
    gpu.reason = 'training had already started on the CPU; both backends are timed at the next reset';
    postBackend();
    return;
  }
  gpu.reason = 'timing this model on both backends…';
  postBackend();
  const [by, timed] = [runner, settings];
  try {
    timings = await timeBackends((backend) => by.create(timed, backend), timingKey(by, timed));
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) throw err;
    gpu.state = 'failed';
    gpu.reason = `a WebGPU session failed while being timed: ${messageOf(err)}`;
  }
  if (gpu.state === 'ok') gpu.reason = null;
  if (choice === 'auto' && timings && pickBackend() !== session.backend) {
    await rebuild({ settings, backend: pickBackend(), runner, from: untouched() });
  } else {
    postBackend();
  }
}

/**
 * @typedef {{ settings: Record<string, any>, backend: Backend, runner: import('./sequence-runner.js').Runner,
 *             adopted?: () => void, from?: Loaded }} Rebuild
 *   What `rebuild` builds: a session of `runner` (the mode's) with `settings` on `backend`.
 *   adopted: puts them in force once the session is built; from: weights and step to load into it.
 */

/**
 * Builds a session, then (only if that worked) drops the old one and shows the untrained model.
 * @param {Rebuild} build
 */
async function rebuild({ settings: next, backend, runner: by, adopted, from }) {
  let fresh;
  try {
    fresh = by.create(next, backend);
  } catch (err) {
    if (backend !== 'webgpu') throw err;
    // The settings may be fine and WebGPU the problem: try them on the CPU before giving up.
    fresh = by.create(next, 'cpu');
    gpu.state = 'failed';
    gpu.reason = `could not start a session: ${messageOf(err)}`;
  }
  try {
    from?.load(fresh);
  } catch (err) {
    fresh.free();
    throw err;
  }
  session?.free();
  session = fresh;
  loaded = from ?? null;
  if (session.backend === 'webgpu') gpu.reason = null;
  adopted?.();
  shared.restart();
  post({ type: 'session', backend: session.backend, step: session.step, parameters: session.parameters ?? null });
  if (from) shared.replay(from.history, post);
  postBackend();
  postState();
  await runner.report(session, post);
  await projector.restart(session, settings, post);
  if (running) {
    batchSteps = 1;
    rateSamples = [[performance.now(), session.step]];
    schedulePump();
  }
}

/** After start-up: check WebGPU, and move to it while the model is still untrained. */
async function switchIfChecked() {
  if (choice === 'cpu' || !session) return;
  if (choice === 'webgpu' && gpu.state === 'ok' && session.backend !== 'webgpu') {
    if (session.step === 0 || untouched()) {
      await rebuild({ settings: settings ?? {}, backend: 'webgpu', runner, from: untouched() });
    } else {
      gpu.reason = 'training had already started on the CPU; WebGPU takes over at the next reset';
    }
  }
  postBackend();
  refuseIfForcedAndFailed();
  await timeIfDue();
}

function refuseIfForcedAndFailed() {
  if (choice !== 'webgpu' || gpu.state === 'ok') return;
  const what = gpu.state === 'unavailable' ? 'is unavailable' : 'failed its self-check';
  post({
    type: 'error', command: 'setBackend',
    message: `WebGPU was chosen, but it ${what}: ${gpu.reason}. Training stays on the CPU.`,
  });
}

/** @type {Promise<void> | null} the one WebGPU probe, in flight or done */
let probe = null;

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

// ---- posting -----------------------------------------------------------------------------------

/** @param {object} event @param {Transferable[]} [transfer] */
function post(event, transfer = []) {
  shared.record(event);
  self.postMessage(event, transfer);
}

function postBackend() {
  const timed = currentTimings();
  post({
    type: 'backend', active: session?.backend ?? 'cpu', requested: choice, webgpu: { ...gpu },
    timing: timed && { cpu: timed.cpu, webgpu: timed.webgpu, faster: timed.faster, summary: describeTimings(timed) },
  });
}

function postState() {
  post({ type: 'state', running, step: session?.step ?? 0 });
}

