// @ts-check
//! Reads a generated CSV of about `megabytes` MB as the app reads a dropped file: parse and
//! infer (`new DataFile`), then encode (`file.encode`: split, standardise, one-hot). Reports the
//! times and the wasm linear memory, which never shrinks, so its size after is its peak.

import init, { DataFile } from '../pkg/kindling.js';

/**
 * What a table's DataFile.preview() and encode() give, the fields read here (docs/wasm-api.md).
 * @typedef {{ rows: number, columns: { name: string }[] }} Schema
 * @typedef {{ inputs: string[], trainRows: number, testRows: number }} Encoded
 */

/** @param {string} message */
const log = (message) => self.postMessage({ type: 'log', message });

/**
 * 8 numeric columns, an integer, a category and a 3-class label; seeded, so every run reads the
 * same bytes.
 * @param {number} bytes the size to reach
 */
function generate(bytes) {
  let state = 12345;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const colours = ['red', 'green', 'blue', 'yellow', 'purple'];
  // Written straight into the bytes a dropped file would be: no array of lines, no big string,
  // so the tab's memory is what reading needs (plus the file itself).
  const out = new Uint8Array(bytes + 256);
  const encoder = new TextEncoder();
  let size = encoder.encodeInto('a,b,c,d,e,f,g,h,count,colour,label\n', out).written;
  while (size < bytes) {
    const v = Array.from({ length: 8 }, () => (random() * 200 - 100).toFixed(4));
    const label = ['low', 'mid', 'high'][Math.floor(random() * 3)];
    const line = `${v.join(',')},${Math.floor(random() * 1000)},${colours[Math.floor(random() * 5)]},${label}\n`;
    size += encoder.encodeInto(line, out.subarray(size)).written;
  }
  return out.subarray(0, size);
}

self.onmessage = async ({ data }) => {
  try {
    const exports = await init();
    const before = exports.memory.buffer.byteLength;
    const bytes = generate(data.megabytes * 1024 * 1024);
    log(`generated ${(bytes.length / 1048576).toFixed(1)} MB`);
    const t0 = performance.now();
    const file = new DataFile('bench.csv', bytes);
    const t1 = performance.now();
    /** @type {Schema} */
    const preview = file.preview();
    /** @type {Encoded} */
    const summary = file.encode({ target: 'label', testFraction: 0.2, seed: 1 });
    const t2 = performance.now();
    file.free();
    self.postMessage({
      type: 'result',
      result: {
        bytes: bytes.length,
        rows: preview.rows,
        columns: preview.columns.length,
        inputs: summary.inputs.length,
        trainRows: summary.trainRows,
        testRows: summary.testRows,
        parseInferMs: Math.round(t1 - t0),
        encodeMs: Math.round(t2 - t1),
        totalMs: Math.round(t2 - t0),
        wasmMemoryBeforeBytes: before,
        wasmMemoryPeakBytes: exports.memory.buffer.byteLength,
      },
    });
  } catch (err) {
    self.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
