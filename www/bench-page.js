// @ts-check
//! What both benchmark pages (bench.html, bench-tfjs.html) do around their worker: read the
//! budgets from the URL, log, record main-thread long tasks while the worker runs, and put the
//! result on `window.benchResult` (or the failure on `window.benchError`) for
//! tests/bench/run.mjs to collect.

/**
 * Starts the worker at `url` on the budgets of `?cpu=S&webgpu=S` (seconds per measurement;
 * SwiftShader's WebGPU is slow, so it gets longer) and waits for its {type:'result'} or
 * {type:'error'} (www/bench-harness.js answers for it).
 * @param {URL} url @param {WorkerOptions} [options]
 */
export function runBench(url, options) {
  const params = new URLSearchParams(location.search);
  const budgets = {
    cpu: 1000 * Number(params.get('cpu') ?? 5),
    webgpu: 1000 * Number(params.get('webgpu') ?? 20),
  };

  const logEl = /** @type {HTMLElement} */ (document.getElementById('log'));
  const resultEl = /** @type {HTMLElement} */ (document.getElementById('result'));
  /** @param {string} line */
  const log = (line) => {
    logEl.textContent += `${line}\n`;
    console.log(`[bench] ${line}`);
  };

  /** @type {{ startMs: number, ms: number }[]} */
  const longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push({ startMs: Math.round(e.startTime), ms: Math.round(e.duration) });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    log('no PerformanceObserver for long tasks in this browser');
  }

  /** @param {unknown} error */
  const fail = (error) => {
    const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
    log(`FAILED: ${message}`);
    /** @type {any} */ (window).benchError = message;
  };

  const started = performance.now();
  const worker = new Worker(url, options);
  worker.onerror = (e) => fail(`worker error: ${e.message || 'the worker failed to load'}`);
  worker.onmessage = ({ data }) => {
    if (data.type === 'log') return log(data.message);
    if (data.type === 'error') return fail(data.message);
    if (data.type !== 'result') return;
    const result = {
      ...data.result,
      userAgent: navigator.userAgent,
      budgetsMs: budgets,
      totalMs: Math.round(performance.now() - started),
      mainThreadLongTasks: {
        count: longTasks.length,
        totalMs: longTasks.reduce((sum, t) => sum + t.ms, 0),
        maxMs: longTasks.reduce((max, t) => Math.max(max, t.ms), 0),
        entries: longTasks.slice(0, 50),
      },
    };
    resultEl.textContent = JSON.stringify(result, null, 2);
    log('done');
    /** @type {any} */ (window).benchResult = result;
    worker.terminate();
  };
  worker.postMessage({ type: 'run', budgets });
}
