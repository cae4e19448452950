// @ts-check
//! What both benchmark workers (www/bench-worker.js: Kindling; www/bench-tfjs-worker.js:
//! TensorFlow.js on the same workload) share: the page's {type:'run', budgets} in, then
//! {type:'log'}s and one {type:'result'} or {type:'error'} out (www/bench-page.js reads them);
//! the steady-state loop that both time the same way; and the adapter's description.

/** @param {string} message */
export const log = (message) => postMessage({ type: 'log', message });
export const now = () => performance.now();
export const round = (/** @type {number} */ x, digits = 1) => Number(x.toFixed(digits));

/**
 * Answers the page's {type:'run'} with what `bench` returns, or the error it throws.
 * @param {(budgets: { cpu: number, webgpu: number }) => Promise<unknown>} bench budgets are ms
 *   per measurement
 */
export function serve(bench) {
  self.onmessage = async ({ data }) => {
    if (data.type !== 'run') return;
    try {
      postMessage({ type: 'result', result: await bench(data.budgets) });
    } catch (error) {
      postMessage({ type: 'error', message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) });
    }
  };
}

/**
 * Trains `batch` steps, reads the losses back, and repeats until the budget is spent.
 * @param {(batch: number) => Promise<ArrayLike<number>>} trainAndRead trains `batch` steps and
 *   reads their losses back
 * @param {number} batch
 * @param {number} budgetMs
 */
export async function steady(trainAndRead, batch, budgetMs) {
  const start = now();
  let steps = 0;
  let lastLoss = NaN;
  let slowestReadMs = 0;
  while (now() - start < budgetMs) {
    const t = now();
    const losses = await trainAndRead(batch);
    slowestReadMs = Math.max(slowestReadMs, now() - t);
    steps += batch;
    lastLoss = losses[losses.length - 1];
  }
  const seconds = (now() - start) / 1000;
  return { steps, seconds: round(seconds, 2), stepsPerSec: round(steps / seconds), slowestBatchMs: round(slowestReadMs), lastLoss };
}

/**
 * The WebGPU adapter as the browser describes it, or null without one. Asked for after the runs,
 * so it does not slow the library's own init.
 */
export async function adapterInfo() {
  const gpu = /** @type {any} */ (navigator).gpu;
  const adapter = gpu ? await gpu.requestAdapter() : null;
  const info = adapter?.info;
  if (!info) return null;
  return {
    vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description,
    subgroupMinSize: info.subgroupMinSize ?? null,
    subgroupMaxSize: info.subgroupMaxSize ?? null,
    features: [...adapter.features].sort(),
  };
}
