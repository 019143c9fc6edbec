// Keras 3 `.keras` archives: a zip with `config.json`, `metadata.json` and `model.weights.h5` (or a sharded
// save's `model.weights.json` and shards). Keras stores the weights uncompressed, and HDF5 then reads them in
// place inside the archive. A compressed one (an archive re-zipped by hand) is inflated into memory, or,
// when large, into the host's scratch space (the Node adapter: a private temporary file, removed at once).
import { type ByteSource, MemorySource, SliceSource, utf8 } from '../io/byte-source.js';
import { overBudget } from '../model/budgets.js';
import { InputError } from '../model/errors.js';
import { finding } from '../model/findings.js';
import type { FileEntry, Finding, LoadedModel } from '../model/types.js';
import { type Hdf5OpenOptions, type Hdf5Reader, openHdf5 } from '../hdf5/index.js';
import { parseJson } from './json.js';
import { fileEntry } from './files.js';
import type { Scratch } from './options.js';
import { shardNames, shardsMissing } from './shards.js';
import { addWeightsFile, Keras3Collector } from './keras3-weights.js';
import { ZipArchive, type ZipMember } from './zip.js';

/** Compressed weights members up to this size are inflated in memory; larger ones go to scratch space. */
export const IN_MEMORY_INFLATE_LIMIT = 256 * 1024 ** 2;

export async function loadKeras3(src: ByteSource, scratch: Scratch | undefined, how: Hdf5OpenOptions): Promise<LoadedModel> {
  const file = src.name;
  const zip = await ZipArchive.open(src);
  try {
    const configMember = zip.find('config.json');
    if (!configMember) throw new InputError(file, 'zip archive has no config.json: not a Keras 3 .keras file');
    const config = parseJson(
      file,
      utf8(await zip.read(configMember, how.budgets.jsonBytes, 'jsonBytes', how.budgets)),
      'config.json',
      how.budgets,
    );
    const metaMember = zip.find('metadata.json');
    const metadata = metaMember
      ? parseJson(file, utf8(await zip.read(metaMember, how.budgets.jsonBytes, 'jsonBytes', how.budgets)), 'metadata.json', how.budgets)
      : null;
    const md = (metadata ?? {}) as Record<string, unknown>;
    const weightsMember = zip.find('model.weights.h5');
    const shardIndex = weightsMember ? undefined : zip.find('model.weights.json');
    const base = keras3Model(file, config, md, [fileEntry(src)], {});
    base.archiveMembers = zip.members.map((m) => ({
      name: m.name,
      compressedSize: m.compressedSize,
      uncompressedSize: m.uncompressedSize,
      compressed: m.compressed,
    }));
    if (!weightsMember && !shardIndex) {
      base.problems.push(finding('no-weights', null, null, 'the archive has no model.weights.h5: counts come from the config alone'));
      return base;
    }
    const members: ZipMember[] = [];
    if (weightsMember) members.push(weightsMember);
    else {
      // A sharded save: model.weights.json maps variable groups to model_00000.weights.h5, …
      const index = parseJson(
        file,
        utf8(await zip.read(shardIndex!, how.budgets.jsonBytes, 'jsonBytes', how.budgets)),
        'model.weights.json',
        how.budgets,
      );
      const names = shardNames(index);
      const missing: string[] = [];
      for (const name of names) {
        const m = zip.find(name);
        if (m) members.push(m);
        else missing.push(name);
      }
      if (missing.length) base.problems.push(shardsMissing(missing, names.length, 'model.weights.json', 'in the archive', false));
      base.meta.weightShards = String(members.length);
    }
    // A zip bomb is refused before any member is inflated: what all compressed weights members declare
    // together counts (a sharded bomb declares a little under the limit in each of many shards).
    const inflating = members.filter((m) => m.compressed).reduce((n, m) => n + m.uncompressedSize, 0);
    if (inflating > how.budgets.inflateBytes && inflating > 100 * src.size) {
      throw overBudget(
        file,
        'inflateBytes',
        `the compressed weights members declare ${inflating} bytes from a ${src.size}-byte archive: refusing to inflate them (zip bomb)`,
        how.budgets,
      );
    }
    const collector = new Keras3Collector();
    const hazards: Finding[] = [];
    for (const m of members) {
      const { h5, copy } = await openWeights(zip, m, scratch, how);
      try {
        addWeightsFile(collector, h5, hazards);
      } finally {
        copy?.close();
      }
    }
    return withWeights(base, collector, hazards);
  } finally {
    await zip.close();
  }
}

/**
 * A `.keras` archive unzipped into a folder, read from its `config.json` (given directly, or found in the
 * folder the user gave): `metadata.json` and `model.weights.h5` (or `model.weights.json` and its shards) beside it.
 */
export async function loadKeras3Folder(configSrc: ByteSource, _scratch: Scratch | undefined, how: Hdf5OpenOptions): Promise<LoadedModel> {
  const file = configSrc.name;
  if (configSrc.size > how.budgets.jsonBytes) throw overBudget(file, 'jsonBytes', `config.json is ${configSrc.size} bytes`, how.budgets);
  const config = parseJson(file, utf8(configSrc.read(0, configSrc.size)), 'config.json', how.budgets);
  const metaSrc = configSrc.sibling('metadata.json');
  let md: Record<string, unknown> = {};
  const files = [fileEntry(configSrc)];
  if (metaSrc && !metaSrc.list?.()) {
    try {
      const doc =
        metaSrc.size <= 1024 * 1024 ? parseJson(metaSrc.name, utf8(metaSrc.read(0, metaSrc.size)), 'metadata.json', how.budgets) : null;
      if (doc && typeof doc === 'object') md = doc as Record<string, unknown>;
      files.push(fileEntry(metaSrc));
    } finally {
      metaSrc.close();
    }
  }
  const base = keras3Model(file, config, md, files, { layout: 'unzipped .keras folder' });
  const collector = new Keras3Collector();
  const hazards: Finding[] = [];
  const weights = configSrc.sibling('model.weights.h5');
  const index = weights ? null : configSrc.sibling('model.weights.json');
  if (weights) {
    files.push(fileEntry(weights));
    try {
      addWeightsFile(collector, await openHdf5(weights, weights.name, how), hazards);
    } finally {
      weights.close();
    }
  } else if (index) {
    files.push(fileEntry(index));
    if (index.size > how.budgets.jsonBytes)
      throw overBudget(index.name, 'jsonBytes', `model.weights.json is ${index.size} bytes`, how.budgets);
    const doc = parseJson(index.name, utf8(index.read(0, index.size)), 'model.weights.json', how.budgets);
    index.close();
    let read = 0;
    const names = shardNames(doc);
    const missing: string[] = [];
    for (const name of names) {
      const shard = /^[^/\\]+$/.test(name) && name !== '..' ? configSrc.sibling(name) : null;
      if (!shard) {
        missing.push(name);
        continue;
      }
      files.push(fileEntry(shard));
      try {
        addWeightsFile(collector, await openHdf5(shard, shard.name, how), hazards);
      } finally {
        shard.close();
      }
      read++;
    }
    if (missing.length) base.problems.push(shardsMissing(missing, names.length, 'model.weights.json', 'beside it', false));
    base.meta.weightShards = String(read);
  } else {
    base.problems.push(finding('no-weights', null, null, 'the folder has no model.weights.h5: counts come from the config alone'));
    return base;
  }
  return withWeights(base, collector, hazards);
}

/** A Keras 3 model (archive or unzipped folder) before its weights are read. */
function keras3Model(
  file: string,
  config: unknown,
  md: Record<string, unknown>,
  files: FileEntry[],
  meta: Record<string, string>,
): LoadedModel {
  return {
    file,
    format: 'keras-v3',
    kerasVersion: typeof md.keras_version === 'string' ? md.keras_version : null,
    backend: null,
    config,
    trainingConfig: (config as Record<string, unknown> | null)?.compile_config ?? null,
    tensors: [],
    optimizer: [],
    files,
    problems: [],
    matchBy: 'order',
    meta: { ...meta, ...(typeof md.date_saved === 'string' ? { dateSaved: md.date_saved } : {}), ...presetMeta(config, md) },
  };
}

/**
 * A KerasHub preset (`save_to_preset`, and KerasHub repositories on the Hub): config.json registers the
 * backbone as `keras_hub>Class` (KerasNLP and KerasCV alike), metadata.json records the library's version and
 * the backbone's parameter count, which the audit compares with the stored total.
 */
function presetMeta(config: unknown, md: Record<string, unknown>): Record<string, string> {
  const registered = (config as Record<string, unknown> | null)?.registered_name;
  if (typeof registered !== 'string' || !/^keras_(hub|nlp|cv)>[^>]+$/.test(registered)) return {};
  const version = md.keras_hub_version ?? md.keras_nlp_version ?? md.keras_cv_version;
  const count = md.parameter_count;
  return {
    kerasHubClass: registered,
    ...(typeof version === 'string' ? { kerasHubVersion: version } : {}),
    ...(typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 ? { presetParameterCount: String(count) } : {}),
  };
}

/** The model with what its weights files held: variables, optimizer and metric state, their problems, then the HDF5 hazards. */
function withWeights(base: LoadedModel, collector: Keras3Collector, hazards: Finding[]): LoadedModel {
  const w = collector.result();
  base.tensors = w.tensors;
  base.optimizer = w.optimizer;
  base.metrics = w.metrics;
  base.modelVariables = w.trackers;
  for (const p of w.problems.concat(hazards)) base.problems.push(p);
  base.configNames = Object.fromEntries(w.configNames);
  return base;
}

/** Opens a weights member as HDF5: in place when stored, else from an inflated copy (the caller closes it). */
async function openWeights(
  zip: ZipArchive,
  member: ZipMember,
  scratch: Scratch | undefined,
  how: Hdf5OpenOptions,
): Promise<{ h5: Hdf5Reader; copy: ByteSource | null }> {
  const file = zip.source.name;
  const label = `${file}!${member.name}`;
  if (!member.compressed) {
    return {
      h5: await openHdf5(new SliceSource(zip.source, zip.dataOffset(member), member.uncompressedSize, label), label, how),
      copy: null,
    };
  }
  let copy: ByteSource;
  if (member.uncompressedSize <= IN_MEMORY_INFLATE_LIMIT || !scratch) {
    copy = MemorySource.of(label, await zip.read(member, Math.max(member.uncompressedSize, IN_MEMORY_INFLATE_LIMIT)));
  } else {
    copy = await scratch.store((write) => zip.inflate(member, write));
  }
  try {
    return { h5: await openHdf5(copy, label, how), copy };
  } catch (e) {
    copy.close();
    throw e;
  }
}
