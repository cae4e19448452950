// @ts-check
//! A plain static server for the dist tests: not xtask's, to show that the site needs nothing of
//! it. Serves one folder as GitHub Pages does (files as they are, `max-age=600`, a folder's
//! index.html, 404 otherwise) and can stop and start again on the same port (the same origin,
//! so the same service worker), as a host that goes away and comes back with a new build.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * @param {string} folder the folder to serve as the site's root
 * @returns {Promise<{ port: number, url: (p?: string) => string, requests: string[],
 *                     stop: () => Promise<void>, start: () => Promise<void> }>}
 *   requests: every path asked for, in order (what the browser fetched from the network).
 */
export async function serveFolder(folder) {
  const root = path.resolve(folder);
  /** @type {string[]} */
  const requests = [];
  const server = createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(pathname);
    let file = path.join(root, pathname);
    if (!file.startsWith(root)) return end(res, 404);
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      const type = /** @type {Record<string, string>} */ (TYPES)[path.extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'max-age=600' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      end(res, 404);
    }
  });
  /** @param {number} port */
  const listen = (port) => new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(undefined)));
  await listen(0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: (p = '') => `http://127.0.0.1:${port}/${p}`,
    requests,
    stop: () => new Promise((resolve) => {
      server.close(() => resolve(undefined));
      server.closeAllConnections();
    }),
    start: () => listen(port),
  };
}

/** @param {import('node:http').ServerResponse} res @param {number} status */
function end(res, status) {
  res.writeHead(status, { 'Content-Type': 'text/plain' });
  res.end('not found\n');
}
