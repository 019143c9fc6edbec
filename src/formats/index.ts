// Decides an input's format from its bytes (never from its extension alone) and hands it to its loader.
// Everything is read through a ByteSource; nothing here knows about files on disk.
import { type ByteSource, utf8 } from '../io/byte-source.js';
import { baseName, dirName, joinPath } from '../io/paths.js';
import { InputError } from '../model/errors.js';
import { finding } from '../model/findings.js';
import type { FileEntry, Finding, LoadedModel } from '../model/types.js';
import { damaged } from '../hdf5/errors.js';
import type { Hdf5OpenOptions, Hdf5Reader } from '../hdf5/index.js';
import { isHdf5Signature } from '../hdf5/signature.js';
import { fileEntry } from './files.js';
import { parseJson } from './json.js';
import type { LoadOptions } from './options.js';
import { shardNames, shardsMissing } from './shards.js';
import { isLocalShardPath, loadTfjs } from './tfjs.js';
import { type Budgets, overBudget, resolveBudgets } from '../model/budgets.js';
import { isSavedModelPb } from './savedmodel/sniff.js';

// The readers of HDF5 (legacy .h5, Keras 3 .keras and .weights.h5) and of SavedModel's protobuf are loaded when
// an input needs one: a TF.js or architecture-only inspection never initializes them (the CLI's start-up).
const hdf5 = () => import('../hdf5/index.js');
const kerasH5 = () => import('./keras-h5.js');
const keras3 = () => import('./keras3.js');
const keras3Weights = () => import('./keras3-weights.js');
const savedModel = () => import('./savedmodel/index.js');

export type { LoadOptions, Scratch } from './options.js';

type Kind = 'hdf5' | 'zip' | 'json' | 'keras-dir' | 'savedmodel';

function sniff(src: ByteSource): Kind {
  const file = src.name;
  const entries = src.list?.() ?? null;
  if (entries !== null) {
    if (entries.includes('saved_model.pb')) return 'savedmodel';
    if (entries.includes('saved_model.pbtxt'))
      throw new InputError(
        file,
        'is a TensorFlow SavedModel in text format (saved_model.pbtxt); kerascope reads the binary saved_model.pb',
      );
    if (entries.includes('config.json') && (entries.includes('model.weights.h5') || entries.includes('model.weights.json')))
      return 'keras-dir';
    const inside = ['model.json', 'config.json'].find((f) => entries.includes(f));
    throw new InputError(file, `is a directory, not a model file${inside ? ` (inspect ${file.replace(/\/+$/, '')}/${inside}?)` : ''}`);
  }
  if (src.size === 0) throw new InputError(file, 'empty file');
  const head = src.read(0, 8);
  const kind = headKind(head);
  if (kind) return kind;
  if (isSavedModelPb(head, file)) return 'savedmodel';
  // JSON may open with a byte order mark and more white space than the first 8 bytes hold: look further.
  const text = src.read(0, Math.min(src.size, 4096));
  let i = text[0] === 0xef && text[1] === 0xbb && text[2] === 0xbf ? 3 : 0;
  while (i < text.length && (text[i] === 0x20 || text[i] === 0x09 || text[i] === 0x0a || text[i] === 0x0d)) i++;
  if (text[i] === 0x7b) return 'json';
  // A JSON array (a list of models, a dataset): JSON, but no model file starts that way.
  if (text[i] === 0x5b) throw new InputError(file, 'JSON, but not a Keras or TF.js model (a JSON array, not an object)');
  // A TF.js weight shard given instead of its manifest.
  const shardLike = /(^|[/\\])group\d+-shard\d+of\d+(\.bin)?$|\.bin$/i.test(file);
  const manifest = shardLike ? src.sibling('model.json') : null;
  if (manifest) manifest.close();
  if (shardLike) {
    const beside = manifest ? ` (${joinPath(dirName(file), 'model.json')})` : '';
    throw new InputError(file, `is a TF.js weight shard, not a model: pass the model.json beside it${beside}, which names its shards`);
  }
  throw new InputError(file, sniffHead(head, src.size)!);
}

/** The format the first 8 bytes of an input say, or null. */
function headKind(head: Uint8Array): 'hdf5' | 'zip' | 'json' | null {
  if (isHdf5Signature(head)) return 'hdf5';
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6)) return 'zip';
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (head[i] === 0x7b) return 'json';
  return null;
}

/**
 * Why the first 8 bytes of an input of `size` bytes (Infinity: not known yet, as on a pipe) cannot be a
 * model, or null when they can: what a streamed input is judged by before anything else is read.
 */
export function sniffHead(head: Uint8Array, size: number): string | null {
  if (headKind(head)) return null;
  if (size < 8) return `too short (${size} bytes) to be a model file`;
  return 'not a Keras or TF.js model (neither HDF5, a zip archive, nor JSON)';
}

function readJsonText(src: ByteSource, budgets: Budgets): string {
  if (src.size > budgets.jsonBytes) throw overBudget(src.name, 'jsonBytes', `the JSON file is ${src.size} bytes`, budgets);
  return utf8(src.read(0, src.size));
}

/**
 * Loads a model from its bytes. HDF5 is read by the TypeScript reader unless `opts.hdf5` chooses h5wasm's HDF5
 * library; the chosen reader's answer is final: a file it cannot read (damaged, or a structure it does not
 * follow) is one InputError naming the structure and where it is.
 */
export async function loadModel(src: ByteSource, opts: LoadOptions = {}): Promise<LoadedModel> {
  const how: Hdf5OpenOptions = {
    backend: opts.hdf5 ?? 'typescript',
    budgets: resolveBudgets(opts.budgets),
    ...(opts.isolation ? { isolation: opts.isolation } : {}),
  };
  try {
    return await loadWith(src, opts, how);
  } catch (e) {
    throw damaged(src.name, e);
  }
}

async function loadWith(src: ByteSource, opts: LoadOptions, how: Hdf5OpenOptions): Promise<LoadedModel> {
  const file = src.name;
  const { budgets } = how;
  const kind = sniff(src);
  if (kind === 'keras-dir') {
    // A `.keras` archive unzipped into a folder: config.json, metadata.json, model.weights.h5 (or shards).
    if (opts.weights) throw new InputError(file, 'is an unzipped .keras folder; --weights goes with an architecture JSON file');
    const config = src.sibling('config.json');
    if (!config) throw new InputError(file, 'the folder has no readable config.json');
    try {
      return await (await keras3()).loadKeras3Folder(config, opts.scratch, how);
    } finally {
      config.close();
    }
  }
  if (kind === 'savedmodel') {
    if (opts.weights) throw new InputError(file, 'is a TensorFlow SavedModel; its weights are the variables/ folder beside saved_model.pb');
    return (await savedModel()).loadSavedModel(src, how.budgets);
  }
  if (kind === 'hdf5') {
    if (opts.weights) throw new InputError(file, 'is an HDF5 model; --weights goes with an architecture JSON file');
    return readH5(await (await hdf5()).openHdf5(src, file, how));
  }
  if (kind === 'zip') {
    if (opts.weights) throw new InputError(file, 'is a .keras archive; --weights goes with an architecture JSON file');
    return (await keras3()).loadKeras3(src, opts.scratch, how);
  }
  const text = readJsonText(src, budgets);
  const doc = parseJson(file, text, 'JSON file', budgets);
  const obj = doc as Record<string, unknown>;
  if (obj && typeof obj === 'object' && ('modelTopology' in obj || 'weightsManifest' in obj)) {
    if (opts.weights) throw new InputError(file, 'is a TF.js model.json; its weights are the shard files next to it');
    return loadTfjs(src, doc, { ...opts, budgets });
  }
  if (obj && typeof obj === 'object' && 'weight_map' in obj) {
    if (opts.weights)
      throw new InputError(file, 'is a sharded weights index; give the architecture JSON first and this file with --weights');
    return readWeightsFile(src, how);
  }
  if (!obj || typeof obj !== 'object' || typeof obj.class_name !== 'string') {
    throw new InputError(
      file,
      'JSON, but not a Keras or TF.js model (no class_name of a Keras architecture, no modelTopology or weightsManifest of a TF.js model.json)',
    );
  }
  if (opts.weights) return pairArchitecture(src, obj, opts.weights, how);
  // The `config.json` of a `.keras` archive unzipped into a folder, beside its model.weights.h5.
  if (/^config\.json$/i.test(baseName(file)) && isKeras3Config(obj)) {
    const w = src.sibling('model.weights.h5') ?? src.sibling('model.weights.json');
    if (w) {
      w.close();
      return (await keras3()).loadKeras3Folder(src, opts.scratch, how);
    }
  }
  const { chosen: companion, others } = companionWeights(src);
  if (companion) {
    try {
      const saved = await pairArchitecture(src, obj, companion, how);
      const name = baseName(companion.name);
      saved.problems.unshift(
        others.length
          ? finding(
              'companion-weights-ambiguous',
              null,
              null,
              `weights read from ${name}, the first of ${[name, ...others].join(', ')} beside the architecture (pass --weights to choose another file)`,
            )
          : finding(
              'companion-weights',
              null,
              null,
              `weights read from ${name} next to the architecture (pass --weights to choose another file)`,
            ),
      );
      return saved;
    } finally {
      companion.close();
    }
  }
  return architectureOnly(src, obj);
}

/**
 * The weights file saved beside an architecture JSON under the usual names (`X.json` → `X_weights.h5`,
 * `X.weights.h5`, `X.h5`, `.hdf5` alike, or a Keras 3 sharding index `X.weights.json`): the first that
 * exists in that order, and the names of the others that exist too.
 */
function companionWeights(arch: ByteSource): { chosen: ByteSource | null; others: string[] } {
  const stem = baseName(arch.name).replace(/\.json$/i, '');
  const found = ['_weights.h5', '.weights.h5', '.h5', '_weights.hdf5', '.hdf5', '.weights.json']
    .map((suffix) => arch.sibling(stem + suffix))
    .filter((s): s is ByteSource => s !== null && !s.list?.());
  const [chosen = null, ...rest] = found;
  for (const s of rest) s.close();
  return { chosen, others: rest.map((s) => baseName(s.name)) };
}

/** A Keras 3 `config.json` (`module`/`registered_name` keys, or a `build_config`) rather than a Keras 2 architecture. */
function isKeras3Config(obj: Record<string, unknown>): boolean {
  return 'module' in obj || 'registered_name' in obj || 'build_config' in obj || 'compile_config' in obj;
}

/** A Keras HDF5 file with the whole-file HDF5 checks (links, external storage, shape bombs). */
async function readH5(f: Hdf5Reader): Promise<LoadedModel> {
  try {
    const [{ readKerasH5 }, { scanHdf5 }] = await Promise.all([kerasH5(), hdf5()]);
    const saved = readKerasH5(f);
    for (const item of scanHdf5(f)) saved.problems.push(item);
    return saved;
  } finally {
    f.close();
  }
}

/** An architecture JSON with its weights: legacy `save_weights` HDF5, a Keras 3 `.weights.h5`, or a sharding index. */
async function pairArchitecture(
  arch: ByteSource,
  config: Record<string, unknown>,
  weights: ByteSource,
  how: Hdf5OpenOptions,
): Promise<LoadedModel> {
  const w = await readWeightsFile(weights, how);
  return {
    ...w,
    file: arch.name,
    format: 'keras-h5-weights',
    config,
    kerasVersion: typeof config.keras_version === 'string' ? config.keras_version : w.kerasVersion,
    backend: typeof config.backend === 'string' ? config.backend : w.backend,
    files: [fileEntry(arch), ...w.files],
    meta: { ...w.meta, weightsFile: weights.name },
  };
}

/** A weights file: legacy or Keras 3 HDF5, or a Keras 3 sharded index (`*.weights.json`) with its shards. */
async function readWeightsFile(src: ByteSource, how: Hdf5OpenOptions): Promise<LoadedModel> {
  const kind = sniff(src);
  const { openHdf5 } = await hdf5();
  if (kind === 'hdf5') return readH5(await openHdf5(src, src.name, how));
  if (kind !== 'json') throw new InputError(src.name, 'the weights file is neither HDF5 nor a sharded weights index (.weights.json)');
  const index = parseJson(src.name, readJsonText(src, how.budgets), 'sharding index', how.budgets);
  const names = shardNames(index);
  if (!names.length) throw new InputError(src.name, 'the JSON weights file has no weight_map naming its shard files');
  const problems: Finding[] = [];
  const { addWeightsFile, Keras3Collector, keras3WeightsModel } = await keras3Weights();
  const files: FileEntry[] = [fileEntry(src)];
  const collector = new Keras3Collector();
  let read = 0;
  if (names.length > how.budgets.shardPaths)
    throw overBudget(src.name, 'shardPaths', `the sharding index names ${names.length} shard files`, how.budgets);
  const missing: string[] = [];
  for (const name of names) {
    const local = isLocalShardPath(name) && !src.escapes?.(name);
    const shard = local ? src.sibling(name) : null;
    if (!local) {
      problems.push(
        finding('shard-path-outside', null, null, `weight shard path "${name}" leaves the weights' folder; kerascope did not open it`),
      );
    } else if (!shard) {
      missing.push(name);
      files.push({ path: siblingName(src, name), bytes: 0, present: false });
    } else {
      files.push(fileEntry(shard));
      addWeightsFile(collector, await openHdf5(shard, shard.name, how), problems);
      shard.close();
      read++;
    }
  }
  if (missing.length) problems.push(shardsMissing(missing, names.length, baseName(src.name), 'beside it', false));
  return keras3WeightsModel(src.name, collector.result(), files, problems, read);
}

/** The name a sibling has, or would have when it is missing. */
export function siblingName(src: ByteSource, rel: string): string {
  return joinPath(dirName(src.name), rel);
}

function architectureOnly(src: ByteSource, config: Record<string, unknown>): LoadedModel {
  return {
    file: src.name,
    format: 'keras-json',
    kerasVersion: typeof config.keras_version === 'string' ? config.keras_version : null,
    backend: typeof config.backend === 'string' ? config.backend : null,
    config,
    trainingConfig: null,
    tensors: [],
    optimizer: [],
    files: [fileEntry(src)],
    problems: [
      finding(
        'architecture-only',
        null,
        null,
        'architecture JSON without weights: counts come from the config alone (pass --weights FILE to check them)',
      ),
    ],
    matchBy: 'name',
    meta: {},
  };
}
