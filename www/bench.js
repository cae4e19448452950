// @ts-check
//! The benchmark page: runs www/bench-worker.js (all training off the main thread, as in the
//! app) and collects its result for tests/bench/run.mjs (www/bench-page.js). The worker reads
//! its own options from the page's query (?tasksMax, ?subgroups, ?memorySteps, ?gpuMemorySteps).

import { runBench } from './bench-page.js';

runBench(new URL(`./bench-worker.js${location.search}`, import.meta.url), { type: 'module' });
