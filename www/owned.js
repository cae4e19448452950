// @ts-check
//! Float32Arrays that can be transferred to the page, and the wasm's events posted with theirs.

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

/**
 * Posts an event made by the wasm as it is, transferring its typed arrays (each owns its
 * buffer: the wasm layer copies them out of its memory).
 * @param {import('./protocol.js').WorkerEvent} event @param {import('./protocol.js').Post} post
 */
export function postEvent(event, post) {
  const arrays = Object.values(event).filter((v) => ArrayBuffer.isView(v));
  post(event, arrays.map((a) => /** @type {ArrayBuffer} */ (a.buffer)));
}
