// Decides a file's format from its bytes (never from its extension alone) and hands it to its loader.
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../model/errors.js';
import type { FileEntry, Finding, SavedModel } from '../model/types.js';
import { scanHdf5 } from '../security/hdf5.js';
import { H5File, isHdf5Signature } from './hdf5.js';
import { parseJson } from './json.js';
import { fileEntry, readKerasH5 } from './keras-h5.js';
import { loadKeras3, shardMissing, shardNames } from './keras3.js';
import { Keras3Collector, keras3WeightsModel } from './keras3-weights.js';
import { isLocalShardPath, loadTfjs, MODEL_JSON_LIMIT } from './tfjs.js';

export interface LoadOptions {
  /** Weights to pair with an architecture JSON: a weights HDF5 or a Keras 3 sharding index. */
  weights?: string;
  /** TF.js: inspect model.json without its shard files. */
  manifestOnly?: boolean;
}

type Kind = 'hdf5' | 'zip' | 'json';

function sniff(file: string): Kind {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new InputError(file, 'no such file');
  }
  if (st.isDirectory()) {
    if (fs.existsSync(path.join(file, 'saved_model.pb'))) {
      throw new InputError(file, 'is a TensorFlow SavedModel directory; kerascope reads Keras .h5/.keras files and TF.js model.json');
    }
    const inside = ['model.json', 'config.json'].find((f) => fs.existsSync(path.join(file, f)));
    throw new InputError(file, `is a directory, not a model file${inside ? ` (inspect ${path.join(file, inside)}?)` : ''}`);
  }
  if (st.size === 0) throw new InputError(file, 'empty file');
  const head = Buffer.alloc(8);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 8, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (isHdf5Signature(head)) return 'hdf5';
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6)) return 'zip';
  const first = head.toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart()[0];
  if (first === '{') return 'json';
  if (st.size < 8) throw new InputError(file, `too short (${st.size} bytes) to be a model file`);
  throw new InputError(file, 'not a Keras or TF.js model (neither HDF5, a zip archive, nor JSON)');
}

function readJsonText(file: string): string {
  const size = fs.statSync(file).size;
  if (size > MODEL_JSON_LIMIT) throw new InputError(file, `JSON file is ${size} bytes, over the ${MODEL_JSON_LIMIT}-byte limit`);
  return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
}

export async function loadModel(file: string, opts: LoadOptions = {}): Promise<SavedModel> {
  const kind = sniff(file);
  if (kind === 'hdf5') {
    if (opts.weights) throw new InputError(file, 'is an HDF5 model; --weights goes with an architecture JSON file');
    return withH5(file, (f) => readH5(f, file));
  }
  if (kind === 'zip') {
    if (opts.weights) throw new InputError(file, 'is a .keras archive; --weights goes with an architecture JSON file');
    return loadKeras3(file);
  }
  const text = readJsonText(file);
  const doc = parseJson(file, text, 'JSON file');
  const obj = doc as Record<string, unknown>;
  if (obj && typeof obj === 'object' && ('modelTopology' in obj || 'weightsManifest' in obj)) {
    if (opts.weights) throw new InputError(file, 'is a TF.js model.json; its weights are the shard files next to it');
    return loadTfjs(file, text, opts);
  }
  if (obj && typeof obj === 'object' && 'weight_map' in obj) {
    if (opts.weights) throw new InputError(file, 'is a sharded weights index; give the architecture JSON first and this file with --weights');
    return readWeightsFile(file);
  }
  if (!obj || typeof obj !== 'object' || typeof obj.class_name !== 'string') {
    throw new InputError(file, 'JSON file is neither a Keras architecture (no class_name) nor a TF.js model.json');
  }
  if (opts.weights) return pairArchitecture(file, obj, opts.weights);
  const companion = companionWeights(file);
  if (companion) {
    const saved = await pairArchitecture(file, obj, companion);
    saved.problems.unshift({
      severity: 'info',
      code: 'companion-weights',
      layer: null,
      weight: null,
      message: `weights read from ${path.basename(companion)} next to the architecture (pass --weights to choose another file)`,
    });
    return saved;
  }
  return architectureOnly(file, obj);
}

/**
 * The weights file saved beside an architecture JSON under the usual names (`X.json` → `X_weights.h5`,
 * `X.weights.h5`, `X.h5`, `.hdf5` alike, or a Keras 3 sharding index `X.weights.json`), when exactly one
 * of them exists.
 */
function companionWeights(archFile: string): string | null {
  const dir = path.dirname(archFile);
  const stem = path.basename(archFile).replace(/\.json$/i, '');
  const found = ['_weights.h5', '.weights.h5', '.h5', '_weights.hdf5', '.hdf5', '.weights.json']
    .map((suffix) => path.join(dir, stem + suffix))
    .filter((p) => fs.existsSync(p) && fs.statSync(p).isFile());
  return found.length === 1 ? found[0]! : null;
}

/** A Keras HDF5 file with the whole-file HDF5 security checks (links, external storage, shape bombs). */
function readH5(f: H5File, file: string): SavedModel {
  const saved = readKerasH5(f, file);
  saved.problems.push(...scanHdf5(f, saved.problems));
  return saved;
}

async function withH5<T>(file: string, fn: (f: H5File) => T): Promise<T> {
  const f = await H5File.open(file);
  try {
    return fn(f);
  } finally {
    f.close();
  }
}

/** An architecture JSON with its weights: legacy `save_weights` HDF5, a Keras 3 `.weights.h5`, or a sharding index. */
async function pairArchitecture(archFile: string, config: Record<string, unknown>, weightsFile: string): Promise<SavedModel> {
  const w = await readWeightsFile(weightsFile);
  return {
    ...w,
    file: archFile,
    format: 'keras-h5-weights',
    config,
    kerasVersion: typeof config.keras_version === 'string' ? config.keras_version : w.kerasVersion,
    backend: typeof config.backend === 'string' ? config.backend : w.backend,
    files: [fileEntry(archFile), ...w.files],
    meta: { ...w.meta, weightsFile },
  };
}

/** A weights file: legacy or Keras 3 HDF5, or a Keras 3 sharded index (`*.weights.json`) with its shards. */
async function readWeightsFile(file: string): Promise<SavedModel> {
  const kind = sniff(file);
  if (kind === 'hdf5') return withH5(file, (f) => readH5(f, file));
  if (kind !== 'json') throw new InputError(file, 'the weights file is neither HDF5 nor a sharded weights index (.weights.json)');
  const index = parseJson(file, readJsonText(file), 'sharding index');
  const names = shardNames(index);
  if (!names.length) throw new InputError(file, 'the JSON weights file has no weight_map naming its shard files');
  const dir = path.dirname(file);
  const problems: Finding[] = [];
  const files: FileEntry[] = [fileEntry(file)];
  const collector = new Keras3Collector();
  let read = 0;
  for (const name of names) {
    const shard = path.join(dir, name);
    if (!isLocalShardPath(name)) {
      problems.push({ severity: 'error', code: 'shard-path-outside', layer: null, weight: null, message: `weight shard path "${name}" leaves the weights' folder; kerascope did not open it` });
    } else if (!fs.existsSync(shard)) {
      problems.push(shardMissing(name));
      files.push({ path: shard, bytes: 0, present: false });
    } else {
      await withH5(shard, (h) => {
        collector.add(h);
        problems.push(...scanHdf5(h, problems));
      });
      files.push(fileEntry(shard));
      read++;
    }
  }
  return keras3WeightsModel(file, collector.result(), files, problems, read);
}

function architectureOnly(file: string, config: Record<string, unknown>): SavedModel {
  return {
    file,
    format: 'keras-json',
    kerasVersion: typeof config.keras_version === 'string' ? config.keras_version : null,
    backend: typeof config.backend === 'string' ? config.backend : null,
    config,
    trainingConfig: null,
    tensors: [],
    optimizer: [],
    files: [fileEntry(file)],
    problems: [
      {
        severity: 'info',
        code: 'architecture-only',
        layer: null,
        weight: null,
        message: 'architecture JSON without weights: counts come from the config alone (pass --weights FILE to check them)',
      },
    ],
    matchBy: 'name',
    meta: {},
  };
}
