// Remote files as byte sources: reads become HTTP range requests so that what travels follows what the
// readers look at (metadata), not the file's size. Reads are synchronous (see byte-source.ts): the host lends
// a synchronous transport (the Node adapter waits for a helper thread; a browser worker could use sync XHR).
// Fetched 8 KiB blocks are kept; a run of reads that follows on from the last one fetches more ahead each
// time; `prefetch` hints (an HDF5 group's members) ride along with the next miss in one multi-range request.
// The first answer's ETag is the validator of every later one (If-Range): a file that changes while it is
// read is an error, never a mix. A server that answers a range request with the whole file is abandoned
// after a few MiB unless the whole file fits in that.
import { InputError } from '../model/errors.js';
import type { ByteSource } from './byte-source.js';
import { type HttpRequest, type HttpResponse, RemoteError } from './http.js';
import { baseName, joinPath } from './paths.js';

/** Performs one GET and waits for it; throws RemoteError. */
export type SyncTransport = (req: HttpRequest) => HttpResponse;

export const BLOCK = 8 * 1024;
/** What the first request of a file asks for: an HDF5 superblock and root group, a small JSON whole. */
export const FIRST_READ = 64 * 1024;
/** A server ignoring Range: a file up to this size is taken whole, a larger one abandoned here. */
export const WHOLE_FILE_LIMIT = 4 * 1024 * 1024;
const MAX_READ_AHEAD = 1024 * 1024;
/** Files up to this size are fetched whole at their first miss after the first request. */
export const SMALL_FILE = 512 * 1024;
/** Reads larger than this are fetched as they are, not kept. */
const UNCACHED_READ = 256 * 1024;
const CACHE_BLOCKS = 4096;
const MAX_PENDING = 128;
const MAX_RANGES = 64;

/** Counters of one inspection's network use. */
export interface RemoteStats {
  requests: number;
  bytes: number;
}

/** Where a remote file's relatives are: the Hub's listing (sizes known), or plain URLs (probed). */
export interface RemoteTree {
  /** Size of each file by its path in the tree (`/` separators, no leading slash). */
  files: ReadonlyMap<string, number>;
  /** The URL to read a file of the tree. */
  urlFor(path: string): string;
  /** How a file of the tree is named in messages. */
  nameFor(path: string): string;
  /**
   * The commit the first file was answered from (the Hub's X-Repo-Commit): the other files are then read at
   * that commit, so that a branch that moves meanwhile cannot mix two versions of the model.
   */
  pin?(commit: string): void;
}

/** What one inspection's remote sources share: the transport, the counters, and the first failure. */
export class RemoteSession {
  readonly stats: RemoteStats = { requests: 0, bytes: 0 };
  /** The first failure: a reader that swallows an error (into a finding) still fails the inspection. */
  failure: InputError | null = null;

  constructor(
    private readonly transport: SyncTransport,
    /** What to say after 401/403 (e.g. naming HF_TOKEN). */
    readonly authHint: (status: number) => string = (s) => (s === 401 ? 'authentication required' : 'access denied'),
  ) {}

  get(name: string, req: HttpRequest): HttpResponse {
    if (this.failure) throw this.failure;
    let r: HttpResponse;
    try {
      r = this.transport(req);
    } catch (e) {
      throw this.fail(name, e instanceof RemoteError ? e.message : `cannot fetch (${(e as Error)?.message ?? String(e)})`);
    }
    this.stats.requests += r.requests;
    this.stats.bytes += r.received;
    return r;
  }

  fail(name: string, message: string): InputError {
    this.failure ??= new InputError(name, message);
    return this.failure.file === name && this.failure.message === message ? this.failure : new InputError(name, message);
  }

  /** The one line for an answer that is not the file. */
  statusError(name: string, r: HttpResponse): InputError {
    const s = r.status;
    if (s === 404 || s === 410) return this.fail(name, `not found (HTTP ${s})`);
    if (s === 401 || s === 403) return this.fail(name, `${this.authHint(s)} (HTTP ${s})`);
    return this.fail(name, `the server answered HTTP ${s}`);
  }
}

/** A Content-Range value: `bytes a-b/total`, or an unsatisfied range with the total only. */
export function parseContentRange(v: string | undefined): { start: number; end: number; total: number | null } | null {
  const m = /^\s*bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)\s*$/i.exec(v ?? '');
  if (!m) return null;
  const total = m[3] === '*' ? null : Number(m[3]);
  if (m[1] === undefined) return { start: 0, end: -1, total };
  return { start: Number(m[1]), end: Number(m[2]), total };
}

/** The parts of a multipart/byteranges body. */
export function parseMultipart(body: Uint8Array, contentType: string): { start: number; bytes: Uint8Array }[] | null {
  const b = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!b) return null;
  const text = new TextDecoder('latin1');
  const marker = new TextEncoder().encode(`--${b}`);
  const parts: { start: number; bytes: Uint8Array }[] = [];
  let at = indexOf(body, marker, 0);
  while (at >= 0) {
    at += marker.length;
    if (body[at] === 0x2d && body[at + 1] === 0x2d) break; // the closing --boundary--
    const headEnd = indexOf(body, new Uint8Array([13, 10, 13, 10]), at);
    if (headEnd < 0) return null;
    const head = text.decode(body.subarray(at, headEnd));
    const cr = parseContentRange(/content-range:\s*([^\r\n]+)/i.exec(head)?.[1]);
    if (!cr || cr.end < cr.start) return null;
    const from = headEnd + 4;
    const len = cr.end - cr.start + 1;
    if (from + len > body.length) return null;
    parts.push({ start: cr.start, bytes: body.subarray(from, from + len) });
    at = indexOf(body, marker, from + len);
  }
  return parts;
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** A file behind a URL, read by ranges. */
export class RemoteFile implements ByteSource {
  private knownSize: number | null;
  private url: string;
  /** If-Range's value: the first answer's strong ETag, else its Last-Modified ('' when it had neither). */
  private validator: string | null = null;
  private etag: string | null = null;
  /** Whole blocks by index (the last block of the file may be short). */
  private readonly blocks = new Map<number, Uint8Array>();
  private readonly pending = new Set<number>();
  private whole: Uint8Array | null = null;
  private multiRange = true;
  private lastEnd = -1;
  private ahead = BLOCK;
  private closed = false;

  constructor(
    private readonly session: RemoteSession,
    readonly name: string,
    url: string,
    opts: { size?: number; tree?: RemoteTree; path?: string; root?: string; firstRead?: number } = {},
  ) {
    this.url = url;
    this.knownSize = opts.size ?? null;
    this.tree = opts.tree ?? null;
    this.path = opts.path ?? '';
    this.root = opts.root ?? dirOf(opts.tree ? this.path : url);
    this.firstRead = opts.firstRead ?? BLOCK;
  }

  private readonly tree: RemoteTree | null;
  /** The path in the tree (Hub), or ''. */
  private readonly path: string;
  /** The folder siblings must stay in: a tree path prefix, or a URL prefix. */
  private readonly root: string;
  private readonly firstRead: number;

  get size(): number {
    if (this.knownSize === null) this.open();
    return this.knownSize!;
  }

  /** The first request: the file's size, its validator, and its first bytes. */
  open(): this {
    if (this.knownSize !== null && this.validator !== null) return this;
    const n =
      this.knownSize === null ? this.firstRead : this.knownSize <= SMALL_FILE ? this.knownSize : Math.min(this.firstRead, this.knownSize);
    if (this.knownSize === 0) return this;
    const r = this.session.get(this.name, { url: this.url, ranges: [[0, n]], maxBytes: WHOLE_FILE_LIMIT });
    if (r.status === 416) {
      const cr = parseContentRange(r.headers['content-range']);
      if (cr?.total === 0 || this.knownSize === 0) {
        this.knownSize = 0;
        this.whole = new Uint8Array(0);
        return this;
      }
    }
    if (r.status === 200) {
      if (!r.complete)
        throw this.session.fail(
          this.name,
          `the server ignores Range requests (it sent the whole file from the start; gave up after ${mib(r.body.length)}): kerascope reads only parts of remote files`,
        );
      this.whole = r.body;
      this.knownSize = r.body.length;
      this.adopt(r);
      return this;
    }
    if (r.status !== 206) throw this.session.statusError(this.name, r);
    const cr = parseContentRange(r.headers['content-range']);
    if (!cr || cr.total === null)
      throw this.session.fail(this.name, 'the server answered a range request without the file size (Content-Range)');
    if (this.knownSize !== null && cr.total !== this.knownSize)
      throw this.session.fail(this.name, `the server's file is ${cr.total} bytes, the listing said ${this.knownSize}`);
    this.knownSize = cr.total;
    this.adopt(r);
    this.store(cr.start, r.body);
    return this;
  }

  /** Later requests go to where the first was answered, with its validator. */
  private adopt(r: HttpResponse): void {
    this.url = r.url;
    const commit = r.headers['x-repo-commit'];
    if (commit) this.tree?.pin?.(commit);
    const etag = r.headers.etag;
    this.etag = etag ?? null;
    this.validator = etag && !etag.startsWith('W/') ? etag : (r.headers['last-modified'] ?? '');
  }

  private store(start: number, bytes: Uint8Array): void {
    const size = this.knownSize!;
    for (let b = Math.ceil(start / BLOCK); b * BLOCK < start + bytes.length; b++) {
      const from = b * BLOCK - start;
      const to = Math.min(size, (b + 1) * BLOCK) - start;
      if (to > bytes.length) break; // a partial block (only the file's last may be short)
      if (this.blocks.size >= CACHE_BLOCKS) this.blocks.delete(this.blocks.keys().next().value!);
      this.blocks.set(b, bytes.slice(from, to));
      this.pending.delete(b);
    }
  }

  read(offset: number, length: number): Uint8Array {
    if (this.closed) throw new Error(`${this.name} is closed`);
    const size = this.size;
    const start = Math.max(0, Math.min(offset, size));
    const end = Math.min(size, start + Math.max(0, length));
    if (end <= start) return new Uint8Array(0);
    if (this.whole) return this.whole.slice(start, end);
    this.open();
    if (this.whole) return (this.whole as Uint8Array).slice(start, end);
    const first = Math.floor(start / BLOCK);
    const last = Math.floor((end - 1) / BLOCK);
    const missing: number[] = [];
    for (let b = first; b <= last; b++) if (!this.blocks.has(b)) missing.push(b);
    if (missing.length && end - start > UNCACHED_READ) {
      // A large read (a JSON document, a shard index): fetched as asked, sequential reads ahead from its end.
      const bytes = this.fetchRanges([[start, end]])[0]!.bytes;
      this.lastEnd = end;
      return bytes;
    }
    if (missing.length) this.fill(missing, start);
    const out = new Uint8Array(end - start);
    for (let b = first; b <= last; b++) {
      const bytes = this.blocks.get(b)!;
      const from = Math.max(start, b * BLOCK);
      const to = Math.min(end, b * BLOCK + bytes.length);
      out.set(bytes.subarray(from - b * BLOCK, to - b * BLOCK), from - start);
    }
    return out;
  }

  /** Fetches the missing blocks, read-ahead after them when reads run on, and the pending hints, in one request. */
  private fill(missing: number[], start: number): void {
    const size = this.knownSize!;
    const lastBlock = Math.ceil(size / BLOCK) - 1;
    // Reads that pick up where the last fetch ended are a sequential scan: fetch further ahead each time.
    this.ahead = start === this.lastEnd ? Math.min(MAX_READ_AHEAD, this.ahead * 2) : BLOCK;
    const want = new Set(missing);
    // A small file is most metadata: the rest of it in this one request costs less than a request per read.
    if (size <= SMALL_FILE) for (let b = 0; b <= lastBlock; b++) if (!this.blocks.has(b)) want.add(b);
    const tail = missing[missing.length - 1]!;
    for (let b = tail + 1; b <= Math.min(lastBlock, tail + Math.floor(this.ahead / BLOCK) - 1); b++) if (!this.blocks.has(b)) want.add(b);
    for (const b of this.pending) if (want.size < MAX_RANGES * 4 && !this.blocks.has(b) && b <= lastBlock) want.add(b);
    this.pending.clear();
    const runs = toRuns(
      [...want].sort((a, b) => a - b),
      size,
    );
    const parts = this.fetchRanges(runs);
    for (const p of parts) this.store(p.start, p.bytes);
    this.lastEnd = Math.min(size, (tail + 1) * BLOCK);
    for (const b of missing)
      if (!this.blocks.has(b)) throw this.session.fail(this.name, `the server did not send bytes ${b * BLOCK}… it was asked for`);
  }

  /** GETs byte ranges (one request; several ranges: multipart, or one request each when the server cannot). */
  private fetchRanges(runs: [number, number][]): { start: number; bytes: Uint8Array }[] {
    if (runs.length > 1 && !this.multiRange) return runs.flatMap((r) => this.fetchRanges([r]));
    const total = runs.reduce((n, [s, e]) => n + e - s, 0);
    const r = this.session.get(this.name, {
      url: this.url,
      ranges: runs.slice(0, MAX_RANGES),
      ...(this.validator ? { ifRange: this.validator } : {}),
      maxBytes: total + 2048 + runs.length * 256,
    });
    const changed = this.etag !== null && r.headers.etag !== undefined && r.headers.etag !== this.etag;
    if (r.status === 200 || changed) {
      if (changed || this.validator)
        throw this.session.fail(this.name, 'the file changed on the server while it was being read (its ETag changed)');
      throw this.session.fail(this.name, 'the server stopped honouring Range requests');
    }
    if (r.status !== 206) throw this.session.statusError(this.name, r);
    const type = r.headers['content-type'] ?? '';
    let parts: { start: number; bytes: Uint8Array }[] | null;
    if (/^multipart\/byteranges/i.test(type)) parts = parseMultipart(r.body, type);
    else {
      const cr = parseContentRange(r.headers['content-range']);
      parts = cr && cr.end - cr.start + 1 === r.body.length ? [{ start: cr.start, bytes: r.body }] : null;
      if (cr?.total != null && cr.total !== this.knownSize)
        throw this.session.fail(this.name, 'the file changed on the server while it was being read (its size changed)');
    }
    if (!parts) throw this.session.fail(this.name, 'the server answered a range request with a body that does not match its Content-Range');
    const rest = runs.slice(MAX_RANGES);
    if (runs.length > 1 && parts.length === 1 && !covers(parts[0]!, runs)) {
      // One range of several: this server answers multi-range requests with the first range only.
      this.multiRange = false;
      return [...parts, ...runs.slice(1).flatMap((x) => this.fetchRanges([x]))];
    }
    return rest.length ? [...parts, ...this.fetchRanges(rest)] : parts;
  }

  /** Blocks that will probably be read soon (an HDF5 group's members): fetched with the next miss. */
  prefetch(ranges: readonly (readonly [number, number])[]): void {
    const size = this.knownSize;
    if (size === null || this.whole) return;
    for (const [s, n] of ranges) {
      if (s < 0 || s >= size || n <= 0) continue;
      for (let b = Math.floor(s / BLOCK); b <= Math.floor((Math.min(size, s + n) - 1) / BLOCK); b++) {
        if (this.pending.size >= MAX_PENDING) return;
        if (!this.blocks.has(b)) this.pending.add(b);
      }
    }
  }

  sibling(relPath: string): ByteSource | null {
    if (/^([a-z][a-z0-9+.-]*:|\/|\\)/i.test(relPath) || relPath.includes('\\')) return null;
    if (this.tree) return treeEntry(this.session, this.tree, joinPath(dirOf(this.path), relPath), this.root);
    let url: URL;
    try {
      url = new URL(relPath.split('/').map(encodeURIComponent).join('/'), this.urlForSiblings());
    } catch {
      return null;
    }
    // The second fence: nothing outside the folder of the first URL.
    if (!url.href.startsWith(this.root) || url.search !== '') return null;
    const f = new RemoteFile(this.session, url.href, url.href, { root: this.root });
    try {
      f.open();
    } catch (e) {
      if (e instanceof InputError && /^not found/.test(e.message) && this.session.failure === e) {
        this.session.failure = null;
        return null;
      }
      throw e;
    }
    return f;
  }

  private urlForSiblings(): string {
    return this.name.startsWith('http') ? this.name : this.url;
  }

  list(): null {
    return null;
  }

  close(): void {
    this.closed = true;
    this.blocks.clear();
    this.whole = null;
  }
}

/** A folder of the Hub's listing: no bytes, its entries are its siblings. */
export class RemoteDir implements ByteSource {
  readonly size = 0;

  constructor(
    private readonly session: RemoteSession,
    private readonly tree: RemoteTree,
    /** The folder's path in the tree ('' for the repository's top). */
    private readonly path: string,
    readonly name: string,
    private readonly root: string = path,
  ) {}

  read(): Uint8Array {
    return new Uint8Array(0);
  }

  sibling(relPath: string): ByteSource | null {
    if (/^([a-z][a-z0-9+.-]*:|\/|\\)/i.test(relPath) || relPath.includes('\\')) return null;
    return treeEntry(this.session, this.tree, joinPath(this.path || '.', relPath), this.root);
  }

  list(): string[] {
    return childrenOf(this.tree, this.path);
  }

  close(): void {
    /* nothing held */
  }
}

/** The names directly inside a folder of the tree. */
export function childrenOf(tree: RemoteTree, dir: string): string[] {
  const prefix = dir === '' || dir === '.' ? '' : `${dir}/`;
  const names = new Set<string>();
  for (const p of tree.files.keys()) if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]!);
  return [...names].sort();
}

/** A file or folder of the tree, or null when there is none (or it lies outside `root`). */
export function treeEntry(session: RemoteSession, tree: RemoteTree, path: string, root: string): ByteSource | null {
  const p = path === '.' ? '' : path;
  if (p === '..' || p.startsWith('../')) return null;
  if (root !== '' && root !== '.' && p !== root && !p.startsWith(`${root}/`)) return null;
  const size = tree.files.get(p);
  if (size !== undefined) return new RemoteFile(session, tree.nameFor(p), tree.urlFor(p), { size, tree, path: p, root });
  if (childrenOf(tree, p).length) return new RemoteDir(session, tree, p, tree.nameFor(p), root);
  return null;
}

function toRuns(blocks: number[], size: number): [number, number][] {
  const runs: [number, number][] = [];
  for (const b of blocks) {
    const s = b * BLOCK;
    const e = Math.min(size, s + BLOCK);
    const last = runs[runs.length - 1];
    if (last && last[1] === s) last[1] = e;
    else runs.push([s, e]);
  }
  return runs;
}

function covers(part: { start: number; bytes: Uint8Array }, runs: [number, number][]): boolean {
  return runs.every(([s, e]) => s >= part.start && e <= part.start + part.bytes.length);
}

/** The folder part of a URL (through its last `/`) or of a tree path ('' at the top). */
function dirOf(p: string): string {
  if (/^[a-z]+:\/\//i.test(p)) return p.slice(0, p.split('?')[0]!.lastIndexOf('/') + 1);
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

export { baseName };
