// @ts-check
//! The static site's service worker: `cargo xtask dist` writes it as sw.js, with the build's
//! version and files in BUILD. After one visit the page opens and trains with the network off.
//! - install: fetches every file of the build past the HTTP cache into `kindling-VERSION`, then
//!   waits: a page already open is not switched under its feet; it offers the new version
//!   (offline.js) and sends 'activate' when the user agrees.
//! - activate: deletes the other builds' caches and takes the open pages.
//! - fetch: the build's files from its cache (the page's address, whatever its query, is
//!   index.html); anything else from the network.
//! `cargo xtask serve` registers none: there a rebuild must show on reload.

const BUILD = { version: 'dev', files: [] };
const CACHE = `kindling-${BUILD.version}`;
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
/** The folder sw.js is in: the site's root, wherever it is hosted. */
const root = new URL('./', sw.location.href);
const files = new Set(/** @type {string[]} */ (BUILD.files));

sw.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll([...files].map((file) => new Request(new URL(file, root), { cache: 'reload' })));
  })());
});

sw.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('kindling-') && name !== CACHE) await caches.delete(name);
    }
    await sw.clients.claim();
  })());
});

sw.addEventListener('message', (event) => {
  if (event.data === 'activate') sw.skipWaiting();
});

sw.addEventListener('fetch', (event) => {
  const file = buildFile(event.request);
  if (file === null) return;
  event.respondWith((async () => {
    const cached = await caches.match(new URL(file, root).href, { cacheName: CACHE });
    return cached ?? fetch(event.request);
  })());
});

/**
 * The build's file a request asks for, or null for anything else.
 * @param {Request} request @returns {string | null}
 */
function buildFile(request) {
  if (request.method !== 'GET') return null;
  const url = new URL(request.url);
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return null;
  const path = url.pathname.slice(root.pathname.length) || 'index.html';
  return files.has(path) ? path : null;
}
