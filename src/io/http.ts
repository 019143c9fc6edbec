// One HTTP GET the way remote inputs need it, on the platform's global fetch (Node 20, browsers): byte
// ranges, redirects followed by hand so that a token goes to its own origin only, a deadline for connecting
// and for every stall of the body, 429 and 5xx retried with backoff that honours Retry-After, and every
// failure turned into one sentence (RemoteError). No Node module: the Node adapter runs this on a helper
// thread and waits for it (src/node/sync-http.ts); the page's worker can call it too.

/** A failure to fetch, in one sentence without the token or the URL's credentials. */
export class RemoteError extends Error {
  constructor(
    message: string,
    /** The HTTP status when the server answered, else null (refused, DNS, TLS, timeout, reset). */
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

export interface HttpPolicy {
  /** Milliseconds allowed for the answer's headers, and for each wait between two pieces of its body. */
  timeoutMs: number;
  /** Attempts after the first for 429, 5xx and a connection reset. */
  retries: number;
  /** A bearer token, sent to `tokenOrigin` only. */
  token?: string;
  /** The origin (`https://huggingface.co`) the token belongs to. */
  tokenOrigin?: string;
  /** Longest Retry-After honoured (ms); a server asking for more is an error at once. */
  maxRetryAfterMs?: number;
  /** Base of the exponential backoff (ms). */
  backoffMs?: number;
}

export interface HttpRequest {
  url: string;
  /** Byte ranges [start, end) to ask for (several: one multi-range request). */
  ranges?: [number, number][];
  /** The validator the ranges must come from (If-Range): a changed file answers 200, which is an error then. */
  ifRange?: string;
  /** Read at most this many bytes of the body (more: `complete` false, the rest is never transferred). */
  maxBytes: number;
  /** Accept header (JSON for the Hub's API). */
  accept?: string;
}

export interface HttpResponse {
  status: number;
  /** The URL that answered, after redirects. */
  url: string;
  /** Lower-case header names, the ones kerascope reads. */
  headers: Record<string, string>;
  body: Uint8Array;
  /** False when the body was cut at maxBytes. */
  complete: boolean;
  /** Requests made for this answer (redirects and retries included). */
  requests: number;
  /** Bytes of body received, cut bodies and retried attempts included. */
  received: number;
}

const KEPT_HEADERS = [
  'content-type',
  'content-length',
  'content-range',
  'etag',
  'last-modified',
  'accept-ranges',
  'location',
  'retry-after',
  'link',
  'x-linked-size',
  'x-linked-etag',
  'x-repo-commit',
  'x-error-code',
  'x-error-message',
];
const MAX_REDIRECTS = 10;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The URL as it may be shown: no user:password, no query string (signed URLs carry credentials there). */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.href;
  } catch {
    return url.replace(/\?.*$/, '');
  }
}

/** Seconds or an HTTP date in Retry-After, as milliseconds from now (null when absent or unreadable). */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined || value.trim() === '') return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

/** GETs `req.url` under `policy`; resolves with the final answer (any status but 429/5xx after retries), or throws RemoteError. */
export async function httpGet(req: HttpRequest, policy: HttpPolicy): Promise<HttpResponse> {
  let requests = 0;
  let received = 0;
  const backoff = policy.backoffMs ?? 500;
  const maxRetryAfter = policy.maxRetryAfterMs ?? 60_000;
  for (let attempt = 0; ; attempt++) {
    let r: HttpResponse;
    try {
      r = await followRedirects(req, policy);
    } catch (e) {
      if (e instanceof Retryable) {
        requests += e.requests;
        received += e.received;
        if (attempt < policy.retries) {
          await sleep(Math.min(8000, backoff * 2 ** attempt));
          continue;
        }
        throw new RemoteError(e.message);
      }
      throw e;
    }
    requests += r.requests;
    received += r.received;
    if (r.status === 429 || (r.status >= 500 && r.status <= 599)) {
      const asked = retryAfterMs(r.headers['retry-after']);
      const what = r.status === 429 ? 'rate limited (HTTP 429)' : `server error (HTTP ${r.status})`;
      if (asked !== null && asked > maxRetryAfter)
        throw new RemoteError(`${what}; the server asks to retry after ${Math.ceil(asked / 1000)} s`, r.status);
      if (attempt < policy.retries) {
        await sleep(asked ?? Math.min(8000, backoff * 2 ** attempt));
        continue;
      }
      throw new RemoteError(`${what}, still after ${policy.retries + 1} attempts`, r.status);
    }
    return { ...r, requests, received };
  }
}

/** A failure worth another attempt (a reset connection, a cut body), with what it cost. */
class Retryable extends Error {
  constructor(
    message: string,
    readonly requests: number,
    readonly received: number,
  ) {
    super(message);
  }
}

async function followRedirects(req: HttpRequest, policy: HttpPolicy): Promise<HttpResponse> {
  let url = req.url;
  let requests = 0;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = {};
    if (req.accept) headers.accept = req.accept;
    if (req.ranges?.length) headers.range = `bytes=${req.ranges.map(([s, e]) => `${s}-${e - 1}`).join(',')}`;
    if (req.ifRange) headers['if-range'] = req.ifRange;
    // The token goes to its own origin only: never across a redirect to a content server or anywhere else.
    if (policy.token && policy.tokenOrigin && new URL(url).origin === policy.tokenOrigin) headers.authorization = `Bearer ${policy.token}`;
    requests++;
    const r = await once(url, headers, req.maxBytes, policy.timeoutMs, requests);
    if (r.status >= 300 && r.status < 400 && r.status !== 304 && r.headers.location) {
      if (hop >= MAX_REDIRECTS) throw new RemoteError(`more than ${MAX_REDIRECTS} redirects`);
      const next = new URL(r.headers.location, url);
      if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new RemoteError(`redirected to a ${next.protocol} URL`);
      if (new URL(url).protocol === 'https:' && next.protocol === 'http:') throw new RemoteError('redirected from https to plain http');
      url = next.href;
      continue;
    }
    return { ...r, url, requests };
  }
}

/** One request: headers within the timeout, then the body, each piece within the timeout, up to maxBytes. */
async function once(
  url: string,
  headers: Record<string, string>,
  maxBytes: number,
  timeoutMs: number,
  requests: number,
): Promise<HttpResponse> {
  const ctl = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const arm = () => {
    if (timer) clearTimeout(timer);
    if (timeoutMs > 0)
      timer = setTimeout(() => {
        timedOut = true;
        ctl.abort();
      }, timeoutMs);
  };
  const seconds = `${Math.round(timeoutMs / 100) / 10} s`;
  arm();
  let res: Response;
  try {
    res = await fetch(url, { headers, redirect: 'manual', signal: ctl.signal, cache: 'no-store' });
  } catch (e) {
    if (timer) clearTimeout(timer);
    if (timedOut) throw new RemoteError(`no answer within ${seconds} (raise the limit with --timeout SECONDS)`);
    throw networkError(e, url, requests);
  }
  const kept: Record<string, string> = {};
  for (const h of KEPT_HEADERS) {
    const v = res.headers.get(h);
    if (v !== null) kept[h] = v;
  }
  const chunks: Uint8Array[] = [];
  let got = 0;
  let complete = true;
  // Redirects, errors and retries: their bodies are not needed (a few bytes of an error's text at most).
  const limit = res.status >= 300 && res.status !== 416 ? Math.min(maxBytes, 4096) : maxBytes;
  if (res.body) {
    const reader = res.body.getReader();
    try {
      for (;;) {
        arm();
        const { done, value } = await reader.read();
        if (done) break;
        const room = limit - got;
        if (value.length >= room) {
          chunks.push(value.subarray(0, room));
          got += room;
          complete = value.length === room && (await endsNow(reader));
          break;
        }
        chunks.push(value);
        got += value.length;
      }
    } catch (e) {
      if (timedOut) throw new RemoteError(`the server stopped sending for ${seconds} (raise the limit with --timeout SECONDS)`);
      throw new Retryable(`the connection was cut while reading (${describe(e)})`, requests, got);
    } finally {
      if (timer) clearTimeout(timer);
      void reader.cancel().catch(() => {});
    }
  }
  if (timer) clearTimeout(timer);
  const body = chunks.length === 1 ? chunks[0]! : concat(chunks, got);
  return { status: res.status, url, headers: kept, body, complete, requests, received: got };
}

/** After exactly `limit` bytes: whether the body ends there (a short wait for its end, never for more data). */
async function endsNow(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<boolean> {
  const next = await Promise.race([reader.read(), sleep(50).then(() => null)]);
  return next !== null && next.done === true;
}

function concat(chunks: Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function describe(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (e as Error)?.message ?? String(e);
}

/** fetch's TypeError, by its cause: refused, DNS, TLS, a reset (worth a retry). */
function networkError(e: unknown, url: string, requests: number): Error {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? '';
  const u = new URL(url);
  const host = u.host;
  if (code === 'ECONNREFUSED') return new RemoteError(`connection refused by ${host}`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return new RemoteError(`host not found (DNS): ${u.hostname}`);
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(code) || /certificate|tls|ssl/i.test(cause?.message ?? ''))
    return new RemoteError(`TLS error talking to ${host} (${code || cause?.message})`);
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED')
    return new Retryable(`the connection to ${host} was reset (${code})`, requests, 0);
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return new RemoteError(`cannot connect to ${host} (timed out)`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new RemoteError(`${host} is unreachable (${code})`);
  if (e instanceof TypeError && /fetch/i.test(e.message) && !code)
    // The browser's one word for refused, DNS, TLS and CORS alike.
    return new RemoteError(`cannot fetch from ${host} (network error, or the server's CORS policy does not allow this page)`);
  return new RemoteError(`cannot fetch from ${host} (${code || describe(e)})`);
}
