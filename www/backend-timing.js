// @ts-check
//! The automatic backend choice: a few steps of the user's own model on the CPU and on WebGPU,
//! each in a throwaway session, and the faster one wins. Small models are usually faster on the
//! CPU (a WebGPU step pays a fixed cost per kernel launch and per readback); large ones on a real
//! GPU. The worker calls this inside its queue, so nothing else touches wasm meanwhile.

/** How long each backend is timed (after its first, warm-up step). */
const TIMED_MS = 300;
/** Never more steps than this per backend, however fast. */
const MAX_STEPS = 60;
/** Steps per readback once warm (the pump reads once per batch: protocol.js BATCH_TARGET_MS). */
const MAX_BATCH = 10;

/**
 * @typedef {{ firstStepMs: number, msPerStep: number, steps: number }} BackendTiming
 * @typedef {{ key: string, family: string, work: number }} Timed  which model was timed
 * @typedef {Timed & { cpu: BackendTiming, webgpu: BackendTiming, faster: 'cpu' | 'webgpu' }} Timings
 * @typedef {import('../pkg/kindling.js').Session} TrainingSession  whatever it trains
 */

/**
 * What decides a step's speed: the mode, the model, the data's shapes and the batch (not the
 * seed, the learning rate or how many points there are); for the user's file, which file and
 * how it is encoded (its number of inputs, its vocabulary).
 * @param {{ mode: string, file?: import('../pkg/kindling.js').DataFile, choices?: object }} runner
 * @param {Record<string, any>} settings
 */
export function timingKey(runner, settings) {
  const { seed: _s, noise: _n, points: _p, sequences: _q, testFraction: _t, ...data } = settings.data ?? {};
  const { batchSize, optimizer } = settings.train ?? {};
  const file = runner.file ? { name: runner.file.name, choices: runner.choices ?? null } : null;
  return JSON.stringify({ mode: runner.mode, file, model: settings.model, data, batchSize, optimizer });
}

/**
 * What a timing can stand for beyond its own model: models of one mode on one file, trained by
 * one optimiser, differ in speed by their size alone (workOf).
 * @param {{ mode: string, file?: import('../pkg/kindling.js').DataFile, choices?: object }} runner
 * @param {Record<string, any>} settings
 */
export function timingFamily(runner, settings) {
  const file = runner.file ? { name: runner.file.name, choices: runner.choices ?? null } : null;
  return JSON.stringify({ mode: runner.mode, file, optimizer: settings.train?.optimizer ?? null });
}

/**
 * The work of a training step, roughly: each parameter takes part in a multiply-add per example
 * (and per position of a sequence), forward and backward.
 * @param {number} parameters @param {Record<string, any>} settings
 */
export function workOf(parameters, settings) {
  return Math.max(1, parameters) * Math.max(1, settings.train?.batchSize ?? 1) * Math.max(1, settings.data?.length ?? 1);
}

/**
 * Whether `timings` still say which backend wins for a model of `family` with `work` per step,
 * without timing it. A CPU step grows with the work; a WebGPU step of these small models is mostly
 * its fixed cost per kernel launch and readback, taken here as not growing at all. So a model
 * larger than the timed one by more than WebGPU's margin of loss (or smaller by more than its
 * margin of win) might flip the winner, and is timed anew. Both guesses err towards re-timing.
 * @param {Timings} timings @param {string} family @param {number} work
 */
export function timingStands(timings, family, work) {
  if (timings.family !== family) return false;
  const cpuMs = timings.cpu.msPerStep * (work / timings.work);
  return (cpuMs < timings.webgpu.msPerStep ? 'cpu' : 'webgpu') === timings.faster;
}

/** "3.1×", "0.25×": how many times `timed`'s work `work` is. @param {number} work @param {Timed} timed */
export function workRatio(work, timed) {
  const r = work / timed.work;
  return `${r >= 10 ? r.toFixed(0) : r.toPrecision(2)}×`;
}

/**
 * @param {(backend: 'cpu' | 'webgpu') => TrainingSession} create a new session of the user's settings
 * @param {Timed} timed the model timed (timingKey, timingFamily, workOf)
 * @returns {Promise<Timings>}
 */
export async function timeBackends(create, timed) {
  // WebGPU first: its first step compiles the model's kernels, which the real session reuses.
  const webgpu = await timeOn(create('webgpu'));
  const cpu = await timeOn(create('cpu'));
  return { ...timed, cpu, webgpu, faster: webgpu.msPerStep < cpu.msPerStep ? 'webgpu' : 'cpu' };
}

/**
 * One warm-up step, then batches of growing size (1, 2, 4, … 10 steps, each ending with the
 * loss readback, as training does) until TIMED_MS or MAX_STEPS. Frees the session.
 * @param {TrainingSession} session @returns {Promise<BackendTiming>}
 */
async function timeOn(session) {
  try {
    let t = performance.now();
    session.train(1);
    await session.readLosses();
    const firstStepMs = performance.now() - t;
    t = performance.now();
    let steps = 0;
    for (let batch = 1; performance.now() - t < TIMED_MS && steps < MAX_STEPS; batch = Math.min(2 * batch, MAX_BATCH)) {
      session.train(batch);
      await session.readLosses();
      steps += batch;
    }
    return { firstStepMs, msPerStep: (performance.now() - t) / steps, steps };
  } finally {
    session.free();
  }
}

/**
 * "CPU is faster for this model: 2.9 ms a step, WebGPU 410 ms"; timed on another model of the
 * family: "CPU is faster for a model of this size (timed on one with 0.5× its work: …)".
 * @param {Timings} t @param {string | null} [scale] workRatio of the model in force to the timed one
 */
export function describeTimings(t, scale = null) {
  const ms = (/** @type {number} */ x) => (x >= 10 ? x.toFixed(0) : x.toPrecision(2));
  const [winner, loser] = t.faster === 'cpu' ? ['CPU', 'WebGPU'] : ['WebGPU', 'CPU'];
  const [a, b] = t.faster === 'cpu' ? [t.cpu, t.webgpu] : [t.webgpu, t.cpu];
  const times = `${ms(a.msPerStep)} ms a step, ${loser} ${ms(b.msPerStep)} ms`;
  return scale ? `${winner} is faster for a model of this size (it does ${scale} the work per step of the one timed: ${times})`
    : `${winner} is faster for this model: ${times}`;
}
