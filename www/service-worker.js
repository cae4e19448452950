// @ts-check
//! The static site's service worker: `cargo xtask dist` writes it as sw.js, with the build's
//! version and files in BUILD. After one visit the page opens and trains with the network off.
//! - install: fetches every file of the build past the HTTP cache into `kindling-VERSION`, then
//!   waits: a page already open is not switched under its feet; it offers the new version
//!   (offline.js) and sends 'activate' when the user agrees.
//! - activate: deletes the other builds' caches and takes the open pages.
//! - fetch: the build's files from its cache (the page's address, whatever its query, is
//!   index.html), with COOP and COEP added: a static host cannot send them, and with them the
//!   page is cross-origin isolated from its second visit on, so the threaded build can train on
//!   every core (cpu-threads.js); anything else from the network, as it is.
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
    return isolated(cached ?? await fetch(event.request));
  })());
});

/**
 * `response` with the headers of cross-origin isolation. Every file of the build is the site's
 * own, so requiring that of what the page embeds blocks nothing.
 * @param {Response} response
 */
function isolated(response) {
  if (response.type === 'opaque' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

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
