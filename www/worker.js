// @ts-check
//! The training worker: owns the wasm module and its one session (an MLP on points or a
//! self-attention model on sequences) with the runner and settings it was built with, and the
//! commands that start, open and replace it; it posts the events (www/protocol.js). The rest is
//! owned by its parts: command-queue.js the one queue every wasm call goes through,
//! training-pump.js whether training runs and its batches, backend-choice.js which backend
//! trains, share.js links and model files, user-files.js the user's files. What differs between
//! the modes lives in points-runner.js and sequence-runner.js.

import * as wasm from '../pkg/kindling.js';
import { messageOf } from './webgpu-probe.js';
import { merge } from './settings.js';
import { pointsRunner } from './points-runner.js';
import { sequenceRunner } from './sequence-runner.js';
import { sharing } from './share.js';
import { userFiles } from './user-files.js';
import { projections } from './projection-runner.js';
import { commandQueue } from './command-queue.js';
import { trainingPump } from './training-pump.js';
import { backendChoice } from './backend-choice.js';

/** @typedef {import('./protocol.js').Backend} Backend */
/** @typedef {import('./protocol.js').BackendChoice} BackendChoice */
/** @typedef {import('./protocol.js').Mode} Mode */
/** @typedef {import('./sequence-runner.js').Runner} Runner */
/** @typedef {import('./share.js').Loaded} Loaded */
/**
 * @typedef {{ settings: Record<string, any>, backend: Backend, runner: Runner,
 *             adopted?: () => void, from?: Loaded }} Rebuild
 *   What `rebuild` builds: a session of `runner` (the mode's) with `settings` on `backend`.
 *   adopted: puts them in force once the session is built; from: weights and step to load into it.
 */

const points = pointsRunner(wasm);
const sequences = sequenceRunner(wasm);
/** @type {Runner} the runner of the mode in force */
let runner = points;
/** @type {Record<string, any> | null} */
let settings = null;
/** @type {import('../pkg/kindling.js').Session | null} the wasm session in force */
let session = null;

/** the files the user brought (user-files.js) */
const files = userFiles(wasm, sequences, post);
/** links and model files, made and opened (share.js) */
const shared = sharing(wasm, { post, files, configure, adoptFile });
/** the projection view's frames (projection-runner.js) */
const projector = projections();
const queue = commandQueue({ post, stop: () => pump.stop(), postState: () => pump.postState() });
const pump = trainingPump({ enqueue: queue.enqueue, post, session: () => session, evaluate });
const backends = backendChoice(wasm, {
  post, model: () => ({ session, settings, runner }), running: () => pump.running,
  untouched: () => shared.untouched(session), rebuild,
});

queue.listen({
  init: { run: start },
  configure: { pauses: true, run: (cmd) => configure(cmd.settings, cmd.mode) },
  play: { run: () => pump.play() },
  pause: { pauses: true, run: () => pump.postState() },
  step: { pauses: true, run: () => pump.step() },
  reset: { pauses: true, run: reset },
  setBackend: { pauses: true, run: (cmd) => backends.choose(cmd.backend) },
  setExample: { run: (cmd) => setExample(cmd.index) },
  generate: { run: generate },
  share: { run: (cmd) => session && shared.link(session, cmd.precision, post) },
  exportModel: { run: () => session && shared.file(session, runner.mode, post) },
  // Pauses; a refused model leaves the one in force, and the page is told it is paused.
  open: { pauses: true, run: (cmd) => shared.open(cmd).finally(pump.postState) },
  // The data file a shared model asked for (`needData`); a wrong file is refused, the ask stays.
  openData: { pauses: true, run: (cmd) => shared.openData(cmd).finally(pump.postState) },
  cancelData: { queued: false, run: () => shared.cancelData() },
  // Your own data (user-files.js): a refused file leaves the data and model in force.
  readFile: { run: (cmd) => files.read(cmd) },
  describeTarget: { run: (cmd) => files.describeTarget(cmd) },
  useFile: { pauses: true, run: (cmd) => useFile(cmd).finally(pump.postState) },
  leaveFile: { pauses: true, run: leaveFile },
  projection: { run: (cmd) => projector.configure(cmd, session, settings, post) },
  neighbours: { run: (cmd) => projector.neighbours(session, cmd, post) },
});

// ---- start-up ----------------------------------------------------------------------------------

/** @param {{ backend?: BackendChoice, mode?: Mode, settings?: object, subgroups?: boolean, link?: string }} cmd */
async function start(cmd) {
  backends.start(cmd.backend ?? 'auto', cmd.subgroups !== false);
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
      opened = await shared.open({ link: cmd.link }, 'cpu');
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
  if (backends.choice !== 'cpu') {
    backends.ensureChecked()
      .then(() => queue.enqueue('check', backends.switchIfChecked), (err) => queue.reportError('check', err));
  }
}

// ---- new settings, your own data, a reset ------------------------------------------------------

/**
 * New settings, perhaps of the other mode: a new dataset and model (with the weights of `from`
 * when given). On any error the previous ones stay. A shared model of a built-in dataset
 * (`from` without data) replaces the user's table in force; otherwise a table in force stays.
 * @param {Record<string, any>} next @param {Mode} [mode] @param {Backend} [backend] @param {Loaded} [from]
 */
async function configure(next, mode = runner.mode, backend, from) {
  const builtin = from !== undefined && !from.data;
  const nextRunner = mode === 'sequences' ? sequences : builtin ? points : files.table ?? points;
  const postData = nextRunner.prepare(next);
  await rebuild({
    settings: next, backend: backend ?? backends.pick(next, nextRunner), runner: nextRunner, from,
    adopted: () => {
      if (nextRunner === points) files.leaveTable();
      settings = next;
      runner = nextRunner;
      post({ type: 'configured', mode, settings: next });
      postData(post);
    },
  });
  await backends.timeIfDue();
}

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
 * @param {Runner & { file: import('../pkg/kindling.js').DataFile }} next
 * @param {Record<string, any>} nextSettings @param {Backend} [backend] @param {Loaded} [from]
 */
async function adoptFile(next, nextSettings, backend = backends.pick(nextSettings, next), from) {
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
  await backends.timeIfDue();
}

/** Back to the built-in datasets, with the settings in force. */
async function leaveFile() {
  if (!files.table || !settings) return;
  const postData = points.prepare(settings);
  await rebuild({
    settings, backend: backends.pick(settings, points), runner: points,
    adopted: () => {
      files.leaveTable();
      runner = points;
      postData(post);
    },
  });
  await backends.timeIfDue();
}

async function reset() {
  if (!settings) return;
  await rebuild({ settings, backend: backends.pick(), runner });
  await backends.timeIfDue();
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

// ---- the session -------------------------------------------------------------------------------

/**
 * Builds a session, then (only if that worked) drops the old one and shows the untrained model.
 * @param {Rebuild} build
 */
async function rebuild({ settings: next, backend, runner: by, adopted, from }) {
  const fresh = backends.create(by, next, backend);
  try {
    from?.load(fresh);
  } catch (err) {
    fresh.free();
    throw err;
  }
  session?.free();
  session = fresh;
  backends.using(session.backend);
  adopted?.();
  shared.restart(from);
  post({ type: 'session', backend: session.backend, step: session.step, parameters: session.parameters ?? null });
  if (from) shared.replay(from.history, post);
  backends.postBackend();
  pump.postState();
  await runner.report(session, post);
  await projector.restart(session, settings, post);
  pump.restarted();
}

/**
 * The evaluations due after the steps from `before` to `step` (every one when `force`): the
 * mode's report every `evalEvery` steps, the projection when its frame is due.
 * @param {number} before @param {number} step @param {boolean} force
 */
async function evaluate(before, step, force) {
  if (!session) return;
  const every = Math.max(1, settings?.train?.evalEvery ?? 50);
  if (force || Math.floor(step / every) > Math.floor(before / every)) await runner.report(session, post);
  if (force || projector.due(before, step)) await projector.project(session, settings, post);
}

/**
 * Every event goes out here; sharing keeps the evaluations (a link carries them).
 * @param {import('./protocol.js').WorkerEvent} event @param {Transferable[]} [transfer]
 */
function post(event, transfer = []) {
  shared.record(event);
  self.postMessage(event, transfer);
}
