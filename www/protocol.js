// @ts-check
//! The messages between the page (main.js) and the training worker (worker.js).
//! One union each way, tagged by `type`. Dense arrays travel as transferred Float32Arrays.
//! The events the wasm makes (dataset, eval, boundary, sequenceData, attention, predictions,
//! generated, testMetrics, tableData, and the projection view's projectionLabels, projection,
//! projectionVectors, neighbours, and the training recipe's initLoss, overfit, dropoutModes) are the Rust enum `Event` of src/events.rs, posted as the wasm
//! returns them; their typedefs here mirror it field for field (tests/protocol.rs checks).
//! The Settings, EvalReport and Boundary shapes mirror the Rust structs in src/ (see docs/wasm-api.md);
//! in the 'sequences' mode, SequenceSettings and the attention and predictions shapes (see
//! docs/wasm-api-sequences.md). Links and model files: docs/share-format.md.

/**
 * @typedef {'auto' | 'webgpu' | 'cpu'} BackendChoice
 * @typedef {'webgpu' | 'cpu' | 'threads'} Backend  'threads': the CPU on every core (the threaded
 *   build, pkg-threads/; cpu-threads.js); 'cpu' runs on one thread.
 * @typedef {'points' | 'sequences'} Mode  An MLP on 2-D points, or self-attention on sequences.
 */

/**
 * Page -> worker.
 * @typedef {{ type: 'init', backend: BackendChoice, mode?: Mode, settings: object, subgroups?: boolean,
 *             link?: string, recover?: string, testHooks?: boolean, autosave?: boolean,
 *             threads?: 'auto' | 'on' | 'off' }} InitCommand
 *   Load wasm, build the dataset and session (on the CPU at once), and check WebGPU in the background.
 *   settings: a partial Settings or SequenceSettings (per mode; what the URL changes), merged over
 *   the mode's defaults. mode: 'points' when absent.
 *   subgroups: false leaves the WebGPU device request untouched (page URL `?subgroups=off`).
 *   threads: the CPU's threaded build (page URL `?threads=`; cpu-threads.js), 'auto' when absent.
 *   link: the `model=` text of the URL: open that model instead (its own mode and settings); if
 *   it fails, the defaults and an `error` (command 'open') with the link's message.
 *   Without a link, the model the browser saved (autosave.js) reopens when the URL's settings are
 *   its own (-> `restored`); otherwise the URL's settings, and Undo brings the saved model back.
 *   recover: the page restarts a crashed worker (the crash's message): the saved model reopens
 *   whatever the URL says. testHooks: the page's URL has `?testhooks` (routes `panicForTest`).
 *   autosave: false (`?autosave=off`): the model is neither saved in the browser nor reopened.
 * @typedef {{ type: 'configure', settings: object, mode?: Mode }} ConfigureCommand
 *   New settings. Training settings and dropout rates apply to the model in force from its next
 *   batch (-> `configured`, `retuned`; training goes on). Others (data, architecture, init, seed,
 *   mode) build a new dataset and model, paused (-> `configured`, `session`, …, and `undoable`
 *   when the model replaced had trained).
 *   mode: switch to the other mode with these (full) settings; absent: the mode in force.
 * @typedef {{ type: 'play' }} PlayCommand
 * @typedef {{ type: 'pause' }} PauseCommand
 * @typedef {{ type: 'step' }} StepCommand   One optimiser step, then a full report.
 * @typedef {{ type: 'reset' }} ResetCommand  Same settings, fresh weights (same seed); undoable.
 * @typedef {{ type: 'undo' }} UndoCommand  Put back the model replaced last (`undoable`); undoable itself.
 * @typedef {{ type: 'startFresh' }} StartFreshCommand  The points defaults, untrained (beside `restored`); undoable.
 * @typedef {{ type: 'panicForTest', message?: string }} PanicForTestCommand
 *   Only with `init.testHooks`: the wasm panics, to prove the page recovers (-> `crashed`).
 * @typedef {{ type: 'setBackend', backend: BackendChoice }} SetBackendCommand
 *   The model in force moves to the backend chosen with its weights, step and history
 *   (-> `session` with `continued`); training goes on there.
 * @typedef {{ type: 'setExample', index: number }} SetExampleCommand
 *   Sequences: show test example `index` (clamped to the test set): `attention` and
 *   `predictions` at once, and at every evaluation after.
 * @typedef {{ type: 'attentionSteps', open: boolean, layer?: number, head?: number }} AttentionStepsCommand
 *   Sequences: while `open`, head `head` of layer `layer` (clamped to the model) step by step
 *   -> `attentionSteps` at once and with every `attention` after; closed, none.
 * @typedef {{ type: 'generate', prompt: string, length: number, temperature: number }} GenerateCommand
 *   Sequences, task 'text' only: continue `prompt` by `length` characters -> `generated`.
 * @typedef {{ type: 'share', precision: 'f32' | 'f16' | 'int8' }} ShareCommand
 *   The link text of the model as it is now, with the evaluations so far -> `shared`. Training
 *   goes on.
 * @typedef {{ type: 'exportModel' }} ExportModelCommand  The model as a .safetensors file -> `modelFile`.
 * @typedef {{ type: 'exportPytorch' }} ExportPytorchCommand  The model as a PyTorch script (.py) -> `modelFile`.
 * @typedef {{ type: 'outputAt', x: number, y: number }} OutputAtCommand
 *   The model in force at (x, y) of the plane -> `outputAt` event.
 * @typedef {{ type: 'outputAt', x: number, y: number, values: Float32Array }} OutputAtEvent
 *   Each class's probability at (x, y), or the value.
 * @typedef {{ type: 'predictFile', name: string, bytes: ArrayBuffer }} PredictFileCommand
 *   The model in force on a file of new rows -> `predictedFile`, or `error` (command 'predictFile').
 * @typedef {{ csv: string, preview: string[][], rows: number, ignored: string[], imputedCells: number }} PredictionsFile
 *   Session.predictFile: every row as CSV (the file's columns, then the predictions), the header
 *   and first rows to show, and the file's columns the model does not take.
 * @typedef {{ type: 'predictedFile', name: string } & PredictionsFile} PredictedFileEvent
 * @typedef {{ type: 'classifyText', text: string }} ClassifyTextCommand
 *   A text classifier on a typed text -> `textClasses`, or `error` (command 'classifyText').
 * @typedef {{ tokens: string[], unknown: string[], cut: number, classes: string[], probabilities: number[] }} TextClasses
 *   Session.classifyText: the tokens the model reads (`<unk>` for each outside its vocabulary),
 *   the text's unknown tokens, the tokens past its length, and each class's probability.
 * @typedef {{ type: 'textClasses', text: string } & TextClasses} TextClassesEvent
 * @typedef {{ type: 'open', link?: string, bytes?: ArrayBuffer | Uint8Array }} OpenCommand
 *   A shared model, from a link's text or a model file's bytes: switch to its mode and settings,
 *   load its weights and step (and a link's history), evaluate -> `configured`, `session`, the
 *   restored `eval`s, the mode's views, `opened`. On failure an `error` and the model stays.
 *   The session stays on the backend in force; pauses training. A model trained on a user's
 *   file is built on that file: the link's copy, the bundled sample, or the file in force when
 *   its fingerprint matches; otherwise -> `needData`, and the model in force stays.
 * @typedef {{ type: 'openData', name: string, bytes: ArrayBuffer | Uint8Array }} OpenDataCommand
 *   The file a `needData` asked for: checked against its fingerprint, then the shared model
 *   opens on it (as `open`); another file -> `error` (command 'openData') and the ask stays.
 * @typedef {{ type: 'cancelData' }} CancelDataCommand  Forget the model waiting for its file.
 * @typedef {{ type: 'projection', enabled: boolean, source: 'hidden' | 'embedding' | 'block',
 *             block?: number, method: 'pca' | 'umap' | 'tsne', every?: number }} ProjectionCommand
 *   What the projection view shows (docs/projection.md): a frame now and every `every` steps
 *   (default 100) while enabled. An MLP always projects 'hidden'; a transformer 'embedding' or
 *   'block' (clamped to its blocks). 'pca' -> `projection`; 'umap' | 'tsne' -> `projectionVectors`.
 * @typedef {{ type: 'neighbours', key: string, step: number, index: number, k?: number }} NeighboursCommand
 *   The k (default 10) nearest points to `index` by cosine similarity in the vectors of frame
 *   `key` at `step` -> `neighbours`.
 * @typedef {{ type: 'recipe', check: 'initLoss' | 'overfit' | 'dropout' }} RecipeCommand
 *   A check of the training recipe on the MLP in force -> `initLoss`, `overfit` or
 *   `dropoutModes`. None changes the model; training goes on after it.
 * @typedef {{ type: 'baseline', on: boolean }} BaselineCommand
 *   The recipe's zero-input baseline trains beside the MLP from its next step (kept on across
 *   new models, each with a fresh baseline), its losses in `progress.baselineLosses`; or stops.
 * @typedef {{ type: 'diagram', shown: boolean }} DiagramCommand
 *   Whether the page shows the network diagram: while it does, the MLP's `boundary` (and a table
 *   of more than two inputs' `testMetrics`) carry its units, read with them (a `boundary` or
 *   `testMetrics` with them at once when it opens); while hidden nothing of it is computed.
 * @typedef {InitCommand | ConfigureCommand | PlayCommand | PauseCommand | StepCommand | ResetCommand |
 *           UndoCommand | StartFreshCommand | PanicForTestCommand |
 *           SetBackendCommand | SetExampleCommand | AttentionStepsCommand | GenerateCommand | ShareCommand | ExportModelCommand | ExportPytorchCommand | PredictFileCommand | ClassifyTextCommand | OutputAtCommand |
 *           OpenCommand | OpenDataCommand | CancelDataCommand | ProjectionCommand | NeighboursCommand |
 *           RecipeCommand | BaselineCommand | DiagramCommand | DataCommand} Command
 */

/**
 * Worker -> page.
 * @typedef {{ type: 'ready', wasmMs: number, defaults: object, sequenceDefaults: object,
 *             samples: SampleDataset[] }} ReadyEvent
 * @typedef {{ type: 'configured', mode: Mode, settings: object }} ConfiguredEvent
 *   The full settings the worker now trains with (after init and every accepted configure).
 * @typedef {{ type: 'session', backend: Backend, step: number, parameters: number | null, summary: ModelSummary, continued: boolean }} SessionEvent
 *   A session was built (init, configure, reset, undo, a shared model, a backend move): views
 *   clear their history, unless `continued`: the model in force moved to another backend with
 *   its weights, step and history, and goes on. `summary`: its layers (src/model/summary.rs).
 * @typedef {{ name: string, kind: string, outputShape: (number | null)[], parameters: number }} LayerSummary
 *   One layer of the model summary: its module's name ("hidden.0.linear"), its type ("Linear"),
 *   its output's shape (null: the batch) and its parameter count.
 * @typedef {{ layers: LayerSummary[], total: number, trainable: number }} ModelSummary
 *   Every layer in the forward pass's order (Keras's `summary()`), and the totals.
 * @typedef {{ type: 'retuned', step: number, changes: string[], optimizerRestarted: boolean }} RetunedEvent
 *   New training settings took effect after `step` on the model in force (src/events.rs): each
 *   change in words ("learning rate 0.01 → 0.003"); optimizerRestarted: its state (moments)
 *   starts afresh (another optimiser, or new momentum or weight decay except the CPU's Adam).
 * @typedef {{ type: 'undoable', what: string | null, step: number }} UndoableEvent
 *   `what` (a code: "reset", "newSettings", "openedLink", …; the page words it, i18n.js) replaced a model trained to `step`,
 *   which `undo` puts back; what null: nothing to undo.
 * @typedef {{ type: 'restored', step: number, savedAt: number, crash: string | null }} RestoredEvent
 *   The model the browser saved (at `savedAt`, ms since 1970) is in force again, after a reload
 *   or (crash: its message) after the worker crashed and the page restarted it.
 * @typedef {{ type: 'autosaved', step: number, ok: boolean, bytes: number, ms: number,
 *             message: string | null, reason?: string }} AutosavedEvent
 *   The model was saved in the browser (bytes, in ms), or (ok false, once) storage refused it.
 * @typedef {{ type: 'crashed', message: string, command: string }} CrashedEvent
 *   The wasm instance trapped during `command`: message is the panic's. The page replaces the
 *   worker (init with `recover`); every view that waits for an answer stops waiting.
 * @typedef {{ type: 'backend', active: Backend, requested: BackendChoice,
 *             webgpu: { state: 'idle' | 'checking' | 'ok' | 'failed' | 'unavailable', reason: string | null,
 *                       absence: 'api' | 'refused' | 'adapter' | 'device' | null,
 *                       reasonCode?: string | null, reasonDetail?: string | null,
 *                       adapter: string | null, initMs: number | null, checkMs: number | null,
 *                       maxDiff: number | null, subgroups: boolean | null },
 *             timing: BackendTimingReport | null, threads: ThreadsReport }} BackendEvent
 *   state 'idle': not checked yet (backend 'cpu' chosen). reason: why WebGPU failed or is
 *   unavailable (technical: the status line shows it as a tooltip), or, with state 'ok' and active
 *   'cpu', why the CPU is still in use. absence: why it is unavailable (webgpu-probe.js `absent`
 *   says it in words).
 *   timing: the model in force timed on both backends once WebGPU passed its check (null until
 *   then, and with 'cpu' chosen); 'auto' trains on `faster`, a forced 'webgpu' stays on WebGPU.
 *   threads: the CPU's threaded build (cpu-threads.js).
 * @typedef {{ request: 'auto' | 'on' | 'off', state: 'off' | 'unavailable' | 'loading' | 'ready' | 'failed',
 *             threads: number, reason: string | null,
 *             timing: { cpuMs: number, threadsMs: number, faster: 'cpu' | 'threads' } | null }} ThreadsReport
 *   request: the page's `?threads=` (auto: the faster for each model). state 'unavailable': reason
 *   'not-isolated' (the page lacks COOP and COEP, so it has no shared memory) or 'one-core';
 *   'failed': the build did not load (reason: why). threads: the pool's size once ready. timing:
 *   ms a step of the model timed last on one thread and on the pool.
 * @typedef {{ firstStepMs: number, msPerStep: number, steps: number }} StepTiming
 * @typedef {{ cpu: StepTiming, webgpu: StepTiming, faster: Backend, summary: string, scale: string | null }} BackendTimingReport
 *   summary: "CPU is faster for this model: 2.9 ms a step, WebGPU 410 ms". scale: null when the
 *   model in force was timed itself; else timed on another of its family (the same mode, file and
 *   optimiser) whose size cannot flip the winner, and how many times its work per step this one's
 *   is ("0.5×").
 * @typedef {{ type: 'dataset', task: 'classification' | 'regression', classes: number,
 *             extent: number[], fromTable: boolean, trainX: Float32Array, trainY: Float32Array,
 *             testX: Float32Array, testY: Float32Array }} DatasetEvent
 *   fromTable: the points of a table of two inputs (standardised), not a built-in dataset.
 * @typedef {{ type: 'progress', step: number, epoch: number, stepsPerSec: number, learningRate: number,
 *             firstStep: number, losses: Float32Array, baselineLosses?: Float32Array }} ProgressEvent
 *   learningRate: the rate of the next step, as the schedule has it (src/train/schedule.rs).
 * @typedef {{ kind: 'afterSteps', step: number }
 *         | { kind: 'targetLoss', step: number, loss: number, target: number }
 *         | { kind: 'earlyStopping', step: number, patience: number, bestStep: number, bestLoss: number, restored: boolean }} StopReason
 *   Why training stopped by itself (src/train/stopping.rs).
 * @typedef {{ type: 'stopped', reason: StopReason }} StoppedEvent
 *   Training stopped by itself; with an early stop that restored the best weights, an `eval`
 *   event of them came first.
 * @typedef {{ type: 'schedule', steps: number[], rates: number[] }} ScheduleEvent
 *   The learning rate of the settings in force at `steps` (for the schedule's curve).
 *   losses[i] is the train loss of step firstStep + i; baselineLosses[i] the zero-input
 *   baseline's at the same step, while the recipe's baseline is on (`baseline`).
 * @typedef {{ type: 'eval', step: number, trainLoss: number, testLoss: number,
 *             trainAccuracy: number | null, testAccuracy: number | null,
 *             trainSequenceAccuracy?: number, testSequenceAccuracy?: number }} EvalEvent
 *   Sequences: the accuracies are per token; the sequence accuracies count sequences with every
 *   position right (absent for points).
 * @typedef {EvalEvent & { restored: true }} RestoredEvalEvent
 *   The evaluations a link carried, replayed after its `session` (share.js; train accuracy null).
 * @typedef {{ type: 'boundary', step: number, resolution: number, outputs: number,
 *             extent: number[], values: Float32Array, units?: Units,
 *             unitValues?: Float32Array, unitMeans?: Float32Array, unitWeights?: Float32Array,
 *             unitBiases?: Float32Array }} BoundaryEvent
 *   units (with unitValues, unitMeans, unitWeights, unitBiases): the network diagram's units over
 *   the same grid, from the same forward pass, when the page shows the diagram (DiagramCommand).
 * @typedef {{ kind: 'input' | 'hidden' | 'output', units: number, drawn: number,
 *             activation: string | null, dead: number | null }} UnitLayer
 *   One column of the diagram: all its units, the first `drawn` sent; dead: histograms only, a
 *   hidden layer's units (drawn or not) active on no test row.
 * @typedef {{ view: 'plane' | 'histograms', rows: number, bins: number, inputLabels: string[],
 *             layers: UnitLayer[] }} Units
 *   The diagram's part of a `boundary` (view 'plane': rows = resolution²) or `testMetrics` event
 *   (a table of more than two inputs, view 'histograms': rows = test rows), src/inspect/units.rs.
 *   layers: the inputs, each hidden layer, the outputs. Dense beside it, for the drawn units:
 *   unitValues (plane) the hidden units' outputs, layer by layer, [rows][drawn]; unitMeans each
 *   hidden unit's mean output; unitWeights per link layer l (layers[l] -> layers[l + 1])
 *   [drawn_l][drawn_l+1], concatenated; unitBiases per layer after the inputs [drawn];
 *   unitHistograms (histograms) `bins` row counts per hidden unit; unitRanges its [lo, hi];
 *   unitActive the rows where its output is not 0.
 * @typedef {{ type: 'sequenceData', task: 'seq2seq' | 'classification' | 'lm',
 *             inputVocab: string[], outputVocab: string[], length: number, train: number, test: number,
 *             examples: { input: string[], target: string[] }[], text: string | null,
 *             file: string | null, classifiesText: boolean }} SequenceDataEvent
 *   Sequences: the data of the settings in force (describeSequenceData, or a user's file:
 *   DataFile.describeText, describeTextColumn): examples are the first test examples; text is
 *   the start of the corpus or of the uploaded text (language models only); file: the user's
 *   file it was made from (null: a built-in task); classifiesText: a text classifier, which
 *   takes a text the user types (`classifyText`).
 * @typedef {{ type: 'attention', step: number, example: number, layers: number, heads: number,
 *             length: number, tokens: string[], values: Float32Array }} AttentionEvent
 *   The attention weights of every layer and head for test example `example`:
 *   values[((layer * heads + head) * length + query) * length + key]; each query row sums to 1.
 * @typedef {{ type: 'attentionSteps', step: number, example: number, layer: number, head: number,
 *             layers: number, heads: number, length: number, dHead: number, causal: boolean,
 *             tokens: string[], qkv: Float32Array, scores: Float32Array, scaled: Float32Array,
 *             weights: Float32Array, output: Float32Array, residual: Float32Array }} AttentionStepsEvent
 *   Head `head` of layer `layer` step by step for test example `example` (attention-steps.js):
 *   qkv [3, length, dHead] (q, k, v, a row per position), the one readback; derived from it
 *   scores (q·k), scaled (÷√dHead) and weights (softmax of what the mask leaves; 0 where
 *   `causal` hides a later key) [length, length] by query row and key column, and output (Σ w·v)
 *   [length, dHead]. residual [layers * 3, length]: ‖x‖ entering each block, after its
 *   attention, after its MLP. Posted with `attention` while the view is open (`attentionSteps`).
 * @typedef {{ type: 'embeddingSimilarity', step: number, count: number, tokens: string[],
 *             values: Float32Array }} EmbeddingSimilarityEvent
 *   The cosine similarity of every pair of token embeddings, values [count, count] in the order
 *   of `tokens`; posted with each projection frame of a transformer.
 * @typedef {{ type: 'positions', step: number, length: number, dModel: number, learned: boolean,
 *             values: Float32Array, similarity: Float32Array }} PositionsEvent
 *   The position vectors added to the token embeddings, values [length, dModel] (learned, or
 *   sinusoidal), and their cosine similarity [length, length]; posted with each projection
 *   frame of a transformer.
 * @typedef {{ type: 'predictions', step: number, example: number, input: string[],
 *             target: string[], output: string[] }} PredictionsEvent
 *   The model's output (argmax) for test example `example`; one label each for classification.
 * @typedef {{ type: 'generated', step: number, prompt: string, text: string }} GeneratedEvent
 * @typedef {{ type: 'state', running: boolean, step: number }} StateEvent
 * @typedef {{ type: 'diverged', step: number, value: 'nan' | 'infinite', message: string }} DivergedEvent
 * @typedef {{ type: 'error', message: string, command?: string, code?: string,
 *             fields?: Record<string, string | number | ErrorDetail>, cause?: ErrorDetail }} ErrorEvent
 * @typedef {{ message: string, code?: string, fields?: Record<string, string | number | ErrorDetail>,
 *             cause?: ErrorDetail }} ErrorDetail
 *   cause: the error inside a wrapping one (a link that failed, then the defaults), worded as its `reason`.
 *   message: in English; code and fields (where the error has them) let the page say it in
 *   the user's language: `t('error.' + code, fields)` (i18n.js), the message where it has no words.
 *   command: the type of the command that failed; after a failed 'configure' the worker keeps
 *   its previous settings, dataset and model.
 * @typedef {{ type: 'shared', link: string, precision: 'f32' | 'f16' | 'int8', step: number,
 *             data: DataOrigin | null }} SharedEvent
 *   link: the text after `model=` (`k1.…`); the page puts it in its URL's fragment. data: the
 *   user's file the model trained on (null: a built-in dataset), `embedded` when the link carries it.
 * @typedef {{ name: string, bytes: number, sha256: string, sample: boolean, embedded: boolean,
 *             use: { kind: 'table' | 'text' | 'textColumn', choices?: TableChoices, tokens?: TokenChoices } }} DataOrigin
 *   A user's file named by a link or model file (docs/share-format.md).
 * @typedef {{ type: 'needData', source: 'link' | 'file' | 'autosave', mode: Mode, step: number, name: string,
 *             bytes: number, sha256: string }} NeedDataEvent
 *   A shared model was trained on a file it does not carry: the page asks the user for it
 *   (`openData`); meanwhile the model in force stays.
 * @typedef {{ type: 'modelFile', name: string, bytes: Uint8Array }} ModelFileEvent
 *   name: `kindling-<mode>-step<N>.safetensors`.
 * @typedef {{ type: 'opened', source: 'link' | 'file' | 'autosave', mode: Mode, step: number }} OpenedEvent
 *   A shared model is in force (after its `session`, restored `eval`s and first evaluation).
 * @typedef {{ type: 'projectionLabels', key: string, source: string, block: number, count: number,
 *             labels: string[], colourings: { by: string, names: string[], values: number[] }[] }} ProjectionLabelsEvent
 *   The points of projection `key` (once per session and source): labels[i] is point i's hover
 *   text; colourings[c].values[i] indexes colourings[c].names.
 * @typedef {{ type: 'projection', key: string, method: 'pca', step: number, count: number, dims: number,
 *             coords: Float32Array, explained: Float32Array }} ProjectionEvent
 *   A PCA frame: coords [count, 2], sign-fixed against the last frame; explained: the fraction of
 *   the variance along each leading component (up to 10).
 * @typedef {{ type: 'projectionVectors', key: string, method: 'umap' | 'tsne', step: number,
 *             count: number, dims: number, vectors: Float32Array }} ProjectionVectorsEvent
 *   The vectors [count, dims] for the page's projection worker (www/projection-worker.js).
 * @typedef {{ type: 'neighbours', key: string, step: number, index: number, indices: number[],
 *             similarities: number[] }} NeighboursEvent
 * @typedef {{ type: 'initLoss', step: number, expected: number, measured: number,
 *             basis: 'lnClasses' | 'priorEntropy' | 'meanSquare' | 'variance', verdict: 'ok' | 'high' | 'low' }} InitLossEvent
 *   The recipe (src/train/recipe/): the train loss of the model this session started from, before
 *   its first step, beside the one expected (ln C; the prior's entropy with the output bias at the
 *   prior; mean(y²) or var(y) for regression); verdict: within 0.1·expected + 0.05, or not.
 * @typedef {{ type: 'overfit', step: number, rows: number, steps: number, firstLoss: number, finalLoss: number,
 *             verdict: 'reached' | 'plateau' | 'diverged' | 'oscillating' | 'slow', curve: Float32Array }} OverfitEvent
 *   The recipe: a copy of the model at `step` trained on its first `rows` train examples until the
 *   loss was below 0.01 (reached) or 2,000 steps; the model in force is as it was. curve: the
 *   loss every few steps (at most 200 values).
 * @typedef {{ type: 'dropoutModes', step: number, rows: number, trainMode: number, trainMin: number,
 *             trainMax: number, evalMode: number, hasDropout: boolean }} DropoutModesEvent
 *   The recipe: one batch's loss with dropout on (train mode: the mean, lowest and highest of 8
 *   passes) and off (eval mode).
 * @typedef {{ type: 'projectionError', key: string, message: string }} ProjectionErrorEvent
 *   A projection failed; training goes on.
 * @typedef {(event: WorkerEvent, transfer?: Transferable[]) => void} Post
 *   How the worker's parts send an event to the page (worker.js `post`, the one place it leaves).
 * @typedef {ReadyEvent | ConfiguredEvent | SessionEvent | BackendEvent | DatasetEvent | ProgressEvent | EvalEvent | RestoredEvalEvent | BoundaryEvent |
 *           SequenceDataEvent | AttentionEvent | AttentionStepsEvent | EmbeddingSimilarityEvent | PositionsEvent |
 *           PredictionsEvent | GeneratedEvent |
 *           StateEvent | DivergedEvent | ErrorEvent | SharedEvent | ModelFileEvent | OpenedEvent | NeedDataEvent |
 *           RetunedEvent | UndoableEvent | RestoredEvent | AutosavedEvent | CrashedEvent |
 *           ProjectionLabelsEvent | ProjectionEvent | ProjectionVectorsEvent | NeighboursEvent |
 *           ProjectionErrorEvent | FilePreviewEvent | TargetSummaryEvent | TableDataEvent |
 *           TestMetricsEvent | InitLossEvent | OverfitEvent | DropoutModesEvent | StoppedEvent | ScheduleEvent | PredictedFileEvent | TextClassesEvent | OutputAtEvent} WorkerEvent
 */

/**
 * Your own data (docs/wasm-api.md, "Your own data"); these belong to the unions above (DataCommand
 * to Command). The file's
 * bytes go to the worker, transferred, and no further: no request carries them.
 * Page -> worker:
 * @typedef {{ type: 'readFile', name?: string, bytes?: ArrayBuffer, sample?: string,
 *             decimal?: 'comma' | 'point' }} ReadFileCommand
 *   Read a file (name and bytes) or a bundled dataset (`sample`, a name from `ready.samples`) and
 *   preview it -> `filePreview`. `decimal`: how a delimited file writes its numbers (absent:
 *   sniffed, a `;` file's `5,3` is a decimal comma); `decimal` alone reads the previewed file
 *   again so. A bad file -> `error` (command 'readFile') naming file, line and
 *   column; the data, model and previewed file in force stay.
 * @typedef {{ type: 'describeTarget', target: string, task?: 'classification' | 'regression' }} DescribeTargetCommand
 *   The previewed table's column `target` as the target -> `targetSummary`, or an `error`.
 * @typedef {{ type: 'useFile', choices?: TableChoices, tokens?: TokenChoices }} UseFileCommand
 *   Train on the previewed file. A table: the MLP (the points mode's network and training
 *   settings) -> `configured`, `session`, `tableData`, `eval`, `testMetrics`; later configures
 *   and resets in the points mode keep the table. A table with `tokens`: a transformer on that
 *   text column (sequence classification of `choices.target`), and a text: a character-level
 *   language model; both in the sequences mode (its settings), -> `configured`, `session`,
 *   `sequenceData` and the sequence views; a later configure returns to the built-in tasks.
 *   On failure an `error` and the data and model in force stay. Pauses training. A link of a
 *   model trained on a file carries that file while the link stays within 64 KB, else its name,
 *   size and SHA-256 (docs/share-format.md); a model file always names it only.
 * @typedef {{ column: string, unit: 'word' | 'char', vocabSize: number, maxLength: number }} TokenChoices
 * @typedef {{ type: 'leaveFile' }} LeaveFileCommand  Back to the built-in dataset of the settings.
 * @typedef {{ target: string, task?: 'classification' | 'regression', features?: string[],
 *             missing: 'impute' | 'drop', testFraction: number, seed: number }} TableChoices
 * @typedef {ReadFileCommand | DescribeTargetCommand | UseFileCommand | LeaveFileCommand} DataCommand
 * Worker -> page (these belong to WorkerEvent):
 * @typedef {{ type: 'filePreview', name: string, kind: 'table' | 'text', preview: object,
 *             target: object | null, targetError: ErrorDetail | null }} FilePreviewEvent
 *   preview: a table's Schema (columns with kind, missing, statistics, warnings; the first rows;
 *   duplicate rows; `delimiter`, null for JSON Lines, and `decimal`: 'comma' | 'point') or a text's { chars, lines, distinct, sample }. target: the TargetSummary
 *   of the proposed target (task, classes with counts, features, warnings), or why it cannot be.
 * @typedef {{ type: 'targetSummary', target: string, task: 'classification' | 'regression',
 *             classes: [string, number][], missing: number, features: string[], warnings: ErrorDetail[] }} TargetSummaryEvent
 * @typedef {{ type: 'tableData', file: string, target: string, task: 'classification' | 'regression',
 *             inputs: string[], classes: string[], trainRows: number, testRows: number,
 *             droppedRows: number, imputedCells: number }} TableDataEvent
 *   A table is in force (in place of the `dataset` event): the decision boundary gives way to
 *   the test metrics.
 * @typedef {({ type: 'testMetrics', step: number, units?: Units,
 *             unitMeans?: Float32Array, unitWeights?: Float32Array, unitBiases?: Float32Array,
 *             unitHistograms?: Float32Array, unitRanges?: Float32Array, unitActive?: Float32Array } & ({ kind: 'classification', classes: string[],
 *             accuracy: number, confusion: number[][], precision: (number | null)[], recall: (number | null)[] }
 *           | { kind: 'regression', rmse: number, mae: number, r2: number, predicted: number[], actual: number[] }))} TestMetricsEvent
 *   With every evaluation of a table session; confusion[actual][predicted]; at most 10,000 test rows.
 *   units (and its dense arrays): a table of more than two inputs, when the page shows the
 *   network diagram: each unit's histogram over the same test rows, from the same pass (Units).
 */

/**
 * What the wasm gives the worker that is not a message (the d.ts names these: src/web/share.rs,
 * src/web/table.rs).
 * @typedef {{ kind: 'points' | 'sequences', settings: Record<string, any>, step: number,
 *             history: number[][], precision: 'f32' | 'f16' | 'int8', data: DataOrigin | null }} LinkContents
 *   describeLink: what a model link holds, before any session exists.
 * @typedef {{ kind: string, settings: Record<string, any>, step: number, data: DataOrigin | null }} ModelFileContents
 *   describeModelFile: what a .safetensors file made by Kindling holds (no history).
 * @typedef {{ name: string, title: string, target: string, source: string, licence: string }} SampleDataset
 *   sampleDatasets: a bundled dataset.
 */

/**
 * How long one batch of the worker's pump trains before it yields to its message queue, so that
 * pause, reset and new settings land within about this long. The first batch after Play is one
 * step; later ones hold as many steps as fit in BATCH_TARGET_MS at the speed measured so far (a
 * slow backend shows its first step at once), at most MAX_STEPS_PER_BATCH, and end where an
 * evaluation is due, so that evaluations fall on multiples of `evalEvery`. The train losses are
 * read back once per batch, never per step.
 */
export const BATCH_TARGET_MS = 30;
export const MAX_STEPS_PER_BATCH = 500;

/** Side of the decision-boundary grid (one batched forward pass of RESOLUTION^2 points). */
export const BOUNDARY_RESOLUTION = 50;

export {};
