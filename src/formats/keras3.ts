// Keras 3 `.keras` archives: a zip with `config.json`, `metadata.json` and `model.weights.h5` (or a sharded
// save's `model.weights.json` and shards). Keras stores the weights uncompressed, and HDF5 then reads them in
// place inside the archive. A compressed one (an archive re-zipped by hand) is inflated into memory, or,
// when large, into the host's scratch space (the Node adapter: a private temporary file, removed at once).
import { type ByteSource, MemorySource, SliceSource, utf8 } from '../io/byte-source.js';
import { BUDGETS, overBudget } from '../model/budgets.js';
import { InputError } from '../model/errors.js';
import { finding } from '../model/findings.js';
import type { Finding, SavedModel } from '../model/types.js';
import { H5File } from './hdf5.js';
import { parseJson } from './json.js';
import { fileEntry } from './keras-h5.js';
import type { Scratch } from './options.js';
import { addWeightsFile, shardMissing, shardNames } from './shards.js';
import { Keras3Collector } from './keras3-weights.js';
import { ZipArchive, type ZipMember } from './zip.js';

/** Compressed weights members up to this size are inflated in memory; larger ones go to scratch space. */
export const IN_MEMORY_INFLATE_LIMIT = 256 * 1024 ** 2;

export async function loadKeras3(src: ByteSource, scratch?: Scratch): Promise<SavedModel> {
  const file = src.name;
  const zip = await ZipArchive.open(src);
  try {
    const configMember = zip.find('config.json');
    if (!configMember) throw new InputError(file, 'zip archive has no config.json: not a Keras 3 .keras file');
    const config = parseJson(file, utf8(await zip.read(configMember, BUDGETS.jsonBytes, 'jsonBytes')), 'config.json');
    const metaMember = zip.find('metadata.json');
    const metadata = metaMember ? parseJson(file, utf8(await zip.read(metaMember, BUDGETS.jsonBytes, 'jsonBytes')), 'metadata.json') : null;
    const md = (metadata ?? {}) as Record<string, unknown>;
    const weightsMember = zip.find('model.weights.h5');
    const shardIndex = weightsMember ? undefined : zip.find('model.weights.json');
    const base: SavedModel = {
      file,
      format: 'keras-v3',
      kerasVersion: typeof md.keras_version === 'string' ? md.keras_version : null,
      backend: null,
      config,
      trainingConfig: (config as Record<string, unknown> | null)?.compile_config ?? null,
      tensors: [],
      optimizer: [],
      files: [fileEntry(src)],
      problems: [],
      matchBy: 'order',
      meta: typeof md.date_saved === 'string' ? { dateSaved: md.date_saved } : {},
      archiveMembers: zip.members.map((m) => ({
        name: m.name,
        compressedSize: m.compressedSize,
        uncompressedSize: m.uncompressedSize,
        compressed: m.compressed,
      })),
    };
    if (!weightsMember && !shardIndex) {
      base.problems.push(finding('no-weights', null, null, 'the archive has no model.weights.h5: counts come from the config alone'));
      return base;
    }
    const members: ZipMember[] = [];
    if (weightsMember) members.push(weightsMember);
    else {
      // A sharded save: model.weights.json maps variable groups to model_00000.weights.h5, …
      const index = parseJson(file, utf8(await zip.read(shardIndex!, BUDGETS.jsonBytes, 'jsonBytes')), 'model.weights.json');
      for (const name of shardNames(index)) {
        const m = zip.find(name);
        if (m) members.push(m);
        else base.problems.push(shardMissing(name));
      }
      base.meta.weightShards = String(members.length);
    }
    // A zip bomb is refused before any member is inflated: what all compressed weights members declare
    // together counts (a sharded bomb declares a little under the limit in each of many shards).
    const inflating = members.filter((m) => m.compressed).reduce((n, m) => n + m.uncompressedSize, 0);
    if (inflating > BUDGETS.inflateBytes && inflating > 100 * src.size) {
      throw overBudget(file, 'inflateBytes', `the compressed weights members declare ${inflating} bytes from a ${src.size}-byte archive: refusing to inflate them (zip bomb)`);
    }
    const collector = new Keras3Collector();
    const hazards: Finding[] = [];
    for (const m of members) addWeightsFile(collector, await openWeights(zip, m, scratch), hazards);
    const w = collector.result();
    base.tensors = w.tensors;
    base.optimizer = w.optimizer;
    for (const p of w.problems.concat(hazards)) base.problems.push(p);
    base.configNames = Object.fromEntries(w.configNames);
    return base;
  } finally {
    await zip.close();
  }
}

/** Opens a weights member as HDF5: in place when stored, else from an inflated copy. */
async function openWeights(zip: ZipArchive, member: ZipMember, scratch: Scratch | undefined): Promise<H5File> {
  const file = zip.source.name;
  const label = `${file}!${member.name}`;
  if (!member.compressed) {
    return H5File.open(new SliceSource(zip.source, zip.dataOffset(member), member.uncompressedSize, label), label);
  }
  let copy: ByteSource;
  if (member.uncompressedSize <= IN_MEMORY_INFLATE_LIMIT || !scratch) {
    copy = MemorySource.of(label, await zip.read(member, Math.max(member.uncompressedSize, IN_MEMORY_INFLATE_LIMIT)));
  } else {
    copy = await scratch.store((write) => zip.inflate(member, write));
  }
  try {
    return await H5File.open(copy, label);
  } catch (e) {
    copy.close();
    throw e;
  }
}
