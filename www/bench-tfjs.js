// @ts-check
//! The TensorFlow.js comparison page: runs www/bench-tfjs-worker.js and collects its result for
//! tests/bench/run.mjs (www/bench-page.js), as www/bench.js does for Kindling.

import { runBench } from './bench-page.js';

runBench(new URL('./bench-tfjs-worker.js', import.meta.url), { type: 'module' });
