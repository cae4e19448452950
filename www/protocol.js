// @ts-check
//! The messages between the page (main.js) and the training worker (worker.js).
//! One union each way, tagged by `type`. Dense arrays travel as transferred Float32Arrays.
//! The Settings, EvalReport and Boundary shapes mirror the Rust structs in src/ (see docs/wasm-api.md).

/**
 * @typedef {'auto' | 'webgpu' | 'cpu'} BackendChoice
 * @typedef {'webgpu' | 'cpu'} Backend
 */

/**
 * Page -> worker.
 * @typedef {{ type: 'init', backend: BackendChoice, settings: object }} InitCommand
 *   Load wasm, build the dataset and session (on the CPU at once), and check WebGPU in the background.
 * @typedef {{ type: 'configure', settings: object }} ConfigureCommand
 *   New settings: rebuild the dataset and the model (a reset). Keeps the running state paused.
 * @typedef {{ type: 'play' }} PlayCommand
 * @typedef {{ type: 'pause' }} PauseCommand
 * @typedef {{ type: 'step' }} StepCommand   One optimiser step, then a full report.
 * @typedef {{ type: 'reset' }} ResetCommand  Same settings, fresh weights (same seed).
 * @typedef {{ type: 'setBackend', backend: BackendChoice }} SetBackendCommand  Takes effect with a reset.
 * @typedef {InitCommand | ConfigureCommand | PlayCommand | PauseCommand | StepCommand | ResetCommand | SetBackendCommand} Command
 */

/**
 * Worker -> page.
 * @typedef {{ type: 'ready', wasmMs: number, defaults: object }} ReadyEvent
 * @typedef {{ type: 'backend', active: Backend, requested: BackendChoice,
 *             webgpu: { state: 'checking' | 'ok' | 'failed' | 'unavailable', reason: string | null,
 *                       adapter: string | null, initMs: number | null, checkMs: number | null,
 *                       maxDiff: number | null } }} BackendEvent
 * @typedef {{ type: 'dataset', task: 'classification' | 'regression', classes: number,
 *             extent: number[], trainX: Float32Array, trainY: Float32Array,
 *             testX: Float32Array, testY: Float32Array }} DatasetEvent
 * @typedef {{ type: 'progress', step: number, epoch: number, stepsPerSec: number,
 *             firstStep: number, losses: Float32Array }} ProgressEvent
 *   losses[i] is the train loss of step firstStep + i.
 * @typedef {{ type: 'eval', step: number, trainLoss: number, testLoss: number,
 *             trainAccuracy: number | null, testAccuracy: number | null }} EvalEvent
 * @typedef {{ type: 'boundary', step: number, resolution: number, outputs: number,
 *             extent: number[], values: Float32Array }} BoundaryEvent
 * @typedef {{ type: 'state', running: boolean, step: number }} StateEvent
 * @typedef {{ type: 'diverged', step: number, message: string }} DivergedEvent
 * @typedef {{ type: 'error', message: string }} ErrorEvent
 * @typedef {ReadyEvent | BackendEvent | DatasetEvent | ProgressEvent | EvalEvent | BoundaryEvent |
 *           StateEvent | DivergedEvent | ErrorEvent} WorkerEvent
 */

/** Steps the worker runs between yields to its message queue (pause lands within one batch). */
export const STEPS_PER_BATCH = 10;

/** The train loss is read back from the device once per batch, never per step. */
export const READ_EVERY = STEPS_PER_BATCH;

/** Side of the decision-boundary grid (one batched forward pass of RESOLUTION^2 points). */
export const BOUNDARY_RESOLUTION = 50;

export {};
