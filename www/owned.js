// @ts-check
//! Float32Arrays that can be transferred to the page.

/**
 * A Float32Array that owns its whole buffer, so it can be transferred (a view into wasm memory
 * is copied; transferring that memory would break the module).
 * @param {ArrayLike<number>} a @returns {Float32Array}
 */
export function owned(a) {
  if (a instanceof Float32Array && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength &&
      !(typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer)) return a;
  return Float32Array.from(a);
}
