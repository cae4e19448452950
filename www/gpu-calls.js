// @ts-check
//! Counts the WebGPU calls that cost per training step: compute dispatches, pipelines and bind
//! groups created, buffers created, buffer writes, queue submissions and buffer maps (readbacks),
//! by wrapping those methods on every device of this realm. Each dispatch, submit and map is a
//! fixed cost a small model pays many times over; the bench divides the counts of a few steps by
//! their number (issue 20: fewer dispatches per step). Only the bench installs it.

/** @typedef {Record<'dispatches' | 'pipelines' | 'bindGroups' | 'buffers' | 'writes' | 'submits' | 'maps', number>} GpuCalls */
/** @typedef {GpuCalls & { kernels: Record<string, number> }} GpuCallsByKernel */

/** The counters, zero: their names in order. */
const calls0 = { dispatches: 0, pipelines: 0, bindGroups: 0, buffers: 0, writes: 0, submits: 0, maps: 0 };

/**
 * The counts so far, with the dispatches of each kernel: its pipeline's label (CubeCL names a
 * pipeline by its kernel's entry point, cubecl-wgpu's backend/base.rs), so that the bench can say
 * which kernels a step is made of.
 * @returns {(() => GpuCallsByKernel) | null} null without WebGPU
 */
export function countGpuCalls() {
  const g = /** @type {any} */ (globalThis);
  if (!g.GPUDevice || !g.GPUComputePassEncoder) return null;
  /** @type {GpuCalls} */
  const calls = { ...calls0 };
  /** @param {any} proto @param {string} method @param {keyof GpuCalls} counter */
  const wrap = (proto, method, counter) => {
    const original = proto?.[method];
    if (typeof original !== 'function') return;
    proto[method] = function (/** @type {any[]} */ ...args) {
      calls[counter] += 1;
      return original.apply(this, args);
    };
  };
  /** @type {Record<string, number>} */
  const kernels = {};
  /** The pipeline each pass has set: a dispatch runs the last one set on its pass. */
  const pipelineOf = new WeakMap();
  const pass = g.GPUComputePassEncoder.prototype;
  const setPipeline = pass.setPipeline;
  pass.setPipeline = function (/** @type {any} */ pipeline) {
    pipelineOf.set(this, pipeline?.label || '(unlabelled)');
    return setPipeline.call(this, pipeline);
  };
  for (const method of ['dispatchWorkgroups', 'dispatchWorkgroupsIndirect']) {
    const original = pass[method];
    pass[method] = function (/** @type {any[]} */ ...args) {
      const kernel = pipelineOf.get(this) ?? '(none)';
      kernels[kernel] = (kernels[kernel] ?? 0) + 1;
      calls.dispatches += 1;
      return original.apply(this, args);
    };
  }
  wrap(g.GPUDevice.prototype, 'createComputePipeline', 'pipelines');
  wrap(g.GPUDevice.prototype, 'createComputePipelineAsync', 'pipelines');
  wrap(g.GPUDevice.prototype, 'createBindGroup', 'bindGroups');
  wrap(g.GPUDevice.prototype, 'createBuffer', 'buffers');
  wrap(g.GPUQueue?.prototype, 'writeBuffer', 'writes');
  wrap(g.GPUQueue?.prototype, 'submit', 'submits');
  wrap(g.GPUBuffer?.prototype, 'mapAsync', 'maps');
  return () => ({ ...calls, kernels: { ...kernels } });
}

/** @param {number} n a count over `steps` steps @param {number} steps @returns {number} per step, to a tenth */
const per = (n, steps) => Math.round((n / steps) * 10) / 10;

/**
 * Per step: the counts between two snapshots over `steps` steps, the kernels by name (their
 * labels with CubeCL's trailing ids cut, so that one operation's variants add up), most first.
 * @param {GpuCallsByKernel} before @param {GpuCallsByKernel} after @param {number} steps
 * @returns {GpuCallsByKernel}
 */
export function perStep(before, after, steps) {
  /** @type {Record<string, number>} */
  const kernels = {};
  for (const [label, n] of Object.entries(after.kernels)) {
    const name = kernelName(label);
    kernels[name] = (kernels[name] ?? 0) + n - (before.kernels[label] ?? 0);
  }
  const byCount = Object.entries(kernels).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const counts = /** @type {GpuCalls} */ (Object.fromEntries(Object.keys(calls0)
    .map((k) => [k, per(after[/** @type {keyof GpuCalls} */ (k)] - before[/** @type {keyof GpuCalls} */ (k)], steps)])));
  return { ...counts, kernels: Object.fromEntries(byCount.map(([k, n]) => [k, per(n, steps)])) };
}

/** A pipeline's label without the ids and hashes CubeCL appends. @param {string} label */
function kernelName(label) {
  return label.replace(/(_[0-9a-f]{6,}|_\d+)+$/i, '');
}
