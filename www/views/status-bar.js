// @ts-check
//! The status line: step, epoch, steps/s, and which backend trains, with the WebGPU check.
//! It stays one line (a long text ends in an ellipsis, its full text in its title); what a
//! screen reader hears is the polite summary of views/status-summary.js.

import { StatusSummary } from './status-summary.js';

import { onLanguageChange, t } from '../i18n.js';

export class StatusBar {
  /** @param {HTMLElement} container */
  constructor(container) {
    const $ = (/** @type {string} */ sel) => /** @type {HTMLElement} */ (container.querySelector(sel));
    this.step = $('#step-count');
    this.epoch = $('#epoch');
    this.rate = $('#steps-per-sec');
    this.backend = $('#backend-status');
    this.saved = $('#autosave-status');
    this.summary = new StatusSummary($('#status-summary'));
    this.wasmMs = 0;
    /** The last `backend` and `autosaved` events, worded again in another language. @type {any} */
    this.backendEvent = null;
    /** @type {any} */ this.savedEvent = null;
    this.started = false;
    onLanguageChange(() => this.words());
    this.words();
    this.reset();
  }

  reset() {
    this.step.textContent = '0';
    this.epoch.textContent = '0.00';
    this.rate.textContent = '0';
  }

  /** @param {any} event */
  update(event) {
    this.summary.update(event);
    switch (event.type) {
      case 'ready':
        this.wasmMs = event.wasmMs;
        this.started = true;
        this.words();
        break;
      case 'session':
        this.reset();
        break;
      case 'progress':
        this.step.textContent = String(event.step);
        this.epoch.textContent = event.epoch.toFixed(2);
        this.rate.textContent = event.stepsPerSec >= 10
          ? event.stepsPerSec.toFixed(0) : event.stepsPerSec.toFixed(1);
        break;
      case 'state':
        this.step.textContent = String(event.step);
        if (!event.running) this.rate.textContent = '0';
        break;
      case 'autosaved':
        this.savedEvent = event;
        this.words();
        this.saved.dataset.step = event.ok ? String(event.step) : '';
        break;
      case 'backend':
        this.backendEvent = event;
        this.words();
        // The CPU on one thread or on the pool is the CPU; data-threads says on how many.
        this.backend.dataset.backend = event.active === 'threads' ? 'cpu' : event.active;
        this.backend.dataset.threads = event.active === 'webgpu' ? '' : String(event.active === 'threads' ? event.threads.threads : 1);
        this.backend.dataset.webgpuState = event.webgpu.state;
        // The backend measured faster for the model in force ('' until timed).
        this.backend.dataset.faster = event.timing ? event.timing.faster : '';
        break;
    }
  }

  /** The backend and the autosave, in the language in force. */
  words() {
    const b = this.backendEvent;
    if (b) {
      this.backend.textContent = describeBackend(b) + threadCount(b);
      // The whole text too (the line may cut it short), the technical reason WebGPU is
      // unavailable (wgpu's words among it), which stays out of the line, and why the CPU runs
      // on as many threads as it does.
      this.backend.title = [this.backend.textContent,
        b.webgpu.state === 'unavailable' ? `WebGPU: ${b.webgpu.reason}` : '',
        b.active === 'webgpu' ? '' : describeThreads(b),
        timings(b.webgpu, this.wasmMs)].filter(Boolean).join('\n');
    } else {
      this.backend.textContent = t(this.started ? 'status.starting' : 'status.loading');
    }
    const s = this.savedEvent;
    if (s) {
      this.saved.textContent = s.ok ? t('status.saved', { step: s.step }) : t('status.notSaved');
      this.saved.title = s.ok ? `${(s.bytes / 1024).toFixed(0)} KB, ${s.ms.toFixed(0)} ms`
        : s.reason !== undefined ? t('message.notKept', { reason: s.reason }) : s.message ?? '';
    }
  }
}

/**
 * "WebGPU (SwiftShader…) — self-check passed, max diff 3e-7",
 * "CPU — WebGPU self-check failed: <reason>", "WebGPU is not available in this browser: training on the CPU.".
 * @param {import('../protocol.js').BackendEvent} event
 */
export function describeBackend({ active, requested, webgpu, timing }) {
  const diff = (webgpu.maxDiff === null ? '' : t('backend.maxDiff', { diff: formatDiff(webgpu.maxDiff) })) +
    (webgpu.subgroups === false ? t('backend.noSubgroups') : '');
  // What timing this model on both backends found (backend-timing.js): auto trains on the faster.
  const summary = timing ? describeTiming(timing) : '';
  const timed = !timing ? '' : t(requested === 'auto' ? 'backend.timed' : 'backend.timedChosen', { summary });
  const reason = reasonText(webgpu);
  if (active === 'webgpu') {
    // "google swiftshader (software fallback)" reads better inside parentheses with a comma.
    const adapter = (webgpu.adapter ?? t('backend.unknownAdapter')).replace(/ \((.*)\)$/, ', $1');
    return t('backend.webgpu', { adapter, diff, timed });
  }
  switch (webgpu.state) {
    case 'idle': return requested === 'cpu' ? t('backend.cpuChosen') : 'CPU';
    case 'checking': return t('backend.checking');
    case 'unavailable': return webgpu.absence ? t(`backend.absent.${webgpu.absence}`) : t('backend.unavailable', { reason });
    case 'failed': return t('backend.failed', { reason });
    case 'ok':
      if (requested === 'cpu') return t('backend.cpuChosenPassed', { diff });
      return t('backend.cpuPassed', { diff, reason: reason ? t('backend.because', { reason }) : '', timed });
  }
  return 'CPU';
}

/** " · 4 threads", " · 1 thread": the CPU's threads (none for WebGPU). @param {import('../protocol.js').BackendEvent} b */
function threadCount(b) {
  if (b.active === 'webgpu') return '';
  return b.active === 'threads' ? t('backend.onThreads', { threads: b.threads.threads }) : t('backend.onOneThread');
}

/**
 * Why the CPU runs on one thread or on the pool (cpu-threads.js): the page cannot have threads,
 * they are off or on, or the model was timed on both.
 * @param {import('../protocol.js').BackendEvent} b
 */
function describeThreads({ threads: th }) {
  if (th.state === 'unavailable') return t(`backend.threads.${th.reason}`);
  if (th.state === 'failed') return t('backend.threads.failed', { reason: th.reason ?? '' });
  if (th.request === 'off') return t('backend.threads.off');
  if (th.state === 'loading') return t('backend.threads.loading');
  if (th.state !== 'ready') return '';
  if (th.request === 'on') return t('backend.threads.on', { threads: th.threads });
  if (!th.timing) return '';
  const ms = (/** @type {number} */ x) => (x >= 10 ? x.toFixed(0) : x.toPrecision(2));
  const pool = th.timing.faster === 'threads';
  return t('backend.threads.timed', {
    winner: t(pool ? 'backend.threads.pool' : 'backend.threads.one', { threads: th.threads }),
    loser: t(pool ? 'backend.threads.oneShort' : 'backend.threads.poolShort', { threads: th.threads }),
    winnerMs: ms(pool ? th.timing.threadsMs : th.timing.cpuMs),
    loserMs: ms(pool ? th.timing.cpuMs : th.timing.threadsMs),
  });
}

/** Why the CPU trains, worded where the worker gave a code; else its English words (a browser's). @param {any} webgpu */
function reasonText(webgpu) {
  if (!webgpu.reason) return '';
  return webgpu.reasonCode ? t(`backend.reason.${webgpu.reasonCode}`, { detail: webgpu.reasonDetail ?? '' }) : webgpu.reason;
}

/** "CPU is faster for this model: 2.9 ms a step, WebGPU 410 ms" (backend-timing.js times them). @param {any} timing */
function describeTiming(timing) {
  const ms = (/** @type {number} */ x) => (x >= 10 ? x.toFixed(0) : x.toPrecision(2));
  const [winner, loser] = timing.faster === 'cpu' ? ['CPU', 'WebGPU'] : ['WebGPU', 'CPU'];
  const [a, b] = timing.faster === 'cpu' ? [timing.cpu, timing.webgpu] : [timing.webgpu, timing.cpu];
  const fields = { winner, loser, winnerMs: ms(a.msPerStep), loserMs: ms(b.msPerStep) };
  // Timed on another model of its family (backend-timing.js timingStands): says how much larger.
  return timing.scale ? t('backend.fasterScaled', { ...fields, scale: timing.scale }) : t('backend.faster', fields);
}

/** @param {number} d */
function formatDiff(d) {
  return d === 0 ? '0' : d.toExponential(0);
}

/** @param {any} webgpu @param {number} wasmMs */
function timings(webgpu, wasmMs) {
  const parts = [t('backend.wasmMs', { ms: wasmMs.toFixed(0) })];
  if (webgpu.initMs !== null) parts.push(t('backend.initMs', { ms: webgpu.initMs.toFixed(0) }));
  if (webgpu.checkMs !== null) parts.push(t('backend.checkMs', { ms: webgpu.checkMs.toFixed(0) }));
  if (webgpu.subgroups !== null) parts.push(t(webgpu.subgroups ? 'backend.subgroupsOn' : 'backend.subgroupsOff'));
  return parts.join(t('list.separator'));
}
