// Remote inputs for the Node front ends: `https://…`, `http://…` and `hf://owner/repo[@revision][/path]`
// become byte sources read by HTTP range requests (src/io/http-source.ts) over a helper thread
// (src/node/sync-http.ts). The Hub's endpoint and token come from HF_ENDPOINT and HF_TOKEN (or the token
// file huggingface_hub writes: HF_TOKEN_PATH, else HF_HOME/token, else ~/.cache/huggingface/token), as
// huggingface_hub takes them; the token goes to the endpoint's origin only and is never shown.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ByteSource } from '../io/byte-source.js';
import { displayUrl, type HttpPolicy } from '../io/http.js';
import { FIRST_READ, RemoteFile, RemoteSession } from '../io/http-source.js';
import { DEFAULT_ENDPOINT, hubAuthHint, openHub, parseHubUri } from '../io/hub.js';
import { InputError } from '../model/errors.js';
import { SyncHttp } from './sync-http.js';

export interface RemoteOptions {
  /** Seconds allowed to connect and for each stall (default 30; 0: none). */
  timeoutS?: number;
  /**
   * When the whole run must end (ms since the epoch): the CLI's `--timeout` for everything, which a thread
   * waiting for a request cannot otherwise enforce.
   */
  deadline?: number;
  /** Attempts after the first for 429, 5xx and resets (default 4). */
  retries?: number;
  /** Environment to read HF_ENDPOINT / HF_TOKEN from (default: the process's). */
  env?: Record<string, string | undefined>;
  /**
   * A helper thread to reuse (a scan worker keeps one for all its entries); it must have been made with
   * `remotePolicy` of the same options. Not closed by the input's `close()`.
   */
  http?: SyncHttp;
}

/** The HTTP policy of these options: timeouts, retries, and the Hub's token for the Hub's origin only. */
export function remotePolicy(opts: RemoteOptions = {}): HttpPolicy {
  const env = opts.env ?? process.env;
  const token = hubToken(env);
  let origin: string | undefined;
  try {
    origin = new URL(hubEndpoint(env)).origin;
  } catch {
    origin = undefined;
  }
  return {
    timeoutMs: (opts.timeoutS ?? 30) * 1000,
    retries: opts.retries ?? 4,
    ...(token && origin ? { token, tokenOrigin: origin } : {}),
    // Retry-After is honoured up to the timeout (no timeout: up to a minute).
    maxRetryAfterMs: (opts.timeoutS ?? 30) > 0 ? Math.max(1000, Math.min(60_000, (opts.timeoutS ?? 30) * 1000)) : 60_000,
  };
}

/** Whether a model argument names a remote input. */
export function isRemote(spec: string): boolean {
  return /^(https?|hf):\/\//i.test(spec);
}

/** The Hub's endpoint (HF_ENDPOINT, without a trailing slash). */
export function hubEndpoint(env: Record<string, string | undefined>): string {
  const e = (env.HF_ENDPOINT ?? '').trim().replace(/\/+$/, '');
  return e || DEFAULT_ENDPOINT;
}

/** The token as huggingface_hub finds it: HF_TOKEN, else its token file; none when HF_HUB_DISABLE_IMPLICIT_TOKEN is set. */
export function hubToken(env: Record<string, string | undefined>): string | undefined {
  const fromEnv = env.HF_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  if (/^(1|true|yes|on)$/i.test(env.HF_HUB_DISABLE_IMPLICIT_TOKEN ?? '')) return undefined;
  const home = env.HF_HOME ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'huggingface');
  const file = env.HF_TOKEN_PATH ?? path.join(home, 'token');
  try {
    const t = fs.readFileSync(file, 'utf8').trim();
    return t || undefined;
  } catch {
    return undefined;
  }
}

/** An open remote input: its source, the session's counters, and `close()` for the helper thread. */
export interface RemoteInput {
  source: ByteSource;
  session: RemoteSession;
  close(): void;
}

/** Opens a URL or hf:// URI: one helper thread per call, ended by `close()`. */
export function openRemote(spec: string, opts: RemoteOptions = {}): RemoteInput {
  const env = opts.env ?? process.env;
  const endpoint = hubEndpoint(env);
  let origin: string;
  try {
    origin = new URL(endpoint).origin;
  } catch {
    throw new InputError(spec, `HF_ENDPOINT is not a URL (${JSON.stringify(endpoint)})`);
  }
  const token = hubToken(env);
  const shared = opts.http;
  const stopped = `still reading after ${opts.timeoutS ?? 30} s; stopped (raise the limit with --timeout SECONDS)`;
  const http = shared ?? new SyncHttp(remotePolicy(opts), opts.deadline !== undefined ? { at: opts.deadline, stopped } : undefined);
  const release = () => {
    if (!shared) http.close();
  };
  try {
    const hub = parseHubUri(spec);
    const toHub = hub !== null || new URL(spec).origin === origin;
    const session = new RemoteSession(http.transport, toHub ? hubAuthHint(token !== undefined) : undefined);
    let source: ByteSource;
    if (hub) source = openHub(session, endpoint, spec, hub, /@/.test(spec.split('/')[3] ?? ''));
    else {
      const u = new URL(spec);
      const name = displayUrl(spec);
      if (u.username || u.password) throw new InputError(name, 'credentials in the URL are not sent; use HF_TOKEN for the Hub');
      source = new RemoteFile(session, name, u.href, { firstRead: FIRST_READ });
    }
    return { source, session, close: release };
  } catch (e) {
    release();
    if (e instanceof TypeError) throw new InputError(displayUrl(spec), 'not a valid URL');
    throw e;
  }
}
