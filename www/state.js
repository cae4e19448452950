// @ts-check
//! The page's settings and the URL hash that keeps them across a reload. The hash holds only
//! what differs from the defaults (which come from the worker's `ready` event), e.g.
//! `#data.kind=circles&train.learningRate=0.03&model.hidden=8:tanh:0,8:tanh:0&backend=cpu`.
//! The mode is in it too when it is not 'points', and then the settings are those of the
//! sequence models, e.g. `#mode=sequences&data.task=sort&model.heads=2`. A shared model adds
//! `model=k1.…` (docs/share-format.md): the worker opens it, and the hash is written anew without it.

import { clone, differences, merge, setPath } from './settings.js';

/** @typedef {import('./protocol.js').BackendChoice} BackendChoice */
/** @typedef {import('./protocol.js').Mode} Mode */

const BACKENDS = ['auto', 'webgpu', 'cpu'];
const MODES = ['points', 'sequences'];

export class SettingsState {
  /** @param {string} hash location.hash */
  constructor(hash) {
    const { overrides, backend, mode, link } = parseHash(hash);
    /** What the URL asked for, before the defaults are known. */
    this.overrides = overrides;
    /** The shared model the URL holds (`model=`), if any. */
    this.link = link;
    /** @type {BackendChoice} */
    this.backend = backend;
    /** The mode of the accepted settings (before that: what the URL asked for). @type {Mode} */
    this.mode = mode;
    /** Each mode's defaults (null: not known, or this wasm build lacks the mode). */
    this.defaultsOf = /** @type {Record<Mode, Record<string, any> | null>} */ ({ points: null, sequences: null });
    /** The settings the worker accepted last (`configured`). @type {Record<string, any> | null} */
    this.settings = null;
    /** Sent but not yet accepted; the next edit builds on these. @type {Record<string, any> | null} */
    this.pending = null;
    /** @type {Mode} the mode of `pending` */
    this.pendingMode = mode;
    /** The settings each mode had when the user left it, to come back to. */
    this.left = /** @type {Partial<Record<Mode, Record<string, any>>>} */ ({});
  }

  /** The defaults of the mode in force. */
  get defaults() {
    return this.defaultsOf[this.mode];
  }

  /** @param {Record<string, any>} defaults @param {Record<string, any>} sequenceDefaults */
  setDefaults(defaults, sequenceDefaults) {
    this.defaultsOf = { points: defaults, sequences: sequenceDefaults };
  }

  /** The worker runs with these now. @param {Record<string, any>} settings @param {Mode} [mode] */
  accept(settings, mode = this.mode) {
    if (mode !== this.mode) {
      if (this.settings) this.left[this.mode] = this.settings;
      this.mode = mode;
    }
    this.settings = settings;
    if (this.pending && this.pendingMode === mode && differences(this.pending, settings).length === 0) {
      this.pending = null;
    }
  }

  /** The worker refused the last settings sent: it keeps the accepted ones. */
  reject() {
    this.pending = null;
    this.pendingMode = this.mode;
  }

  /**
   * The latest settings with one more edit applied, remembered as pending until accepted.
   * @param {(s: Record<string, any>) => void} edit mutates a copy
   */
  edited(edit) {
    const base = this.pending && this.pendingMode === this.mode ? this.pending : this.settings;
    const next = clone(base ?? {});
    edit(next);
    this.pending = next;
    this.pendingMode = this.mode;
    return next;
  }

  /**
   * The settings to switch to `mode` with: those it had when left, else its defaults.
   * @param {Mode} mode @returns {Record<string, any> | null} null when the mode is not available
   */
  switchTo(mode) {
    const next = this.left[mode] ?? this.defaultsOf[mode];
    if (!next) return null;
    this.pending = clone(next);
    this.pendingMode = mode;
    return this.pending;
  }

  /** The hash for `settings` (default: the accepted ones), the mode and the backend choice. */
  toHash(settings = this.settings, mode = this.mode) {
    const defaults = this.defaultsOf[mode];
    if (!settings || !defaults) return '';
    const parts = differences(settings, defaults).map(([path, value]) =>
      `${path}=${encodeURIComponent(encodeValue(path, value))}`);
    if (mode !== 'points') parts.unshift(`mode=${mode}`);
    if (this.backend !== 'auto') parts.push(`backend=${this.backend}`);
    return parts.length ? `#${parts.join('&')}` : '';
  }

  /** Writes the hash without adding a history entry. */
  writeHash() {
    const hash = this.toHash();
    if (hash === location.hash || (hash === '' && location.hash === '')) return;
    history.replaceState(null, '', hash || location.pathname + location.search);
  }

  /**
   * Settings for a hash the user typed or pasted: its mode's defaults with its overrides.
   * With a shared model (`link`), its own settings count, not these.
   * @param {string} hash @returns {{ mode: Mode, settings: Record<string, any>, link: string | null }}
   */
  fromHash(hash) {
    const { overrides, backend, mode, link } = parseHash(hash);
    this.backend = backend;
    const settings = merge(this.defaultsOf[mode] ?? {}, overrides);
    if (link === null) {
      this.pending = settings;
      this.pendingMode = mode;
    }
    return { mode, settings, link };
  }
}

/**
 * @param {string} hash
 * @returns {{ overrides: Record<string, any>, backend: BackendChoice, mode: Mode, link: string | null }}
 */
export function parseHash(hash) {
  /** @type {Record<string, any>} */
  const overrides = {};
  /** @type {BackendChoice} */
  let backend = 'auto';
  /** @type {Mode} */
  let mode = 'points';
  /** @type {string | null} */
  let link = null;
  for (const [path, raw] of new URLSearchParams(hash.replace(/^#/, ''))) {
    if (path === 'model') {
      link = raw;
    } else if (path === 'backend') {
      if (BACKENDS.includes(raw)) backend = /** @type {BackendChoice} */ (raw);
    } else if (path === 'mode') {
      if (MODES.includes(raw)) mode = /** @type {Mode} */ (raw);
    } else if (/^[a-zA-Z]+(\.[a-zA-Z]+)*$/.test(path)) {
      setPath(overrides, path, decodeValue(path, raw));
    }
  }
  return { overrides, backend, mode, link };
}

/** Hidden layers as `units:activation:dropout` joined by commas; scalars as text. */
function encodeValue(/** @type {string} */ path, /** @type {any} */ value) {
  if (path === 'model.hidden') {
    return value.map((/** @type {any} */ l) => `${l.units}:${l.activation}:${l.dropout}`).join(',');
  }
  return String(value);
}

function decodeValue(/** @type {string} */ path, /** @type {string} */ raw) {
  if (path === 'model.hidden') {
    return raw === '' ? [] : raw.split(',').map((layer) => {
      const [units, activation, dropout] = layer.split(':');
      return { units: Number(units), activation, dropout: Number(dropout ?? 0) };
    });
  }
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  return raw;
}
