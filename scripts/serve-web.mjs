// `npm run web:serve`: serves dist/web/ on http://127.0.0.1:PORT (default 8080) with the page's
// Content-Security-Policy also as a header (the Worker gets its policy from its own response). Node's http
// module, no dependency; the tests and the browser benchmark use `serveStatic` too.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP } from './build-web.mjs';

/** @type {Record<string, string>} */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * Serves the files of `dir` (GET and HEAD only, nothing outside it).
 * @param {string} dir
 * @param {number} [port] 0 picks a free port
 * @returns {Promise<{ server: import('node:http').Server, url: string }>}
 */
export function serveStatic(dir, port = 0) {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(root, rel);
    if (
      (req.method !== 'GET' && req.method !== 'HEAD') ||
      !file.startsWith(root + path.sep) ||
      !fs.existsSync(file) ||
      !fs.statSync(file).isFile()
    ) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : port}/` });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web');
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    console.error('dist/web/ is not built: run `npm run web` first');
    process.exit(2);
  }
  const { url } = await serveStatic(dir, Number(process.env.PORT ?? 8080));
  console.log(`kerascope page: ${url} (Ctrl-C to stop)`);
}
