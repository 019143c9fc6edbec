// TensorFlow.js `model.json`: a layers model (`modelTopology` holds a Keras config, possibly wrapped in
// `model_config`) or a graph model (`modelTopology.node`), and `weightsManifest` groups whose shard files
// lie next to model.json. Counts come from the manifest; shards are only measured, never read.
import { shardsMissing } from './shards.js';
import type { ByteSource } from '../io/byte-source.js';
import { joinPath, dirName } from '../io/paths.js';
import { type Budgets, DEFAULT_BUDGETS, overBudget } from '../model/budgets.js';
import { InputError } from '../model/errors.js';
import { finding } from '../model/findings.js';
import { DTYPE_BYTES, elements } from '../model/shape.js';
import type { FileEntry, Finding, LoadedModel, StoredTensor } from '../model/types.js';
import { thousands } from '../model/text.js';

/** The dtypes a TF.js manifest may store (after quantization, if any). */
const TFJS_DTYPES = new Set(['float32', 'int32', 'bool', 'uint8', 'uint16', 'float16', 'int8', 'int16', 'complex64']);

interface ManifestWeight {
  name?: unknown;
  shape?: unknown;
  dtype?: unknown;
  quantization?: { dtype?: unknown };
}

export interface TfjsOptions {
  /** Skip shard checks (inspect a model.json without its shard files). */
  manifestOnly?: boolean;
  /** The load's budgets (default: the defaults). */
  budgets?: Budgets;
}

export function loadTfjs(src: ByteSource, parsed: unknown, opts: TfjsOptions = {}): LoadedModel {
  const file = src.name;
  const budgets = opts.budgets ?? DEFAULT_BUDGETS;
  const doc = parsed as Record<string, unknown>;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new InputError(file, 'model.json is not a JSON object');
  const rawTopology = doc.modelTopology;
  const manifest = doc.weightsManifest;
  if (rawTopology !== undefined && (typeof rawTopology !== 'object' || rawTopology === null || Array.isArray(rawTopology))) {
    throw new InputError(file, `modelTopology in model.json is ${rawTopology === null ? 'null' : 'not a JSON object'}`);
  }
  const topology = rawTopology as Record<string, unknown> | undefined;
  if (manifest !== undefined && manifest !== null && !Array.isArray(manifest))
    throw new InputError(file, 'weightsManifest in model.json is not a list');
  if (!topology && !Array.isArray(manifest)) {
    throw new InputError(file, 'JSON file is neither a TF.js model.json (no modelTopology/weightsManifest) nor a Keras config');
  }
  const isGraph = doc.format === 'graph-model' || (topology !== undefined && Array.isArray(topology.node));
  const problems: Finding[] = [];
  const tensors: StoredTensor[] = [];
  const files: FileEntry[] = [{ path: file, bytes: src.size, present: true }];

  let pathCount = 0;
  // What each distinct shard path resolved to (a manifest may name one path many times).
  const seenPaths = new Map<string, { outside: string | null; size: number | null }>();
  const missingShards = new Set<string>();
  // Where shards named by their bare name are: the model's folder, normalized once (not once per shard).
  const folder = joinPath(dirName(file));
  const shardPath = (p: string) =>
    p === '' || p === '.' || p === '..' || p.includes('/')
      ? joinPath(dirName(file), p)
      : folder === '.'
        ? p
        : folder === '/'
          ? `/${p}`
          : `${folder}/${p}`;
  for (const [g, group] of (Array.isArray(manifest) ? manifest : []).entries()) {
    if (typeof group !== 'object' || group === null || Array.isArray(group))
      throw new InputError(file, `weightsManifest group ${g + 1} is not a JSON object`);
    const paths = Array.isArray(group.paths) ? (group.paths as unknown[]).map(String) : [];
    const weights: ManifestWeight[] = Array.isArray(group.weights) ? group.weights : [];
    pathCount += paths.length;
    if (pathCount > budgets.shardPaths)
      throw overBudget(file, 'shardPaths', `weightsManifest names more than ${budgets.shardPaths} shard paths`, budgets);
    if (tensors.length + weights.length > budgets.tensors)
      throw overBudget(file, 'tensors', `weightsManifest lists more than ${budgets.tensors} weights`, budgets);
    let expected = 0;
    for (const w of weights) {
      const t = toTensor(file, w, g);
      expected += t.bytes;
      tensors.push(t);
    }
    if (opts.manifestOnly) continue;
    let present = 0;
    let anyMissing = false;
    for (const p of paths) {
      let known = seenPaths.get(p);
      if (!known) {
        const out = !isLocalShardPath(p) ? 'leaves' : src.escapes?.(p) ? 'resolves (through a symbolic link) outside' : null;
        let sz: number | null = null;
        if (!out) {
          const shard = src.sibling(p);
          sz = shard && !shard.list?.() ? shard.size : null;
          shard?.close();
        }
        known = { outside: out, size: sz };
        seenPaths.set(p, known);
      }
      const outside = known.outside;
      if (outside) {
        problems.push(
          finding('shard-path-outside', null, null, `weight shard path "${p}" ${outside} the model's folder; kerascope did not open it`),
        );
        files.push({ path: p, bytes: 0, present: false });
        anyMissing = true;
        continue;
      }
      const full = shardPath(p);
      const size = known.size;
      if (size === null) {
        anyMissing = true;
        files.push({ path: full, bytes: 0, present: false, ...(paths.length === 1 ? { expectedBytes: expected } : {}) });
        missingShards.add(p);
      } else {
        present += size;
        // A group in one shard says exactly how large that shard must be.
        files.push({ path: full, bytes: size, present: true, ...(paths.length === 1 ? { expectedBytes: expected } : {}) });
      }
    }
    if (!anyMissing && present !== expected) {
      problems.push(
        finding(
          'shard-size-mismatch',
          null,
          null,
          `weight group ${g + 1} (${paths.join(', ')}) holds ${thousands(present)} bytes but its manifest needs ${thousands(expected)}`,
        ),
      );
    }
  }

  if (missingShards.size) {
    const total = seenPaths.size;
    const dir = dirName(file);
    problems.push(shardsMissing([...missingShards], total, 'model.json', dir === '.' ? 'beside it' : `in ${dir}`, true));
  }
  const config = isGraph ? null : (topology ?? null);
  const mc = (topology?.model_config ?? topology) as Record<string, unknown> | undefined;
  const meta: Record<string, string> = {};
  for (const k of ['format', 'generatedBy', 'convertedBy'] as const) if (typeof doc[k] === 'string') meta[k] = doc[k] as string;
  if (opts.manifestOnly) meta.shards = 'not checked';
  // tfjs-layers writes its own version where Keras writes keras_version (`tfjs-layers 4.22.0`); the
  // converter keeps the Keras version of the file it converted.
  const kv = topology?.keras_version ?? mc?.keras_version;
  const recorded = typeof kv === 'string' ? kv : null;
  if (isGraph) {
    problems.push(
      finding('graph-model', null, null, 'TF.js graph model: it has no Keras layer configs, so only stored tensor counts are reported'),
    );
  }
  return {
    file,
    format: isGraph ? 'tfjs-graph' : 'tfjs-layers',
    kerasVersion: recorded !== null && !/^tfjs/i.test(recorded) ? recorded : null,
    producer: tfjsProducer(doc, recorded),
    backend: typeof topology?.backend === 'string' ? topology.backend : null,
    config,
    trainingConfig: (topology?.training_config as unknown) ?? (doc.trainingConfig as unknown) ?? null,
    tensors,
    optimizer: [],
    files,
    problems,
    matchBy: 'name',
    meta,
  };
}

function toTensor(file: string, w: ManifestWeight, group: number): StoredTensor {
  if (typeof w !== 'object' || w === null)
    throw new InputError(file, `weightsManifest group ${group + 1} has an entry that is not an object`);
  const name = typeof w.name === 'string' ? w.name : '';
  const shape = Array.isArray(w.shape) ? w.shape : null;
  if (!name || !shape?.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw new InputError(file, `weightsManifest group ${group + 1} has an entry with no name or an invalid shape`);
  }
  const logical = typeof w.dtype === 'string' ? w.dtype : 'float32';
  const q = typeof w.quantization?.dtype === 'string' ? w.quantization.dtype : null;
  const stored = q ?? logical;
  const per = TFJS_DTYPES.has(stored) ? DTYPE_BYTES[stored] : undefined;
  if (per === undefined) throw new InputError(file, `weight ${name} has unsupported dtype ${stored}`);
  const slash = name.indexOf('/');
  return {
    layerKey: slash > 0 ? name.slice(0, slash) : name,
    name,
    shape: shape as number[],
    dtype: stored,
    bytes: elements(shape as number[]) * per,
    ...(q ? { logicalDtype: logical } : {}),
  };
}

/**
 * A shard path that stays inside model.json's folder: relative, no `..`, no scheme, no drive, no NUL, as
 * written and as a URL-based loader (TF.js `fetch`) reads it after percent-decoding (`%2e%2e/x.bin`).
 */
export function isLocalShardPath(p: string): boolean {
  let decoded = p;
  for (let i = 0; i < 3 && decoded.includes('%'); i++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      break; // a malformed escape: read as written
    }
  }
  return localPath(p) && (decoded === p || localPath(decoded));
}

/** Not empty, no NUL, not absolute, no scheme, no `..` segment (spaces around it included). */
function localPath(s: string): boolean {
  if (!s || s.includes('\0') || s.startsWith('/') || s.startsWith('\\') || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s)) return false;
  return !s.includes('..') || !s.split(/[\\/]/).some((seg) => seg === '..' || seg.trim() === '..');
}

/** Who wrote a model.json: the converter, else the library (`TensorFlow.js tfjs-layers 4.22.0`), as the file says. */
function tfjsProducer(doc: Record<string, unknown>, recorded: string | null): string | null {
  const by = typeof doc.convertedBy === 'string' ? doc.convertedBy : typeof doc.generatedBy === 'string' ? doc.generatedBy : null;
  if (by) return by.replace(/ v(\d)/, ' $1');
  return recorded && /^tfjs/i.test(recorded) ? `TensorFlow.js ${recorded}` : null;
}
