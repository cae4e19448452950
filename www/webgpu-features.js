// @ts-check
//! Asks the browser for the WebGPU `subgroups` feature while Burn creates its device.
//!
//! Why: Burn's kernels (cubecl 0.11) read subgroup builtins and so emit `enable subgroups;` in
//! WGSL, but wgpu 30's WebGPU backend has no entry for `subgroups` in its feature table and never
//! requests it. Without the feature every such shader fails validation and training computes
//! garbage. wgpu gives no way to pass a browser feature it does not know, so we add it at the one
//! place the request is made, `GPUAdapter.requestDevice`, only for the duration of Burn's init,
//! and only when the adapter offers it. Where it does not, the start-up self-check fails and the
//! worker trains on the CPU, saying why.

/**
 * Runs `init` (Burn's async WebGPU initialisation) with `subgroups` added to the device request.
 * @template T
 * @param {() => Promise<T>} init
 * @param {{ request?: boolean }} [options] request: false leaves the request untouched (to test
 *   the path of a browser without subgroups).
 * @returns {Promise<{ result: T, subgroups: boolean, adapter: string | null }>} adapter: what the
 *   browser says of the adapter Burn got (wgpu passes on only its often empty description).
 */
export async function withSubgroups(init, { request = true } = {}) {
  const proto = globalThis.GPUAdapter?.prototype;
  if (!proto) return { result: await init(), subgroups: false, adapter: null };
  const original = proto.requestDevice;
  let granted = false;
  /** @type {string | null} */
  let adapter = null;
  proto.requestDevice = function (descriptor = {}) {
    adapter = describe(this);
    const wanted = new Set(descriptor.requiredFeatures ?? []);
    if (request && this.features.has('subgroups')) {
      wanted.add('subgroups');
      granted = true;
    }
    return original.call(this, { ...descriptor, requiredFeatures: [...wanted] });
  };
  try {
    return { result: await init(), subgroups: granted, adapter };
  } finally {
    proto.requestDevice = original;
  }
}

/** @param {any} adapter a GPUAdapter @returns {string} */
function describe(adapter) {
  const info = adapter.info ?? {};
  const name = info.description || [info.vendor, info.architecture].filter(Boolean).join(' ');
  const fallback = info.isFallbackAdapter ? ' (software fallback)' : '';
  return (name || 'unknown adapter') + fallback;
}
