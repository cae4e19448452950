// @ts-check
//! The threads benchmark page (bench-threads.html): runs www/bench-threads-worker.js and
//! collects its result for tests/bench/threads.mjs (www/bench-page.js).

import { runBench } from './bench-page.js';

runBench(new URL(`./bench-threads-worker.js${location.search}`, import.meta.url), { type: 'module' });
