// @ts-check
//! The status line: step, epoch, steps/s, and which backend trains, with the WebGPU check.
//! It stays one line (a long text ends in an ellipsis, its full text in its title); what a
//! screen reader hears is the polite summary of views/status-summary.js.

import { StatusSummary } from './status-summary.js';

import { absent } from '../webgpu-probe.js';

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
        this.backend.textContent = 'starting…';
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
        this.saved.textContent = event.ok ? `saved in this browser at step ${event.step.toLocaleString('en')}` : 'not saved';
        this.saved.dataset.step = event.ok ? String(event.step) : '';
        this.saved.title = `${this.saved.textContent}: ${event.ok ? `${(event.bytes / 1024).toFixed(0)} KB, ${event.ms.toFixed(0)} ms` : event.message ?? ''}`;
        break;
      case 'backend':
        this.backend.textContent = describeBackend(event);
        this.backend.dataset.backend = event.active;
        this.backend.dataset.webgpuState = event.webgpu.state;
        // The backend measured faster for the model in force ('' until timed).
        this.backend.dataset.faster = event.timing ? event.timing.faster : '';
        // The whole text too (the line may cut it short), and the technical reason WebGPU is
        // unavailable (wgpu's words among it), which stays out of the line.
        this.backend.title = [this.backend.textContent,
          event.webgpu.state === 'unavailable' ? `WebGPU: ${event.webgpu.reason}` : '',
          timings(event.webgpu, this.wasmMs)].filter(Boolean).join('\n');
        break;
    }
  }
}

/**
 * "WebGPU (SwiftShader…) — self-check passed, max diff 3e-7",
 * "CPU — WebGPU self-check failed: <reason>", "WebGPU is not available in this browser: training on the CPU.".
 * @param {import('../protocol.js').BackendEvent} event
 */
export function describeBackend({ active, requested, webgpu, timing }) {
  const diff = (webgpu.maxDiff === null ? '' : `, max diff ${formatDiff(webgpu.maxDiff)}`) +
    (webgpu.subgroups === false ? ' (without subgroups)' : '');
  // What timing this model on both backends found (backend-timing.js): auto trains on the faster.
  const timed = !timing ? '' : requested === 'auto' ? `; ${timing.summary}` : `; chosen (${timing.summary})`;
  if (active === 'webgpu') {
    // "google swiftshader (software fallback)" reads better inside parentheses with a comma.
    const adapter = (webgpu.adapter ?? 'unknown adapter').replace(/ \((.*)\)$/, ', $1');
    return `WebGPU (${adapter}) — self-check passed${diff}${timed}`;
  }
  switch (webgpu.state) {
    case 'idle': return requested === 'cpu' ? 'CPU (chosen)' : 'CPU';
    case 'checking': return 'CPU — checking WebGPU…';
    case 'unavailable': {
      const clause = absent(webgpu.absence);
      return `${clause[0].toUpperCase()}${clause.slice(1)}: training on the CPU.`;
    }
    case 'failed': return `CPU — WebGPU self-check failed: ${webgpu.reason}`;
    case 'ok':
      if (requested === 'cpu') return `CPU (chosen) — WebGPU self-check passed${diff}`;
      return `CPU — WebGPU self-check passed${diff}${webgpu.reason ? `; ${webgpu.reason}` : ''}${timed}`;
  }
  return 'CPU';
}

/** @param {number} d */
function formatDiff(d) {
  return d === 0 ? '0' : d.toExponential(0);
}

/** @param {any} webgpu @param {number} wasmMs */
function timings(webgpu, wasmMs) {
  const parts = [`wasm instantiate ${wasmMs.toFixed(0)} ms`];
  if (webgpu.initMs !== null) parts.push(`WebGPU init ${webgpu.initMs.toFixed(0)} ms`);
  if (webgpu.checkMs !== null) parts.push(`self-check ${webgpu.checkMs.toFixed(0)} ms`);
  if (webgpu.subgroups !== null) parts.push(`subgroups ${webgpu.subgroups ? 'on' : 'off'}`);
  return parts.join(', ');
}
