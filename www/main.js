// @ts-check
//! Composition root: creates the training worker and the views, routes the worker's events to
//! the views and the user's edits and clicks to the worker. No training happens here.
//! Besides the worker's events (protocol.js) the views get three from the page itself:
//! `{type: 'settings', settings, force}` (settings in force; `force` also overwrites the field
//! being edited), `{type: 'backendChoice', backend}` and `{type: 'mode', mode}` (the mode in
//! force: 'points' or 'sequences'). A mode's own panels get only that mode's settings.

import { SettingsState } from './state.js';
import { t } from './i18n.js';
import { LanguageSwitch, startLanguage } from './views/language-switch.js';
import { DatasetPanel } from './views/dataset-panel.js';
import { NetworkEditor } from './views/network-editor.js';
import { TrainingSettings } from './views/training-settings.js';
import { LrSchedule } from './views/lr-schedule.js';
import { PredictPanel } from './views/predict-panel.js';
import { TextClassify } from './views/text-classify.js';
import { BoundaryProbe } from './views/boundary-probe.js';
import { TrainingControls } from './views/training-controls.js';
import { StatusBar } from './views/status-bar.js';
import { MessageArea } from './views/message-area.js';
import { Metrics } from './views/metrics.js';
import { LossChart } from './views/loss-chart.js';
import { DecisionBoundary } from './views/decision-boundary.js';
import { NetworkDiagram } from './views/network-diagram.js';
import { ModeSwitch } from './views/mode-switch.js';
import { SequencePanel } from './views/sequence-panel.js';
import { SequenceModelEditor } from './views/sequence-model-editor.js';
import { AttentionGrid } from './views/attention-grid.js';
import { AttentionSteps } from './views/attention-steps.js';
import { EmbeddingSimilarity } from './views/embedding-similarity.js';
import { Positions } from './views/positions.js';
import { Predictions } from './views/predictions.js';
import { SharePanel } from './views/share-panel.js';
import { ProjectionView } from './views/projection-view.js';
import { UploadPanel } from './views/upload-panel.js';
import { TablePreview } from './views/table-preview.js';
import { ConfusionMatrix } from './views/confusion-matrix.js';
import { DataRequest } from './views/data-request.js';
import { RecipePanel } from './views/recipe-panel.js';
import { ModelSummary } from './views/model-summary.js';
import { keepOffline } from './offline.js';

const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

// The language first: the views write their text in it as they are made.
startLanguage();
const state = new SettingsState(location.hash);
/** The training worker; replaced when its wasm instance crashes (`crashed`). */
let worker = startWorker();
/** The last autosaves (`autosaved` events), for benchmarks (`?testhooks`). */
const autosaves = /** @type {import('./protocol.js').AutosavedEvent[]} */ ([]);
/** Who waits for the next autosave (a reload into a new version). */
let autosaveWaiters = /** @type {(() => void)[]} */ ([]);
/** When the workers crashed (ms), to stop restarting one that crashes as it starts. */
const crashes = /** @type {number[]} */ ([]);
/** @param {import('./protocol.js').Command} command */
const send = (command) => worker.postMessage(command);

const dataset = new DatasetPanel(byId('dataset-panel'));
const network = new NetworkEditor(byId('network-editor'));
const training = new TrainingSettings(byId('training-settings'));
const schedule = new LrSchedule(byId('training-settings'));
const controls = new TrainingControls(byId('training-controls'));
const status = new StatusBar(byId('status-bar'));
const messages = new MessageArea(byId('messages'));
const metrics = new Metrics(byId('metrics'));
const chart = new LossChart(byId('loss-panel'));
const boundary = new DecisionBoundary(byId('boundary-panel'));
const diagram = new NetworkDiagram(byId('diagram-panel'));
const modeSwitch = new ModeSwitch(byId('mode-switch'));
const sequenceData = new SequencePanel(byId('sequence-data-panel'));
const sequenceModel = new SequenceModelEditor(byId('sequence-model-editor'));
const attention = new AttentionGrid(byId('attention-panel'));
const attentionSteps = new AttentionSteps(byId('attention-steps-panel'));
const predictions = new Predictions(byId('predictions-panel'));
const classify = new TextClassify(byId('predictions-panel'));
const sharePanel = new SharePanel(byId('model-tools'));
const projection = new ProjectionView(byId('projection-panel'));
const similarity = new EmbeddingSimilarity(byId('projection-panel'));
const positions = new Positions(byId('projection-panel'));
const upload = new UploadPanel(byId('upload-panel'));
const tablePreview = new TablePreview(byId('table-preview'));
const testMetrics = new ConfusionMatrix(byId('test-metrics-panel'));
const predict = new PredictPanel(byId('predict-panel'));
const probe = new BoundaryProbe(byId('boundary-panel'));
const dataRequest = new DataRequest(byId('data-request'));
const recipe = new RecipePanel(byId('recipe-panel'));
const modelSummary = new ModelSummary(byId('model-summary-panel'));
new LanguageSwitch(byId('language-switch'));
const views = [
  modeSwitch, dataset, network, sequenceData, sequenceModel, training, schedule, controls, status, messages,
  metrics, chart, boundary, diagram, attention, attentionSteps, predictions, classify, sharePanel, projection, similarity, positions,
  upload, tablePreview, testMetrics, predict, probe, dataRequest, recipe, modelSummary,
];
/** The panels that edit one mode's settings: the other mode's settings are not theirs. */
/** @type {Map<object, import('./protocol.js').Mode>} */
const panelMode = new Map();
for (const panel of [dataset, network, recipe]) panelMode.set(panel, 'points');
for (const panel of [sequenceData, sequenceModel]) panelMode.set(panel, 'sequences');

/** @param {any} event */
const broadcast = (event) => {
  for (const view of views) {
    if (event.type === 'settings' && (panelMode.get(view) ?? state.mode) !== state.mode) continue;
    view.update(event);
  }
};

/** @param {import('./protocol.js').Mode} mode */
const showMode = (mode) => broadcast({ type: 'mode', mode });

/** @param {(s: Record<string, any>) => void} edit */
const configure = (edit) => {
  if (!state.settings) return;
  send({ type: 'configure', mode: state.mode, settings: state.edited(edit) });
};
for (const panel of [dataset, network, sequenceData, sequenceModel, training, recipe]) panel.onEdit = configure;
modeSwitch.onSwitch = (mode) => {
  const next = state.switchTo(mode);
  if (next) send({ type: 'configure', mode, settings: next });
  else showMode(state.mode);
};
controls.onCommand = send;
attention.onCommand = send;
attentionSteps.onCommand = send;
attention.onCell = (at) => attentionSteps.openAt(at);
predictions.onCommand = send;
classify.onCommand = send;
sharePanel.onCommand = send;
predict.onCommand = send;
probe.onCommand = send;
projection.onCommand = send;
diagram.onCommand = send;
upload.onCommand = (command) => worker.postMessage(command, command.bytes ? [command.bytes] : []);
dataRequest.onCommand = (command) => worker.postMessage(command, command.bytes ? [command.bytes] : []);
messages.onCommand = send;
recipe.onCommand = send;
// "Run again": the loss chart keeps this run's curve beside the next one's.
recipe.onRerun = () => chart.keepRun();
tablePreview.onCommand = send;
// The playground's hash for the settings in force, and the model in the same fragment.
sharePanel.urlFor = (link) => {
  const hash = state.toHash();
  return `${location.origin}${location.pathname}${location.search}${hash || '#'}${hash ? '&' : ''}model=${link}`;
};
controls.onBackend = (choice) => {
  state.backend = /** @type {import('./protocol.js').BackendChoice} */ (choice);
  state.writeHash();
  send({ type: 'setBackend', backend: state.backend });
};

/** A new training worker with its handlers (the page's first, or one after a crash). */
function startWorker() {
  const fresh = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  // A worker already replaced says nothing more (its crash is answered once).
  fresh.onmessage = ({ data }) => fresh === worker && receive(data);
  fresh.onerror = (e) => {
    e.preventDefault();
    if (fresh !== worker) return;
    // A trap the worker could not report itself (it posts `crashed` when it can).
    if (/RuntimeError/.test(e.message ?? '')) {
      restart(`${e.message}`);
      return;
    }
    messages.show('error', () => t('message.workerFailed', { reason: e.message || t('message.workerNotLoaded') }));
  };
  return fresh;
}

/**
 * The wasm instance crashed: a fresh worker reopens the model saved last (autosave.js) and says
 * what failed. Three crashes within a minute stop it: then something crashes as it starts.
 * @param {string} message
 */
function restart(message) {
  worker.terminate();
  const now = Date.now();
  crashes.push(now);
  while (crashes.length && now - crashes[0] > 60_000) crashes.shift();
  // Whatever waited for an answer gets one: the views leave their busy states.
  broadcast({ type: 'crashed', message, command: 'worker' });
  if (crashes.length >= 3) {
    messages.show('error', () => t('message.crashedAgain', { reason: message }));
    return;
  }
  worker = startWorker();
  send(initCommand(message));
  diagram.tell();
}

/** @param {any} event a WorkerEvent */
function receive(event) {
  switch (event.type) {
    case 'ready':
      state.setDefaults(event.defaults, event.sequenceDefaults);
      break;
    case 'configured': {
      const switched = event.mode !== state.mode;
      state.accept(event.settings, event.mode);
      state.writeHash();
      if (switched) showMode(state.mode);
      broadcast({ type: 'settings', settings: event.settings, force: switched });
      break;
    }
    // A table in force: its test metrics take the decision boundary's place, and the
    // built-in dataset's settings do not apply; the built-in data brings them back.
    // (A table of two inputs has a plane: its `dataset` event, fromTable, brings the boundary back.)
    case 'tableData':
    case 'dataset':
      byId('boundary-panel').hidden = event.type === 'tableData';
      byId('dataset-panel').hidden = event.type === 'tableData' || Boolean(event.fromTable);
      break;
    case 'error':
      // A rejected configure leaves the worker on its previous settings: show those again.
      if (event.command === 'configure' && state.settings) {
        state.reject();
        showMode(state.mode);
        broadcast({ type: 'settings', settings: state.settings, force: true });
      }
      break;
    case 'crashed':
      restart(event.message);
      return;
    case 'autosaved':
      for (const resolve of autosaveWaiters) resolve();
      autosaveWaiters = [];
      autosaves.push(event);
      if (autosaves.length > 100) autosaves.shift();
      break;
  }
  broadcast(event);
}

// A link pasted or edited by hand: apply what it says.
window.addEventListener('hashchange', () => {
  if (!state.defaults || location.hash === state.toHash()) return;
  const before = state.backend;
  const { mode, settings, link } = state.fromHash(location.hash);
  if (state.backend !== before) {
    broadcast({ type: 'backendChoice', backend: state.backend });
    send({ type: 'setBackend', backend: state.backend });
  }
  // A shared model brings its own settings.
  send(link !== null ? { type: 'open', link } : { type: 'configure', mode, settings });
});

broadcast({ type: 'backendChoice', backend: state.backend });
showMode(state.mode);
send(initCommand());
// Whether the worker reads the diagram's units with the boundary: only while it is open.
diagram.tell();
keepOffline({
  offer: (apply) => messages.show('update', () => t('message.update'),
    { label: () => t('message.updateAction'), run: apply }),
  // Never in the middle of training: pause, and let the pause's save finish (or 3 s pass).
  beforeReload: async () => {
    if (byId('play').dataset.running === 'false') return;
    const saved = new Promise((resolve) => {
      autosaveWaiters.push(() => resolve(undefined));
      setTimeout(resolve, 3000);
    });
    send({ type: 'pause' });
    await saved;
  },
});
// Tests and benchmarks drive the worker's test-only commands (panicForTest) through this, and
// read the autosaves it made.
if (new URLSearchParams(location.search).has('testhooks')) {
  Object.assign(window, { kindlingTestSend: send, kindlingAutosaves: autosaves });
}

/**
 * The worker's first command: the page's backend, mode and settings (the URL), or after a crash
 * (`recover`, its message) the model saved last.
 * @param {string} [recover] @returns {import('./protocol.js').InitCommand}
 */
function initCommand(recover) {
  const search = new URLSearchParams(location.search);
  return {
    type: 'init',
    backend: state.backend,
    mode: state.mode,
    settings: state.overrides,
    subgroups: search.get('subgroups') !== 'off',
    threads: search.get('threads') === 'on' ? 'on' : search.get('threads') === 'off' ? 'off' : 'auto',
    testHooks: search.has('testhooks'),
    autosave: search.get('autosave') !== 'off',
    ...(state.link !== null ? { link: state.link } : {}),
    ...(recover !== undefined ? { recover } : {}),
  };
}
