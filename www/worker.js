// @ts-check
//! The training worker: owns the wasm module and its one session (an MLP on points or a
//! self-attention model on sequences) with the runner and settings it was built with, and the
//! commands that start, open and replace it; it posts the events (www/protocol.js). The rest is
//! owned by its parts: command-queue.js the one queue every wasm call goes through,
//! training-pump.js whether training runs and its batches, backend-choice.js which backend
//! trains, share.js links and model files, user-files.js the user's files, recipe-runner.js the
//! training recipe's checks, cpu-threads.js the threaded build (a second wasm, on every core).
//! What differs between the modes lives in points-runner.js and sequence-runner.js.

import * as wasm from '../pkg/kindling.js';
import { detailOf, messageOf, typedError } from './webgpu-probe.js';
import { differences, merge } from './settings.js';
import { pointsRunner } from './points-runner.js';
import { sequenceRunner } from './sequence-runner.js';
import { sharing } from './share.js';
import { userFiles } from './user-files.js';
import { projections } from './projection-runner.js';
import { commandQueue } from './command-queue.js';
import { trainingPump } from './training-pump.js';
import { backendChoice } from './backend-choice.js';
import { keepingWork } from './keep-work.js';
import { recipeChecks } from './recipe-runner.js';
import { predictCommands } from './predict-runner.js';
import { cpuThreads } from './cpu-threads.js';

/** @typedef {import('./protocol.js').Backend} Backend */
/** @typedef {import('./protocol.js').Mode} Mode */
/** @typedef {import('./sequence-runner.js').Runner} Runner */
/** @typedef {import('./share.js').Loaded} Loaded */
/**
 * @typedef {{ settings: Record<string, any>, backend: Backend, runner: Runner,
 *             adopted?: () => void, from?: Loaded, replaces?: string, continues?: boolean }} Rebuild
 *   What `rebuild` builds: a session of `runner` (the mode's) with `settings` on `backend`.
 *   adopted: puts them in force once the session is built; from: weights and step to load into it;
 *   replaces: the action that replaces the model in force (it can be undone, undo.js);
 *   continues: the same model goes on (a backend move), so the views keep its history.
 */

/** the CPU's threaded build, loaded beside this one where the page allows it */
const threads = cpuThreads(wasm);
const points = pointsRunner(wasm, threads.buildOf);
const sequences = sequenceRunner(wasm, threads.buildOf);
/** @type {Runner} the runner of the mode in force */
let runner = points;
/** @type {Record<string, any> | null} */
let settings = null;
/** @type {import('../pkg/kindling.js').Session | null} the wasm session in force */
let session = null;

/** the files the user brought (user-files.js) */
const files = userFiles(wasm, sequences, post, threads.buildOf);
/** links and model files, made and opened (share.js) */
const shared = sharing(wasm, { post, files, configure, adoptFile });
/** the projection view's frames (projection-runner.js) */
const projector = projections();
const queue = commandQueue({ post, stop: () => pump.stop(), postState: () => pump.postState() });
const pump = trainingPump({ enqueue: queue.enqueue, post, session: () => session, evaluate, nextEvaluation });
const predicting = predictCommands(() => session, post);
const backends = backendChoice(wasm, {
  post, model: () => ({ session, settings, runner }), running: () => pump.running,
  untouched: () => shared.untouched(session), moving: () => keeper.moving(), rebuild, threads,
});
/** Undo's model, the autosave and the model a backend move carries (keep-work.js) */
const keeper = keepingWork({
  post, files, points, model: () => ({ session, runner }), history: () => shared.history(),
  rebuild, pick: (s, by) => backends.pick(s, by),
});
const { undo, saver, autosave } = keeper;
/** the training recipe's checks (recipe-runner.js) */
const recipe = recipeChecks({ post, session: () => session });
/** set by init: the page was opened with `?testhooks` (the panic hook may be routed) */
let testHooks = false;
/** What the reports carry besides the mode's views: the network diagram's units while shown. */
const views = { units: false };

queue.listen({
  init: { run: start },
  // Training settings apply to the running model at its next batch; others build a new one.
  configure: { run: (cmd) => retuneOrConfigure(cmd.settings, cmd.mode) },
  play: { run: () => pump.play() },
  // Stops again in its turn: a Play queued before it (behind a rebuild) must not win.
  pause: { pauses: true, run: () => { pump.stop(); pump.postState(); return autosave(); } },
  step: { pauses: true, run: () => pump.step().then(autosave) },
  reset: { pauses: true, run: reset },
  undo: { pauses: true, run: () => undo.undo() },
  startFresh: { pauses: true, run: startFresh },
  // The model moves with its weights, step and history; training goes on there.
  setBackend: { run: (cmd) => backends.choose(cmd.backend) },
  panicForTest: { run: (cmd) => { if (testHooks) wasm.panicForTest(String(cmd.message ?? 'a test panic')); } },
  setExample: { run: (cmd) => setExample(cmd.index) },
  attentionSteps: { run: showSteps },
  generate: { run: generate },
  share: { run: (cmd) => session && shared.link(session, cmd.precision, post) },
  exportModel: { run: () => session && shared.file(session, runner.mode, post) },
  exportPytorch: { run: async () => session && shared.pytorch(session, runner.mode, post) },
  // The model in force at a point of the plane, and on a file of new rows (predict-runner.js).
  outputAt: { run: (cmd) => predicting.outputAt(cmd) },
  predictFile: { run: (cmd) => predicting.predictFile(cmd) },
  classifyText: { run: (cmd) => predicting.classifyText(cmd) },
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
  // The training recipe: checks that leave the model as it is (recipe-runner.js).
  recipe: { run: (cmd) => recipe.check(cmd.check) },
  baseline: { run: (cmd) => recipe.setBaseline(cmd.on === true) },
  diagram: { run: (cmd) => showDiagram(cmd.shown) },
});

// ---- start-up ----------------------------------------------------------------------------------

/**
 * @param {import('./protocol.js').InitCommand} cmd
 */
async function start(cmd) {
  backends.start(cmd.backend ?? 'auto', cmd.subgroups !== false);
  testHooks = cmd.testHooks === true;
  saver.enable(cmd.autosave !== false);
  const t0 = performance.now();
  await wasm.default();
  const defaults = points.defaults();
  const sequenceDefaults = sequences.defaults();
  const samples = wasm.sampleDatasets();
  post({ type: 'ready', wasmMs: performance.now() - t0, defaults, sequenceDefaults, samples });

  const mode = cmd.mode === 'sequences' ? 'sequences' : 'points';
  const modeDefaults = mode === 'sequences' ? sequenceDefaults : defaults;
  const asked = merge(modeDefaults, cmd.settings ?? {});
  const saved = await saver.load();
  // After a crash, the model saved last; after a reload, the same unless the URL asks for
  // another model (a link, or other settings): then that, and the saved one can come back.
  const restoring = saved && (cmd.recover !== undefined ||
    (cmd.link === undefined && saved.mode === mode && differences(asked, saved.settings).length === 0));
  if (saved && restoring) {
    try {
      if (await shared.restore(saved, 'cpu')) {
        post({ type: 'restored', step: saved.step, savedAt: saved.savedAt, crash: cmd.recover ?? null });
        return backends.inBackground(queue, cmd.threads ?? 'auto');
      }
    } catch (err) {
      post({
        type: 'error', message: `Your saved model could not be reopened (${messageOf(err)}).`, command: 'init',
        code: 'saved-not-reopened', fields: {}, cause: detailOf(err),
      });
    }
  }
  // A model link: its own settings and weights; when it fails, the defaults and its message.
  /** @type {ReturnType<typeof detailOf> | null} */
  let linkFailed = null;
  let opened = false;
  if (cmd.link !== undefined && cmd.recover === undefined) {
    try {
      opened = await shared.open({ link: cmd.link }, 'cpu');
    } catch (err) {
      linkFailed = detailOf(err);
    }
  }
  if (linkFailed !== null) {
    await configure(modeDefaults, mode, 'cpu');
    post({
      type: 'error', message: `${linkFailed.message} The page starts with the default settings.`, command: 'open',
      code: 'link-defaults', fields: {}, cause: linkFailed,
    });
  } else if (!opened && !session) {
    // No link, or one waiting for its data file (`needData`): the page's own settings meanwhile.
    try {
      await configure(asked, mode, 'cpu');
    } catch (err) {
      if (!cmd.settings || Object.keys(cmd.settings).length === 0) throw err;
      await configure(modeDefaults, mode, 'cpu');
      const message = messageOf(err);
      post({
        type: 'error', message: `The settings in the link were not accepted (${message}); using the defaults.`, command: 'init',
        code: 'settings-defaults', fields: {}, cause: detailOf(err),
      });
    }
  }
  if (saved && !restoring && saved.step > 0) {
    undo.offer({
      what: cmd.link !== undefined ? 'openedLink' : 'openedOtherSettings', step: saved.step,
      restore: async () => { await shared.restore(saved); },
    });
  }
  backends.inBackground(queue, cmd.threads ?? 'auto');
}

// ---- new settings, your own data, a reset ------------------------------------------------------

/**
 * Settings from the page: on the model in force when it can take them as it is (training
 * settings and dropout, from its next batch: `retuned`, which the loss chart marks); otherwise a
 * new model (`configure`), which pauses training and can be undone.
 * @param {Record<string, any>} next @param {Mode} [mode]
 */
async function retuneOrConfigure(next, mode = runner.mode) {
  const retuned = session && mode === runner.mode ? session.retune(next) : null;
  if (!retuned || !session) {
    // A refused model (out of range, over the memory budget) leaves the one in force training.
    const wasRunning = pump.stop();
    try {
      return await configure(next, mode);
    } catch (err) {
      if (wasRunning) await pump.play();
      throw err;
    }
  }
  settings = session.settings;
  postConfigured(mode, settings);
  if (retuned.changes.length) post(retuned);
  // A new batch size changes the work per step: the timing may no longer stand for it.
  backends.postBackend();
  await backends.timeIfDue();
  await autosave();
}

/**
 * New settings, perhaps of the other mode: a new dataset and model (with the weights of `from`
 * when given). On any error the previous ones stay. A shared model of a built-in dataset
 * (`from` without data) replaces the user's table in force; otherwise a table in force stays.
 * @param {Record<string, any>} next @param {Mode} [mode] @param {Backend} [backend] @param {Loaded} [from]
 * @param {string} [replaces] the action, for Undo (default: what `from` is, or new settings)
 */
async function configure(next, mode = runner.mode, backend, from, replaces) {
  const builtin = from !== undefined && !from.data;
  const nextRunner = mode === 'sequences' ? sequences : builtin ? points : files.table ?? points;
  await rebuild({
    settings: next, backend: backend ?? backends.pick(next, nextRunner), runner: nextRunner, from, replaces,
    adopted: () => {
      if (nextRunner === points) files.leaveTable();
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
  await rebuild({
    settings: nextSettings, backend, runner: next, from, replaces: from ? undefined : 'trainedOnFile',
    adopted: () => files.adopted(next),
  });
  await backends.timeIfDue();
}

/** Back to the built-in datasets, with the settings in force. */
async function leaveFile() {
  if (!files.table || !settings) return;
  await rebuild({
    settings, backend: backends.pick(settings, points), runner: points, replaces: 'builtinData',
    adopted: () => files.leaveTable(),
  });
  await backends.timeIfDue();
}

async function reset() {
  if (!settings) return;
  await rebuild({ settings, backend: backends.pick(), runner, replaces: 'reset' });
  await backends.timeIfDue();
}

/** The points mode's defaults, untrained, on the built-in data (beside "Restored your model"). */
async function startFresh() {
  await configure(points.defaults(), 'points', undefined, undefined, 'startFresh');
}

/** The page shows another test example: its attention maps and predictions, now. @param {number} index */
async function setExample(index) {
  sequences.setExample(index);
  if (session && runner.mode === 'sequences') await sequences.inspect(session, post);
}

/**
 * The page shows the network diagram or hides it: while hidden no report computes its units.
 * Opened, it gets them at once (between evaluations they come with the boundary).
 * @param {boolean} shown
 */
async function showDiagram(shown) {
  views.units = shown === true;
  if (views.units && session && runner.units) await runner.units(session, post);
}

/** The step-by-step view opened (its head, now) or closed. @param {{ open: boolean, layer?: number, head?: number }} cmd */
async function showSteps(cmd) {
  sequences.showSteps(cmd);
  if (session && runner.mode === 'sequences') await sequences.inspectSteps(session, post);
}

/** @param {{ prompt: string, length: number, temperature: number }} cmd */
async function generate(cmd) {
  if (!session || runner.mode !== 'sequences') throw typedError('Generating text needs a sequence model on the text task.', 'generate-needs-text');
  await sequences.generate(session, cmd, post);
}

// ---- the session -------------------------------------------------------------------------------

/** What opening each kind of shared model is called, for Undo. */
const OPENED = { link: 'openedLink', file: 'openedFile', autosave: 'restoredSaved' };

/**
 * Builds a session, then (only if that worked) puts it in force: it adopts the settings as Rust
 * completed them, drops the old session and shows the new model. A trained model it replaces
 * (not one that merely moves, `continues`) can be put back with Undo.
 * @param {Rebuild} build
 */
async function rebuild({ settings: next, backend, runner: by, adopted, from, replaces, continues = false }) {
  const postData = by.prepare(next);
  const fresh = backends.create(by, next, backend);
  try {
    from?.load(fresh);
  } catch (err) {
    fresh.free();
    throw err;
  }
  const previous = continues ? null : await keeper.snapshotOfTrained();
  session?.free();
  session = fresh;
  recipe.adopt(session);
  backends.using(session.backend);
  const switched = by.mode !== runner.mode;
  settings = session.settings;
  runner = by;
  adopted?.();
  shared.restart(from);
  if (!continues || switched) postConfigured(by.mode, settings);
  postData(post);
  post({ type: 'session', backend: session.backend, step: session.step, parameters: session.parameters ?? null, summary: session.summary(), continued: continues });
  if (from) shared.replay(from.history, post, session.step);
  backends.postBackend();
  pump.postState();
  await runner.report(session, post, views);
  await projector.restart(session, settings, post);
  if (previous) keeper.offerBack(previous, replaces ?? (from ? OPENED[from.source] : 'newSettings'));
  await autosave();
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
  if (force || Math.floor(step / every) > Math.floor(before / every)) await runner.report(session, post, views);
  if (force || projector.due(before, step)) await projector.project(session, settings, post);
  if (pump.running && saver.due()) await autosave();
}

/**
 * The settings in force, and their learning-rate schedule sampled for its curve.
 * @param {Mode} mode @param {Record<string, any>} accepted
 */
function postConfigured(mode, accepted) {
  post({ type: 'configured', mode, settings: accepted });
  post({ type: 'schedule', ...wasm.scheduleCurve(accepted.train, 120) });
}

/** The first step after `step` at which the mode's evaluation is due. @param {number} step */
function nextEvaluation(step) {
  const every = Math.max(1, settings?.train?.evalEvery ?? 50);
  return (Math.floor(step / every) + 1) * every;
}

/**
 * Every event goes out here; sharing keeps the evaluations (a link carries them).
 * @param {import('./protocol.js').WorkerEvent} event @param {Transferable[]} [transfer]
 */
function post(event, transfer = []) {
  shared.record(event);
  self.postMessage(event, transfer);
}
