// @ts-check
//! The page's settings and the URL hash that keeps them across a reload. The hash holds only
//! what differs from the defaults (which come from the worker's `ready` event), e.g.
//! `#data.kind=circles&train.learningRate=0.03&model.hidden=8:tanh:0,8:tanh:0&backend=cpu`.

import { clone, differences, merge, setPath } from './settings.js';

/** @typedef {import('./protocol.js').BackendChoice} BackendChoice */

const BACKENDS = ['auto', 'webgpu', 'cpu'];

export class SettingsState {
  /** @param {string} hash location.hash */
  constructor(hash) {
    const { overrides, backend } = parseHash(hash);
    /** What the URL asked for, before the defaults are known. */
    this.overrides = overrides;
    /** @type {BackendChoice} */
    this.backend = backend;
    /** @type {Record<string, any> | null} */
    this.defaults = null;
    /** The settings the worker accepted last (`configured`). @type {Record<string, any> | null} */
    this.settings = null;
    /** Sent but not yet accepted; the next edit builds on these. @type {Record<string, any> | null} */
    this.pending = null;
  }

  /** @param {Record<string, any>} defaults */
  setDefaults(defaults) {
    this.defaults = defaults;
  }

  /** The worker runs with these now. @param {Record<string, any>} settings */
  accept(settings) {
    this.settings = settings;
    if (this.pending && differences(this.pending, settings).length === 0) this.pending = null;
  }

  /** The worker refused the last settings sent: it keeps the accepted ones. */
  reject() {
    this.pending = null;
  }

  /**
   * The latest settings with one more edit applied, remembered as pending until accepted.
   * @param {(s: Record<string, any>) => void} edit mutates a copy
   */
  edited(edit) {
    const next = clone(this.pending ?? this.settings ?? {});
    edit(next);
    this.pending = next;
    return next;
  }

  /** The hash for `settings` (default: the accepted ones) and the backend choice. */
  toHash(settings = this.settings) {
    if (!settings || !this.defaults) return '';
    const parts = differences(settings, this.defaults).map(([path, value]) =>
      `${path}=${encodeURIComponent(encodeValue(path, value))}`);
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
   * Settings for a hash the user typed or pasted: the defaults with its overrides.
   * @param {string} hash
   */
  fromHash(hash) {
    const { overrides, backend } = parseHash(hash);
    this.backend = backend;
    return merge(this.defaults ?? {}, overrides);
  }
}

/**
 * @param {string} hash
 * @returns {{ overrides: Record<string, any>, backend: BackendChoice }}
 */
export function parseHash(hash) {
  /** @type {Record<string, any>} */
  const overrides = {};
  /** @type {BackendChoice} */
  let backend = 'auto';
  for (const [path, raw] of new URLSearchParams(hash.replace(/^#/, ''))) {
    if (path === 'backend') {
      if (BACKENDS.includes(raw)) backend = /** @type {BackendChoice} */ (raw);
    } else if (/^[a-zA-Z]+(\.[a-zA-Z]+)*$/.test(path)) {
      setPath(overrides, path, decodeValue(path, raw));
    }
  }
  return { overrides, backend };
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
