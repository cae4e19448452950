// @ts-check
//! The threads benchmark's worker (issue 20, item 4): the benchmark's three workloads (the spiral
//! MLP at batch 256, the reversal transformer, the char-level LM) on the CPU, in the single-
//! threaded build (pkg/) and in the threaded one (pkg-threads/, rayon's pool of web workers on
//! every core), one after the other in one sitting. Each first trains 20 steps from the same
//! seed and keeps their losses, so that the builds can be compared (tests/e2e/threads.spec.mjs:
//! the threads must not change what is learnt). The page must be cross-origin isolated: the
//! threaded build's memory is a SharedArrayBuffer.

import initSingle, * as single from '../pkg/kindling.js';
import initThreads, * as threaded from '../pkg-threads/kindling.js';
import { log, now, round, serve, steady } from './bench-harness.js';

/** ?threads=N: the pool's size (default: every core the browser reports). */
const THREADS = Number(new URL(self.location.href).searchParams.get('threads')) || navigator.hardwareConcurrency;

/** Steps trained from the seed, their losses kept, before the timing. */
const COMPARED_STEPS = 20;

/** The workloads, as bench-worker.js has them. */
const WORKLOADS = {
  'spiral MLP': (/** @type {any} */ build) => {
    const s = build.defaultSettings();
    const layer = { units: 64, activation: 'relu', dropout: 0 };
    s.model.hidden = [{ ...layer }, { ...layer }];
    Object.assign(s.train, { batchSize: 256, optimizer: 'adam' });
    return () => build.Session.points(s, 'cpu');
  },
  reversal: (/** @type {any} */ build) => {
    const s = build.defaultSequenceSettings();
    return () => build.Session.sequences(s, 'cpu');
  },
  'char LM': (/** @type {any} */ build) => {
    const s = build.defaultSequenceSettings();
    Object.assign(s.data, { task: 'text', length: 64 });
    Object.assign(s.model, { dModel: 128, heads: 4, layers: 2 });
    s.train.batchSize = 32;
    return () => build.Session.sequences(s, 'cpu');
  },
};

serve(bench);

/** @param {{ cpu: number }} budgets ms per measurement */
async function bench(budgets) {
  if (!self.crossOriginIsolated) throw new Error('not cross-origin isolated: the server must send COOP and COEP headers');
  let t = now();
  await initSingle();
  const singleMs = round(now() - t);
  t = now();
  await initThreads();
  await threaded.initThreadPool(THREADS);
  const threadsMs = round(now() - t);
  log(`instantiate: single ${singleMs} ms; threads ${threadsMs} ms with a pool of ${threaded.threadCount()} (${threaded.buildKind()})`);
  const runs = [];
  for (const [name, make] of Object.entries(WORKLOADS)) {
    for (const [kind, build] of /** @type {[string, any][]} */ ([['single', single], ['threads', threaded]])) {
      const session = make(build)();
      try {
        t = now();
        session.train(1);
        const losses = [...await session.readLosses()];
        const firstStepMs = round(now() - t);
        session.train(COMPARED_STEPS - 1);
        losses.push(...await session.readLosses());
        const trainAndRead = (/** @type {number} */ n) => {
          session.train(n);
          return session.readLosses();
        };
        const steps = await steady(trainAndRead, 10, budgets.cpu);
        log(`${name}, ${kind}: ${steps.stepsPerSec} steps/s (first step ${firstStepMs} ms)`);
        runs.push({ workload: name, build: kind, firstStepMs, losses, ...steps });
      } finally {
        session.free();
      }
    }
  }
  return { date: new Date().toISOString(), threads: threaded.threadCount(), cores: navigator.hardwareConcurrency, instantiateMs: { single: singleMs, threads: threadsMs }, runs };
}
