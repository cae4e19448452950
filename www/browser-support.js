// @ts-check
//! What the page needs from the browser, checked before anything loads the wasm, so that a
//! browser without it is told what is missing instead of showing a page that never starts.
//! WebAssembly SIMD is the newest thing the wasm uses (it is built with +simd128,
//! .cargo/config.toml; its other features, bulk memory, sign extension, reference types and
//! multi-value, came to every browser before SIMD did); the training worker is a module worker.

import { t } from './i18n.js';

/** @typedef {{ what: string, browsers: string }} Missing a feature, and the browsers that have it (catalogue keys: unsupported.*) */

/**
 * The smallest module that needs SIMD: one function returning `v128.const 0`. A browser without
 * SIMD fails to validate it (the v128 type and the 0xfd prefix are unknown to it).
 */
const SIMD_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // types: () -> v128
  0x03, 0x02, 0x01, 0x00, // functions: one, of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array(16).fill(0), 0x0b, // code: v128.const 0; end
]);

/** @returns {boolean} */
function hasWasmSimd() {
  try {
    return WebAssembly.validate(SIMD_MODULE);
  } catch {
    return false;
  }
}

/**
 * A browser that knows module workers reads the `type` option; one that does not ignores it
 * (and would run worker.js as a classic script, failing on its first `import`) or throws.
 * The worker made to find out runs an empty script and is stopped at once.
 * @returns {boolean}
 */
function hasModuleWorkers() {
  if (typeof Worker !== 'function') return false;
  let read = false;
  const options = { get type() { read = true; return /** @type {'module'} */ ('module'); } };
  const url = URL.createObjectURL(new Blob([''], { type: 'text/javascript' }));
  try {
    new Worker(url, options).terminate();
    return read;
  } catch {
    return false;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * What this browser lacks of what the page needs; empty when it has it all.
 * @returns {Missing[]}
 */
export function missingFeatures() {
  /** @type {Missing[]} */
  const missing = [];
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') {
    missing.push({ what: 'wasm', browsers: 'wasm' });
  } else if (!hasWasmSimd()) {
    missing.push({ what: 'simd', browsers: 'simd' });
  }
  if (!hasModuleWorkers()) {
    missing.push({ what: 'workers', browsers: 'workers' });
  }
  return missing;
}

/**
 * Shows what is missing in `container` (the page's notice above the playground).
 * @param {HTMLElement} container @param {Missing[]} missing
 */
export function showMissing(container, missing) {
  const list = missing.map((m) => t('unsupported.feature', {
    what: t(`unsupported.what.${m.what}`), browsers: t(`unsupported.browsers.${m.browsers}`),
  })).join(t('unsupported.and'));
  container.textContent = t('unsupported.text', { list });
  container.dataset.missing = missing.map((m) => m.what).join(', ');
  container.hidden = false;
}
