// Keras 3 `.keras` archives: a zip with `config.json`, `metadata.json` and `model.weights.h5`. Keras stores
// the weights member uncompressed, and HDF5 then reads it in place inside the archive. A compressed one
// (an archive re-zipped by hand) is streamed to a private temporary file that is removed afterwards.
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../model/errors.js';
import type { Finding, SavedModel } from '../model/types.js';
import { dropReported, scanHdf5 } from '../security/hdf5.js';
import { H5File } from './hdf5.js';
import { parseJson } from './json.js';
import { Keras3Collector } from './keras3-weights.js';
import { fileEntry } from './keras-h5.js';
import { withTempDir } from './temp.js';
import { ZipArchive, type ZipMember } from './zip.js';

export const CONFIG_LIMIT = 64 * 1024 * 1024;

export async function loadKeras3(file: string): Promise<SavedModel> {
  const zip = await ZipArchive.open(file);
  try {
    const configMember = zip.find('config.json');
    if (!configMember) throw new InputError(file, 'zip archive has no config.json: not a Keras 3 .keras file');
    const config = parseJson(file, (await zip.read(configMember, CONFIG_LIMIT)).toString('utf8'), 'config.json');
    const metaMember = zip.find('metadata.json');
    const metadata = metaMember ? parseJson(file, (await zip.read(metaMember, 1024 * 1024)).toString('utf8'), 'metadata.json') : null;
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
      files: [fileEntry(file)],
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
      base.problems.push({
        severity: 'warning',
        code: 'no-weights',
        layer: null,
        weight: null,
        message: 'the archive has no model.weights.h5: counts come from the config alone',
      });
      return base;
    }
    const members: ZipMember[] = [];
    if (weightsMember) members.push(weightsMember);
    else {
      // A sharded save: model.weights.json maps variable groups to model_00000.weights.h5, …
      const index = parseJson(file, (await zip.read(shardIndex!, CONFIG_LIMIT)).toString('utf8'), 'model.weights.json');
      for (const name of shardNames(index)) {
        const m = zip.find(name);
        if (m) members.push(m);
        else base.problems.push(shardMissing(name));
      }
      base.meta.weightShards = String(members.length);
    }
    const collector = new Keras3Collector();
    const hazards: Finding[] = [];
    for (const m of members) {
      const { h5, scanned } = await openWeights(zip, m, file);
      try {
        collector.add(h5);
        hazards.push(...(scanned ?? scanHdf5(h5)));
      } finally {
        h5.close();
      }
    }
    const w = collector.result();
    base.tensors = w.tensors;
    base.optimizer = w.optimizer;
    base.problems.push(...w.problems);
    base.problems.push(...dropReported(hazards, w.problems));
    base.configNames = Object.fromEntries(w.configNames);
    return base;
  } finally {
    zip.close();
  }
}

/** The shard files a Keras 3 `*.weights.json` index names, in shard order. */
export function shardNames(index: unknown): string[] {
  const map = (index as { weight_map?: unknown } | null)?.weight_map;
  if (!map || typeof map !== 'object') return [];
  return [...new Set(Object.values(map as Record<string, unknown>).filter((v): v is string => typeof v === 'string'))].sort();
}

export function shardMissing(name: string): Finding {
  return { severity: 'error', code: 'shard-missing', layer: null, weight: null, message: `weight shard ${name} named by the sharding index is missing; Keras cannot load these weights` };
}

/** A compressed weights member declaring more than this (and 100× the archive) is not inflated (zip bomb). */
export const WEIGHTS_INFLATE_LIMIT = 1024 ** 3;

/**
 * Opens a weights member as HDF5: in place when stored, else from a private copy. A copy's HDF5 security
 * scan (`scanned`) is made before the copy's name is removed, since the scan reads header bytes by path.
 */
async function openWeights(zip: ZipArchive, member: ZipMember, file: string): Promise<{ h5: H5File; scanned: Finding[] | null }> {
  const label = `${file}!${member.name}`;
  if (member.compressed && member.uncompressedSize > WEIGHTS_INFLATE_LIMIT && member.uncompressedSize > 100 * fs.statSync(file).size) {
    throw new InputError(file, `${member.name} declares ${member.uncompressedSize} bytes from a ${member.compressedSize}-byte compressed member: refusing to inflate it (zip bomb)`);
  }
  if (!member.compressed) {
    return { h5: await H5File.openSlice(file, await zip.dataOffset(member), member.uncompressedSize, label), scanned: null };
  }
  return withTempDir(async (dir) => {
    try {
      const tmp = path.join(dir, 'weights.h5');
      await zip.extractTo(member, tmp);
      // HDF5 keeps its own descriptor: the copy's name can go when this returns, so nothing is left behind
      // even if the process dies before the file is closed. The header scan reads the copy's bytes by path,
      // so it runs first.
      const h5 = await H5File.open(tmp);
      try {
        return { h5, scanned: scanHdf5(h5) };
      } catch (e) {
        h5.close();
        throw e;
      }
    } catch (e) {
      throw new InputError(file, `${member.name} inside the archive is ${(e as Error).message}`);
    }
  });
}
