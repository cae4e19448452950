// @ts-check
//! The table-reading benchmark page (run by tests/bench/table.mjs): runs bench-table-worker.js
//! and puts its result on `window.benchTableResult` (or `window.benchTableError`).

const params = new URLSearchParams(location.search);
const logEl = /** @type {HTMLElement} */ (document.getElementById('log'));
/** @param {string} line */
const log = (line) => {
  logEl.textContent += `${line}\n`;
  console.log(`[bench] ${line}`);
};

const worker = new Worker(new URL('./bench-table-worker.js', import.meta.url), { type: 'module' });
worker.onerror = (e) => { /** @type {any} */ (window).benchTableError = e.message || 'the worker failed to load'; };
worker.onmessage = ({ data }) => {
  if (data.type === 'log') return log(data.message);
  if (data.type === 'error') {
    log(`FAILED: ${data.message}`);
    /** @type {any} */ (window).benchTableError = data.message;
    return;
  }
  log(JSON.stringify(data.result));
  /** @type {any} */ (window).benchTableResult = data.result;
};
// The page waits for `go` so the runner can read the tab's memory before the work starts.
/** @type {any} */ (window).startBench = () => worker.postMessage({ type: 'run', megabytes: Number(params.get('mb') ?? 50) });
