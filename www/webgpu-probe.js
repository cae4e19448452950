// @ts-check
//! Finds out whether WebGPU can train here: Burn's WebGPU init (asking for 'subgroups', see
//! webgpu-features.js), then the wasm self-check, which trains a small model on WebGPU and on the
//! CPU and compares. The worker calls it once, inside its queue.

import { withSubgroups } from './webgpu-features.js';

/**
 * @typedef {'api' | 'refused' | 'adapter' | 'device'} Absence why WebGPU is unavailable:
 *   api: no navigator.gpu; refused: the browser rejected requestAdapter (Firefox release builds:
 *   "not yet available"); adapter: it found none (Chromium on Linux without
 *   --enable-unsafe-webgpu); device: an adapter, but Burn could not start on it.
 * @typedef {{ state: 'idle' | 'checking' | 'ok' | 'failed' | 'unavailable', reason: string | null,
 *             absence: Absence | null, reasonCode?: string | null, reasonDetail?: string | null,
 *             adapter: string | null, initMs: number | null,
 *             checkMs: number | null, maxDiff: number | null, subgroups: boolean | null }} WebgpuStatus
 *   As in the `backend` event (protocol.js). reason: the technical detail (wgpu's own words
 *   among it), for a tooltip; absence says why WebGPU is unavailable, for the page to word it.
 * What the wasm package's initWebgpu and webgpuSelfCheck resolve to (src/web/mod.rs):
 * @typedef {{ adapter: string, ms: number }} WebgpuInit
 * @typedef {{ ok: boolean, maxDiff: number, reason: string | null, ms: number }} SelfCheck
 */

/** @returns {WebgpuStatus} */
export function unchecked() {
  return {
    state: 'idle', reason: null, absence: null, reasonCode: null, reasonDetail: null,
    adapter: null, initMs: null, checkMs: null, maxDiff: null, subgroups: null,
  };
}

/**
 * Why WebGPU is unavailable, in the worker's English (the page words it from the catalogue:
 * `backend.absent.*`, `error.webgpu-absent-*`).
 * @param {Absence | null} absence
 */
export function absent(absence) {
  switch (absence) {
    case 'refused': return 'WebGPU is turned off or not yet supported in this browser';
    case 'adapter': return 'this browser found no graphics adapter for WebGPU';
    case 'device': return 'WebGPU could not start on this graphics adapter';
    default: return 'WebGPU is not available in this browser';
  }
}

/**
 * @param {{ initWebgpu: () => Promise<WebgpuInit>, webgpuSelfCheck: () => Promise<SelfCheck> }} wasm
 *   the pkg/kindling.js module (its functions resolve to untyped values: these are their shapes)
 * @param {boolean} requestSubgroups false: leave the device request as Burn makes it
 * @returns {Promise<WebgpuStatus>} state 'ok', 'failed' or 'unavailable'
 * @throws WebAssembly.RuntimeError when the wasm instance trapped (it is unusable then)
 */
export async function probeWebgpu({ initWebgpu, webgpuSelfCheck }, requestSubgroups) {
  const status = unchecked();
  const end = (/** @type {'ok' | 'failed' | 'unavailable'} */ state, /** @type {string | null} */ reason) => {
    status.state = state;
    status.reason = reason;
    if (state === 'failed' && status.subgroups === false) {
      status.reason += requestSubgroups
        ? " (the adapter does not offer the 'subgroups' feature that Burn's kernels use)"
        : " (the 'subgroups' feature was not requested: ?subgroups=off)";
    }
    return status;
  };
  if (!navigator.gpu) {
    status.absence = 'api';
    return end('unavailable', 'navigator.gpu is missing in the training worker');
  }

  try {
    const { result, subgroups, adapter } = await withSubgroups(() => initWebgpu(), { request: requestSubgroups });
    // wgpu's adapter name is often empty on the web; the browser's description is not.
    status.adapter = result?.adapter || adapter || null;
    status.initMs = result?.ms ?? null;
    status.subgroups = subgroups;
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) throw err;
    // wgpu says only that it found no adapter; the browser's own answer says why.
    const { absence, detail } = await askForAdapter();
    status.absence = absence;
    return end('unavailable', `${detail}; ${messageOf(err)}`);
  }

  try {
    const check = await webgpuSelfCheck();
    status.checkMs = check.ms ?? null;
    status.maxDiff = check.maxDiff ?? null;
    return check.ok
      ? end('ok', null)
      : end('failed', check.reason ?? `results differ from the CPU's by ${check.maxDiff}`);
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) throw err;
    return end('failed', messageOf(err));
  }
}

/**
 * Asks the browser for an adapter itself, after Burn's init failed, to tell why.
 * @returns {Promise<{ absence: Absence, detail: string }>}
 */
async function askForAdapter() {
  try {
    const adapter = await navigator.gpu.requestAdapter();
    return adapter
      ? { absence: 'device', detail: 'the browser offers an adapter, but Burn could not start on it' }
      : { absence: 'adapter', detail: 'navigator.gpu.requestAdapter() returned null' };
  } catch (err) {
    const name = err instanceof Error ? `${err.name}: ` : '';
    return { absence: 'refused', detail: `navigator.gpu.requestAdapter() was refused: ${name}${messageOf(err)}` };
  }
}

/** @param {unknown} err */
export function messageOf(err) {
  return err instanceof Error ? err.message : String(err);
}

/**
 * An error as the `error` event carries it: its English message and, when it has them (the
 * wasm's typed errors, the worker's own), its code and fields for the page to word it.
 * @param {unknown} err @returns {import('./protocol.js').ErrorDetail}
 */
export function detailOf(err) {
  const e = /** @type {any} */ (err);
  // A term or phrase inside an error's fields comes as a plain object with its own message.
  const message = typeof e?.message === 'string' ? e.message : messageOf(err);
  if (!e || typeof e.code !== 'string') return { message };
  /** @type {Record<string, any>} */
  const fields = {};
  // A term (a section's or a setting's name) comes as an error of its own, worded in turn.
  for (const [name, value] of Object.entries(e.fields ?? {})) {
    fields[name] = value && typeof value === 'object' ? detailOf(value) : value;
  }
  return e.cause && typeof e.cause === 'object'
    ? { message, code: e.code, fields, cause: detailOf(e.cause) }
    : { message, code: e.code, fields };
}

/**
 * An Error with a code and fields (detailOf): the worker's own errors a user meets.
 * @param {string} message in English @param {string} code @param {Record<string, string | number>} [fields]
 */
export function typedError(message, code, fields = {}) {
  return Object.assign(new Error(message), { code, fields });
}
