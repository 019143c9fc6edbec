// Keras 3 weights split over several HDF5 files (a sharded save): the index names the shards, each is read
// in shard order into one collector. Used by `.keras` archives (shards are members) and by weights files
// beside an architecture (shards are sibling files).
import { finding } from '../model/findings.js';
import type { Finding } from '../model/types.js';
import type { Hdf5Reader } from '../hdf5/index.js';
import { scanHdf5 } from '../hdf5/index.js';
import type { Keras3Collector } from './keras3-weights.js';

/** The shard files a Keras 3 `*.weights.json` index names, in shard order. */
export function shardNames(index: unknown): string[] {
  const map = (index as { weight_map?: unknown } | null)?.weight_map;
  if (!map || typeof map !== 'object') return [];
  return [...new Set(Object.values(map as Record<string, unknown>).filter((v): v is string => typeof v === 'string'))].sort();
}

export function shardMissing(name: string): Finding {
  return finding(
    'shard-missing',
    null,
    null,
    `weight shard ${name} named by the sharding index is missing; Keras cannot load these weights`,
  );
}

/** Adds one open weights file (a whole file or one shard) to the collector with its HDF5 scan, then closes it. */
export function addWeightsFile(collector: Keras3Collector, h5: Hdf5Reader, problems: Finding[]): void {
  try {
    collector.add(h5);
    for (const item of scanHdf5(h5)) problems.push(item);
  } finally {
    h5.close();
  }
}
