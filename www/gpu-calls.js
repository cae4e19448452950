// @ts-check
//! Counts the WebGPU calls that cost per training step: compute dispatches, pipelines and bind
//! groups created, buffers created, buffer writes, queue submissions and buffer maps (readbacks),
//! by wrapping those methods on every device of this realm. Each dispatch, submit and map is a
//! fixed cost a small model pays many times over; the bench divides the counts of a few steps by
//! their number (issue 20: fewer dispatches per step). Only the bench installs it.

/** @typedef {Record<'dispatches' | 'pipelines' | 'bindGroups' | 'buffers' | 'writes' | 'submits' | 'maps', number>} GpuCalls */

/** @returns {(() => GpuCalls) | null} the counts so far; null without WebGPU */
export function countGpuCalls() {
  const g = /** @type {any} */ (globalThis);
  if (!g.GPUDevice || !g.GPUComputePassEncoder) return null;
  /** @type {GpuCalls} */
  const calls = { dispatches: 0, pipelines: 0, bindGroups: 0, buffers: 0, writes: 0, submits: 0, maps: 0 };
  /** @param {any} proto @param {string} method @param {keyof GpuCalls} counter */
  const wrap = (proto, method, counter) => {
    const original = proto?.[method];
    if (typeof original !== 'function') return;
    proto[method] = function (/** @type {any[]} */ ...args) {
      calls[counter] += 1;
      return original.apply(this, args);
    };
  };
  wrap(g.GPUComputePassEncoder.prototype, 'dispatchWorkgroups', 'dispatches');
  wrap(g.GPUComputePassEncoder.prototype, 'dispatchWorkgroupsIndirect', 'dispatches');
  wrap(g.GPUDevice.prototype, 'createComputePipeline', 'pipelines');
  wrap(g.GPUDevice.prototype, 'createComputePipelineAsync', 'pipelines');
  wrap(g.GPUDevice.prototype, 'createBindGroup', 'bindGroups');
  wrap(g.GPUDevice.prototype, 'createBuffer', 'buffers');
  wrap(g.GPUQueue?.prototype, 'writeBuffer', 'writes');
  wrap(g.GPUQueue?.prototype, 'submit', 'submits');
  wrap(g.GPUBuffer?.prototype, 'mapAsync', 'maps');
  return () => ({ ...calls });
}

/** Per step: the counts between two snapshots over `steps` steps. @param {GpuCalls} before @param {GpuCalls} after @param {number} steps */
export function perStep(before, after, steps) {
  return /** @type {GpuCalls} */ (Object.fromEntries(Object.entries(after)
    .map(([k, v]) => [k, Math.round(((v - before[/** @type {keyof GpuCalls} */ (k)]) / steps) * 10) / 10])));
}
