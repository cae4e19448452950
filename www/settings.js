// @ts-check
//! Pure helpers on Settings objects (docs/wasm-api.md): merge a partial over the defaults, and
//! the flat list of what differs from them. Used by the worker (init) and state.js (the URL).

/** @param {unknown} v @returns {v is Record<string, any>} */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A deep copy (settings are plain JSON). @template T @param {T} value @returns {T} */
export function clone(value) {
  return structuredClone(value);
}

/**
 * `overrides` laid over `base`, recursively for objects; arrays and scalars replace whole.
 * Keys unknown to `base` are kept, so the wasm side can reject them with its own message.
 * @param {Record<string, any>} base
 * @param {Record<string, any>} overrides
 * @returns {Record<string, any>}
 */
export function merge(base, overrides) {
  const out = clone(base);
  for (const [key, value] of Object.entries(overrides ?? {})) {
    out[key] = isObject(value) && isObject(out[key]) ? merge(out[key], value) : clone(value);
  }
  return out;
}

/**
 * The leaves of `settings` that differ from `defaults`, as [dotted path, value] pairs.
 * Arrays (the hidden layers) are compared and reported whole.
 * @param {Record<string, any>} settings
 * @param {Record<string, any>} defaults
 * @param {string} [prefix]
 * @returns {[string, any][]}
 */
export function differences(settings, defaults, prefix = '') {
  /** @type {[string, any][]} */
  const out = [];
  for (const [key, value] of Object.entries(settings)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const base = defaults?.[key];
    if (isObject(value)) out.push(...differences(value, isObject(base) ? base : {}, path));
    else if (JSON.stringify(value) !== JSON.stringify(base)) out.push([path, value]);
  }
  return out;
}

/**
 * Sets `value` at a dotted `path`, creating objects on the way.
 * @param {Record<string, any>} target
 * @param {string} path
 * @param {any} value
 */
export function setPath(target, path, value) {
  const keys = path.split('.');
  const last = /** @type {string} */ (keys.pop());
  let node = target;
  for (const key of keys) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key];
  }
  node[last] = value;
}
