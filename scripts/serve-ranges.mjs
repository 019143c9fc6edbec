// A static file server with HTTP range requests (single and multi-range), a strong ETag and If-Range, for
// the benchmark's remote row (and for trying `kerascope inspect http://…` by hand): serves one folder on
// 127.0.0.1, prints `PORT` on its first line, counts requests and body bytes, and answers `GET /__stats` with
// them as JSON (not counted). Usage: node scripts/serve-ranges.mjs FOLDER [PORT]
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? '.');
const stats = { requests: 0, bytes: 0 };

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {http.OutgoingHttpHeaders} headers
 * @param {Buffer[]} chunks
 */
function send(res, status, headers, chunks) {
  res.writeHead(status, headers);
  for (const c of chunks) {
    stats.bytes += c.length;
    res.write(c);
  }
  res.end();
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(stats));
    return;
  }
  stats.requests++;
  const file = path.join(root, decodeURIComponent(url.pathname));
  let st;
  try {
    st = fs.statSync(file);
  } catch {
    st = null;
  }
  if (!file.startsWith(root + path.sep) || !st?.isFile())
    return send(res, 404, { 'content-type': 'text/plain' }, [Buffer.from('not found')]);
  const total = st.size;
  const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
  const read = (/** @type {number} */ s, /** @type {number} */ e) => {
    const b = Buffer.alloc(e - s);
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, b, 0, e - s, s);
    } finally {
      fs.closeSync(fd);
    }
    return b;
  };
  const m = /^bytes=(.+)$/.exec(req.headers.range ?? '');
  const ifRange = req.headers['if-range'];
  /** @type {([number, number] | null)[] | null} */
  const ranges =
    m && (ifRange === undefined || ifRange === etag)
      ? (m[1] ?? '').split(',').map((p) => {
          const r = /^\s*(\d*)-(\d*)\s*$/.exec(p);
          if (!r) return null;
          if (r[1] === '') return /** @type {[number, number]} */ ([Math.max(0, total - Number(r[2])), total]);
          return /** @type {[number, number]} */ ([Number(r[1]), Math.min(total, r[2] === '' ? total : Number(r[2]) + 1)]);
        })
      : null;
  const base = { etag, 'accept-ranges': 'bytes' };
  if (!ranges || ranges.some((r) => r === null)) {
    // The whole file, streamed.
    res.writeHead(200, { ...base, 'content-length': String(total) });
    const s = fs.createReadStream(file);
    s.on('data', (c) => (stats.bytes += c.length));
    s.pipe(res);
    res.on('close', () => s.destroy());
    return;
  }
  const ok = /** @type {[number, number][]} */ (ranges).filter(([s, e]) => s < e);
  if (!ok.length) return send(res, 416, { 'content-range': `bytes */${total}` }, []);
  if (ok.length === 1) {
    const [s, e] = /** @type {[number, number]} */ (ok[0]);
    return send(res, 206, { ...base, 'content-range': `bytes ${s}-${e - 1}/${total}`, 'content-length': String(e - s) }, [read(s, e)]);
  }
  const boundary = 'serve-ranges-boundary';
  const chunks = [];
  for (const [s, e] of ok) {
    chunks.push(Buffer.from(`\r\n--${boundary}\r\nContent-Range: bytes ${s}-${e - 1}/${total}\r\n\r\n`), read(s, e));
  }
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  const length = chunks.reduce((n, c) => n + c.length, 0);
  send(res, 206, { ...base, 'content-type': `multipart/byteranges; boundary=${boundary}`, 'content-length': String(length) }, chunks);
});

server.listen(Number(process.argv[3] ?? 0), '127.0.0.1', () => {
  console.log(/** @type {import('node:net').AddressInfo} */ (server.address()).port);
});
