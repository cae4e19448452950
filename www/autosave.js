// @ts-check
//! The model in force, kept in the browser (IndexedDB) so that a reload, a closed tab or a crash
//! reopens it where it was: its .safetensors bytes (settings, weights, step, the fingerprint of
//! the user's file), its evaluations and when it was saved. One record, written every EVERY_MS
//! while training, on pause and whenever a new model comes in force. Storage that is full or
//! refused (a private window) is said once; training goes on. A page opened with
//! `?autosave=off` neither saves nor reopens.

const DB_NAME = 'kindling';
const STORE = 'autosave';
const KEY = 'model';
/** Often enough that a crash loses seconds, rarely enough that saving never shows in steps/s. */
export const EVERY_MS = 5000;

/**
 * @typedef {{ version: 1, mode: import('./protocol.js').Mode, settings: Record<string, any>,
 *             step: number, history: number[][], bytes: Uint8Array, savedAt: number }} SavedModel
 * @typedef {import('./protocol.js').Post} Post
 */

/** @returns {Promise<IDBDatabase>} */
function openDatabase() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
  });
}

/**
 * One request on the store, as a promise.
 * @param {IDBDatabase} db @param {IDBTransactionMode} mode
 * @param {(store: IDBObjectStore) => IDBRequest} act @returns {Promise<any>}
 */
function request(db, mode, act) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = act(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error ?? req.error ?? new Error('IndexedDB refused the request'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB aborted the request'));
  });
}

/** @param {Post} post */
export function autosaver(post) {
  /** @type {Promise<IDBDatabase> | null} */
  let db = null;
  let refusalSaid = false;
  let lastSave = 0;
  /** Off for a page opened with `?autosave=off`: nothing is saved or reopened. */
  let enabled = true;

  const database = () => (db ??= openDatabase());

  return {
    /** Whether a save is due while training. */
    due: () => enabled && performance.now() - lastSave >= EVERY_MS,

    get enabled() { return enabled; },

    /** @param {boolean} on */
    enable(on) {
      enabled = on;
    },

    /** @param {SavedModel} record */
    async save(record) {
      if (!enabled) return;
      lastSave = performance.now();
      const t0 = performance.now();
      try {
        await request(await database(), 'readwrite', (store) => store.put(record, KEY));
      } catch (err) {
        if (!refusalSaid) {
          refusalSaid = true;
          const reason = err instanceof Error ? err.message : String(err);
          post({
            type: 'autosaved', step: record.step, ok: false, bytes: 0, ms: 0, reason,
            message: `This browser does not keep your model (${reason}): a reload starts afresh. Training goes on.`,
          });
        }
        return;
      }
      post({ type: 'autosaved', step: record.step, ok: true, bytes: record.bytes.byteLength, ms: performance.now() - t0, message: null });
    },

    /** The model saved last, or null (none, or storage refused). @returns {Promise<SavedModel | null>} */
    async load() {
      if (!enabled) return null;
      try {
        const record = await request(await database(), 'readonly', (store) => store.get(KEY));
        return record?.version === 1 && record.bytes instanceof Uint8Array ? record : null;
      } catch {
        return null;
      }
    },
  };
}
