// A real HTTP server on 127.0.0.1 for the remote-input tests (node:http, no mocked fetch): files by URL path
// with byte ranges (one or several: multipart/byteranges), a strong ETag and If-Range, the Hugging Face Hub's
// layout (the tree API and resolve URLs, large files redirected to a second server as the Hub sends them to
// its content servers, a gated repository), and misbehaviours a test switches on: Range ignored, a stall, a
// reset mid-body, 429 with Retry-After, a file that changes between requests. Every request is recorded.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  status: number;
  bytes: number;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/** A file served: bytes in memory or a path on disk (read by ranges, so a multi-GB file is never loaded). */
export type Served = Uint8Array | { path: string };

export interface Behaviour {
  /** Answer range requests with the whole file (200). */
  ignoreRange?: boolean;
  /** Answer multi-range requests with the first range only (as some CDNs do). */
  singleRangeOnly?: boolean;
  /** Paths never answered at all (not even headers). */
  hang?: Set<string>;
  /** Paths whose answer trickles: one byte every 500 ms, never stalling long enough for a stall timeout. */
  drip?: Set<string>;
  /** Paths whose answer stalls after the headers (never sends the body). */
  stall?: Set<string>;
  /** Paths whose answer is cut (connection destroyed) after this many body bytes, the first `resetTimes` times. */
  reset?: Map<string, number>;
  resetTimes?: number;
  /** Answer the first N requests with 429 and this Retry-After. */
  tooMany?: { count: number; retryAfter: string };
  /** Change a file's ETag (and content) after N more requests to it (until the entry is removed). */
  changeAfter?: Map<string, number>;
}

export interface TestServer {
  url: string;
  port: number;
  requests: Recorded[];
  files: Map<string, Served>;
  behaviour: Behaviour;
  close(): Promise<void>;
}

const size = (f: Served) => (f instanceof Uint8Array ? f.length : fs.statSync(f.path).size);

function slice(f: Served, start: number, end: number): Buffer {
  if (f instanceof Uint8Array) return Buffer.from(f.buffer, f.byteOffset + start, end - start);
  const fd = fs.openSync(f.path, 'r');
  try {
    const b = Buffer.alloc(end - start);
    fs.readSync(fd, b, 0, end - start, start);
    return b;
  } finally {
    fs.closeSync(fd);
  }
}

/** Ranges of a `Range: bytes=…` header, [start, end) within `total`; null when absent or unsatisfiable. */
function ranges(header: string | undefined, total: number): [number, number][] | null {
  const m = /^bytes=(.+)$/.exec(header ?? '');
  if (!m) return null;
  const out: [number, number][] = [];
  for (const part of m[1]!.split(',')) {
    const r = /^\s*(\d*)-(\d*)\s*$/.exec(part);
    if (!r) return null;
    if (r[1] === '') out.push([Math.max(0, total - Number(r[2])), total]);
    else out.push([Number(r[1]), Math.min(total, r[2] === '' ? total : Number(r[2]) + 1)]);
  }
  return out.filter(([s, e]) => s < e);
}

/** Serves `files` by URL path; `handler` may answer a request first (the Hub's routes). */
export async function startServer(
  files: Map<string, Served> = new Map(),
  handler?: (req: http.IncomingMessage, res: http.ServerResponse, record: (status: number, bytes: number) => void) => boolean,
  /** Extra headers of a file's answers, by URL path. */
  headersFor: (p: string) => Record<string, string> = () => ({}),
): Promise<TestServer> {
  const requests: Recorded[] = [];
  const behaviour: Behaviour = {};
  const changedPaths = new Set<string>();
  const server = http.createServer((req, res) => {
    const entry: Recorded = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, status: 0, bytes: 0, at: Date.now() };
    requests.push(entry);
    const record = (status: number, bytes: number) => {
      entry.status = status;
      entry.bytes = bytes;
    };
    if (behaviour.tooMany && behaviour.tooMany.count-- > 0) {
      record(429, 0);
      res.writeHead(429, { 'retry-after': behaviour.tooMany.retryAfter, 'content-length': '0' });
      res.end();
      return;
    }
    if (handler?.(req, res, record)) return;
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const f = files.get(p);
    if (!f) {
      record(404, 0);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    serveFile(req, res, p, f, record);
  });
  const serveFile = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    p: string,
    f0: Served,
    record: (status: number, bytes: number) => void,
  ) => {
    if (behaviour.hang?.has(p)) return;
    const left = behaviour.changeAfter?.get(p);
    if (left !== undefined) {
      if (left <= 0) changedPaths.add(p);
      else behaviour.changeAfter!.set(p, left - 1);
    } else changedPaths.delete(p);
    const changed = changedPaths.has(p);
    let f = f0;
    if (changed) {
      const b = Buffer.from(slice(f0, 0, size(f0)));
      b[b.length - 1] = (b[b.length - 1]! + 1) & 0xff;
      f = b;
    }
    const total = size(f);
    const etag = `"${changed ? 'v2' : 'v1'}-${total}"`;
    const asked = ranges(req.headers.range, total);
    const ifRange = req.headers['if-range'];
    const honour = asked && !behaviour.ignoreRange && (ifRange === undefined || ifRange === etag);
    const headers: http.OutgoingHttpHeaders = { etag, 'accept-ranges': 'bytes', ...headersFor(p) };
    let status = 200;
    let body: Buffer;
    if (req.headers.range && !behaviour.ignoreRange && asked && asked.length === 0) {
      record(416, 0);
      res.writeHead(416, { 'content-range': `bytes */${total}` });
      res.end();
      return;
    }
    if (honour && asked.length === 1) {
      status = 206;
      const [s, e] = asked[0]!;
      headers['content-range'] = `bytes ${s}-${e - 1}/${total}`;
      body = slice(f, s, e);
    } else if (honour && behaviour.singleRangeOnly) {
      status = 206;
      const [s, e] = asked[0]!;
      headers['content-range'] = `bytes ${s}-${e - 1}/${total}`;
      body = slice(f, s, e);
    } else if (honour) {
      status = 206;
      const boundary = 'kerascope-test-boundary';
      headers['content-type'] = `multipart/byteranges; boundary=${boundary}`;
      const parts: Buffer[] = [];
      for (const [s, e] of asked) {
        parts.push(
          Buffer.from(`\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes ${s}-${e - 1}/${total}\r\n\r\n`),
        );
        parts.push(slice(f, s, e));
      }
      parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
      body = Buffer.concat(parts);
    } else body = total > 64 * 1024 * 1024 ? Buffer.alloc(0) : slice(f, 0, total);
    headers['content-length'] = String(status === 200 ? total : body.length);
    record(status, 0);
    res.writeHead(status, headers);
    if (behaviour.stall?.has(p)) return void res.flushHeaders(); // headers, then nothing
    if (behaviour.drip?.has(p)) {
      let at = 0;
      const timer = setInterval(() => {
        if (at >= body.length) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(body.subarray(at, ++at));
      }, 500);
      res.on('close', () => clearInterval(timer));
      return;
    }
    const cut = behaviour.reset?.get(p);
    if (cut !== undefined && (behaviour.resetTimes ?? Infinity) > 0) {
      behaviour.resetTimes = (behaviour.resetTimes ?? Infinity) - 1;
      res.write(body.subarray(0, cut), () => res.destroy());
      record(status, Math.min(cut, body.length));
      return;
    }
    if (status === 200 && total > 64 * 1024 * 1024) {
      // A whole large file, streamed until the client goes away.
      let at = 0;
      const pump = () => {
        while (at < total) {
          const chunk = slice(f, at, Math.min(total, at + 1024 * 1024));
          at += chunk.length;
          entry().bytes = at;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => {});
      pump();
      return;
    }
    record(status, body.length);
    res.end(body);
  };
  const entry = () => requests[requests.length - 1]!;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    files,
    behaviour,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The commit every revision of the fake Hub is at (its X-Repo-Commit). */
export const COMMIT = '0123456789abcdef0123456789abcdef01234567';

export interface HubRepo {
  /** Files by path in the repository. */
  files: Map<string, Served>;
  /** A token every request for this repository must carry (a gated repository). */
  token?: string;
  /** Revisions besides main (all with the same files). */
  revisions?: string[];
}

/**
 * A fake Hub: `/api/models/{repo}/tree/{rev}?recursive=true` and `/{repo}/resolve/{rev}/{path}`; files larger
 * than `lfsOver` bytes are redirected (302) to `content` (another server, another port) as the Hub does.
 */
export async function startHub(repos: Map<string, HubRepo>, content: TestServer, lfsOver = 4096): Promise<TestServer> {
  let n = 0;
  const server = await startServer(
    new Map(),
    (req, res, record) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const tree = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/([^/]+)$/.exec(u.pathname);
      const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(u.pathname);
      const m = tree ?? resolve;
      if (!m) return false;
      const repo = repos.get(m[1]!);
      const rev = decodeURIComponent(m[2]!);
      const deny = (status: number, code: string) => {
        record(status, 0);
        res.writeHead(status, { 'x-error-code': code, 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: code }));
        return true;
      };
      if (!repo) return deny(401, 'RepoNotFound');
      if (repo.token && req.headers.authorization !== `Bearer ${repo.token}`) return deny(401, 'GatedRepo');
      if (rev !== 'main' && rev !== COMMIT && !(repo.revisions ?? []).includes(rev)) return deny(404, 'RevisionNotFound');
      if (tree) {
        const list = [...repo.files].map(([path, f]) => ({
          type: 'file',
          path,
          size: size(f) > lfsOver ? 134 : size(f),
          ...(size(f) > lfsOver ? { lfs: { oid: 'x', size: size(f), pointerSize: 134 } } : {}),
        }));
        const dirs = new Set(
          [...repo.files.keys()].flatMap((p) =>
            p
              .split('/')
              .slice(0, -1)
              .map((_, i, a) => a.slice(0, i + 1).join('/')),
          ),
        );
        const body = Buffer.from(JSON.stringify([...[...dirs].map((path) => ({ type: 'directory', path, oid: 'd', size: 0 })), ...list]));
        record(200, body.length);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
        res.end(body);
        return true;
      }
      const path = decodeURIComponent(m[3]!);
      const f = repo.files.get(path);
      if (!f) return deny(404, 'EntryNotFound');
      if (size(f) > lfsOver) {
        // The content server's path is opaque: it carries no token and needs none.
        const key = `/lfs/${++n}-${path.replace(/[^a-z0-9.]/gi, '_')}`;
        content.files.set(key, f);
        record(302, 0);
        res.writeHead(302, { location: `${content.url}${key}`, 'x-repo-commit': COMMIT, 'x-linked-size': String(size(f)) });
        res.end();
        return true;
      }
      return false;
    },
    (p): Record<string, string> => (/\/resolve\//.test(p) ? { 'x-repo-commit': COMMIT } : {}),
  );
  // Small files are served by the Hub itself under their resolve paths.
  for (const [name, repo] of repos)
    for (const rev of ['main', COMMIT, ...(repo.revisions ?? [])])
      for (const [p, f] of repo.files) if (size(f) <= lfsOver) server.files.set(`/${name}/resolve/${rev}/${p}`, f);
  return server;
}
