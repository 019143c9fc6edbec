// Hugging Face Hub repositories as inputs: `hf://owner/repo[@revision][/path]`, listed with the Hub's API
// (`{endpoint}/api/models/{repo}/tree/{revision}?recursive=true`, paged by Link headers) and read through
// `{endpoint}/{repo}/resolve/{revision}/{path}` (which redirects large files to a content server). The model
// in a repository is chosen from the listing: a file (.h5/.hdf5/.keras, a TF.js model.json) or a folder
// (Keras 3's unzipped layout, config.json beside model.weights.h5; a SavedModel); several are listed back.
import { InputError } from '../model/errors.js';
import { type RemoteSession, type RemoteTree, treeEntry } from './http-source.js';
import type { ByteSource } from './byte-source.js';
import { baseName } from './paths.js';

export interface HubUri {
  repo: string;
  revision: string;
  /** The path inside the repository ('' for the whole repository). */
  path: string;
}

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

/** A repository (or folder) holding several models: `models` names each (`hf://…/path`), for `scan --urls` to take. */
export class SeveralModels extends InputError {
  constructor(
    file: string,
    message: string,
    readonly models: string[],
  ) {
    super(file, message);
  }
}

/** `hf://owner/repo[@revision][/path]` (a revision with slashes percent-encoded, or `refs/pr/N`), else null. */
export function parseHubUri(spec: string): HubUri | null {
  const m = /^hf:\/\/(.*)$/i.exec(spec);
  if (!m) return null;
  let rest = m[1]!.replace(/\/+$/, '');
  if (/^(datasets|spaces)\//.test(rest)) throw new InputError(spec, 'only model repositories can be inspected (hf://owner/repo)');
  const parts = rest.split('/');
  if (parts.length < 2 || !parts[0] || !parts[1]) throw new InputError(spec, 'expected hf://owner/repo[@revision][/path]');
  let repoName = parts[1];
  let revision = 'main';
  rest = parts.slice(2).join('/');
  const at = repoName.indexOf('@');
  if (at >= 0) {
    revision = repoName.slice(at + 1);
    repoName = repoName.slice(0, at);
    const pr = /^refs$/.test(revision) && /^pr\/\d+(\/|$)/.test(rest) ? /^pr\/\d+/.exec(rest)![0] : null;
    if (pr) {
      revision = `refs/${pr}`;
      rest = rest.slice(pr.length).replace(/^\//, '');
    }
    try {
      revision = decodeURIComponent(revision);
    } catch {
      throw new InputError(spec, 'the revision is not valid percent-encoding');
    }
    if (!revision) throw new InputError(spec, 'empty revision after @');
  }
  const ok = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
  if (!ok.test(parts[0]) || !ok.test(repoName))
    throw new InputError(spec, 'expected hf://owner/repo with letters, digits, ".", "_" or "-"');
  const path = rest
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
  if (path.split('/').includes('..')) throw new InputError(spec, 'the path may not contain ..');
  return { repo: `${parts[0]}/${repoName}`, revision, path };
}

/** The Hub's file URL of a repository path. */
export function resolveUrl(endpoint: string, u: HubUri, path: string): string {
  return `${endpoint}/${u.repo}/resolve/${encodeURIComponent(u.revision)}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** What to say after 401/403 from the Hub, naming HF_TOKEN. */
export function hubAuthHint(hasToken: boolean): (status: number) => string {
  return (status) =>
    status === 401
      ? hasToken
        ? 'HF_TOKEN is not accepted for this repository (it may not exist, or the token has no access)'
        : 'the repository does not exist, or is private or gated: set HF_TOKEN to a token that can read it'
      : hasToken
        ? 'HF_TOKEN has no access to this repository (a gated repository: request access on its page)'
        : 'access denied: the repository is gated or private; set HF_TOKEN to a token that can read it';
}

const MAX_PAGES = 100;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control, bidi and direction marks are what it finds
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const MAX_LISTING_BYTES = 64 * 1024 * 1024;

/** Every file of the repository at the revision, with sizes (LFS files by their real size). */
export function listRepo(session: RemoteSession, endpoint: string, u: HubUri, name: string): Map<string, number> {
  const files = new Map<string, number>();
  let url: string | null = `${endpoint}/api/models/${u.repo}/tree/${encodeURIComponent(u.revision)}?recursive=true`;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const r = session.get(name, { url, maxBytes: MAX_LISTING_BYTES, accept: 'application/json' });
    if (r.status === 404) {
      const code = r.headers['x-error-code'];
      throw session.fail(
        name,
        code === 'RevisionNotFound' ? `revision ${JSON.stringify(u.revision)} not found (HTTP 404)` : 'repository not found (HTTP 404)',
      );
    }
    if (r.status !== 200) throw session.statusError(name, r);
    if (!r.complete) throw session.fail(name, `the repository listing is larger than ${MAX_LISTING_BYTES} bytes`);
    let doc: unknown;
    try {
      doc = JSON.parse(new TextDecoder().decode(r.body));
    } catch {
      throw session.fail(name, 'the Hub answered the listing with something that is not JSON');
    }
    if (!Array.isArray(doc)) throw session.fail(name, 'the Hub answered the listing with something that is not a list of files');
    for (const e of doc as { type?: unknown; path?: unknown; size?: unknown; lfs?: { size?: unknown } }[]) {
      if (e?.type !== 'file' || typeof e.path !== 'string') continue;
      // Paths are the repository's (hostile) text and end up in messages: no control or bidi characters.
      if (UNPRINTABLE.test(e.path)) continue;
      const size = typeof e.lfs?.size === 'number' ? e.lfs.size : e.size;
      if (typeof size === 'number' && Number.isSafeInteger(size) && size >= 0) files.set(e.path.replace(/^\/+/, ''), size);
    }
    const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(r.headers.link ?? '')?.[1];
    url = next ? new URL(next, url).href : null;
  }
  return files;
}

/** The tree of a repository: read through the resolve endpoint, named `hf://repo@rev/path`. */
export function hubTree(endpoint: string, u: HubUri, files: ReadonlyMap<string, number>, explicitRevision: boolean): RemoteTree {
  const prefix = `hf://${u.repo}${explicitRevision ? `@${u.revision.includes('/') ? encodeURIComponent(u.revision) : u.revision}` : ''}`;
  let at = u;
  return {
    files,
    urlFor: (p) => resolveUrl(endpoint, at, p),
    nameFor: (p) => (p ? `${prefix}/${p}` : prefix),
    // Pinned once, to a full commit id only.
    pin: (commit) => {
      if (at === u && /^[0-9a-f]{40}$/.test(commit)) at = { ...u, revision: commit };
    },
  };
}

const MODEL_FILE = /\.(h5|hdf5|keras)$/i;
/** The names `inspect` looks for beside an architecture JSON (src/formats/index.ts). */
const COMPANIONS = ['_weights.h5', '.weights.h5', '.h5', '_weights.hdf5', '.hdf5', '.weights.json'];

/** The models of a listing under `dir`: files and folders (Keras 3 unzipped, SavedModel), by path. */
export function modelsIn(files: ReadonlyMap<string, number>, dir: string): string[] {
  const prefix = dir ? `${dir}/` : '';
  const paths = [...files.keys()].filter((p) => p.startsWith(prefix));
  const folders = new Set<string>();
  const folderOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
  const has = (d: string, n: string) => files.has(d ? `${d}/${n}` : n);
  for (const p of paths) {
    const d = folderOf(p);
    const n = baseName(p);
    if (n === 'saved_model.pb') folders.add(d);
    if (n === 'config.json' && (has(d, 'model.weights.h5') || has(d, 'model.weights.json'))) folders.add(d);
  }
  // Files inside a model folder belong to it (its weights, its variables).
  const inFolder = (p: string) => [...folders].some((f) => f === '' || p.startsWith(`${f}/`));
  const out: string[] = [...folders].filter((f) => f === dir || f.startsWith(prefix)).map((f) => f);
  // An architecture JSON saved beside its weights (X.json with X_weights.h5, X.weights.h5, X.h5, …) is the
  // model, read with them as `inspect X.json` pairs them; the weights are not listed on their own.
  const claimed = new Set<string>();
  for (const p of paths) {
    if (inFolder(p) || !/\.json$/i.test(p) || /^(model|config|metadata|tokenizer|preprocessor|task)\.json$/i.test(baseName(p))) continue;
    const stem = p.replace(/\.json$/i, '');
    const weights = COMPANIONS.map((c) => stem + c).filter((w) => files.has(w));
    if (weights.length === 0) continue;
    out.push(p);
    for (const w of weights) claimed.add(w);
  }
  for (const p of paths) {
    if (inFolder(p) || claimed.has(p)) continue;
    const n = baseName(p);
    if (MODEL_FILE.test(n) || n === 'model.json') out.push(p);
  }
  return out.sort();
}

/**
 * The source for `hf://…`: the file or folder named, or the one model of the repository (or folder). Several
 * models: an InputError listing them (at most 20) and asking for a path.
 */
export function openHub(session: RemoteSession, endpoint: string, spec: string, u: HubUri, explicitRevision: boolean): ByteSource {
  const files = listRepo(session, endpoint, u, spec);
  const tree = hubTree(endpoint, u, files, explicitRevision);
  if (u.path && files.has(u.path)) return treeEntry(session, tree, u.path, '')!;
  const dir = u.path;
  if (dir && ![...files.keys()].some((p) => p.startsWith(`${dir}/`)))
    throw session.fail(spec, `no file or folder ${JSON.stringify(dir)} in the repository`);
  const models = modelsIn(files, dir);
  if (models.length === 0)
    throw session.fail(spec, `no Keras or TF.js model${dir ? ` under ${dir}/` : ''} in the repository (${files.size} files listed)`);
  if (models.length > 1) {
    const names = models.map((m) => tree.nameFor(m));
    const e = new SeveralModels(
      spec,
      `${models.length} models in the repository; name one: ${names.slice(0, 20).join(', ')}${models.length > 20 ? ', …' : ''} (or scan them with kerascope scan --urls)`,
      names,
    );
    session.failure ??= e;
    throw e;
  }
  const chosen = models[0]!;
  return treeEntry(session, tree, chosen, chosen && files.has(chosen) ? '' : chosen)!;
}
