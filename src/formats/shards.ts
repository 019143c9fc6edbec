// Keras 3 weights split over several HDF5 files (a sharded save): the index names the shards, each is read
// in shard order into one collector. Used by `.keras` archives (shards are members) and by weights files
// beside an architecture (shards are sibling files).
import { finding } from '../model/findings.js';
import { thousands } from '../model/text.js';
import type { Finding } from '../model/types.js';

/** The shard files a Keras 3 `*.weights.json` index names, in shard order. */
export function shardNames(index: unknown): string[] {
  const map = (index as { weight_map?: unknown } | null)?.weight_map;
  if (!map || typeof map !== 'object') return [];
  return [...new Set(Object.values(map as Record<string, unknown>).filter((v): v is string => typeof v === 'string'))].sort();
}

/** How many missing shard names a finding lists before it counts the rest. */
const LISTED = 10;

/**
 * One finding for every shard a manifest names that is not there: how many of how many, which ones (the
 * first ten, then a count), where they were looked for, and the way out.
 * @param where `beside model.json in models/x`, `in the archive`, …
 */
export function shardsMissing(missing: string[], total: number, manifest: string, where: string, tfjs: boolean): Finding {
  const listed = missing.slice(0, LISTED).join(', ');
  const more = missing.length > LISTED ? `, and ${thousands(missing.length - LISTED)} more` : '';
  const way = tfjs
    ? 'TF.js cannot load the weights: copy the shard files beside model.json, or pass --manifest-only to read model.json alone (counts from the manifest, shards not checked)'
    : 'Keras cannot load these weights: put the shard files where the index expects them';
  const all =
    missing.length === total
      ? total === 1
        ? 'the only weight shard'
        : `all ${thousands(total)} weight shards`
      : `${thousands(missing.length)} of ${thousands(total)} weight shards`;
  return finding(
    'shard-missing',
    null,
    null,
    `${all} named by ${manifest} ${missing.length === 1 ? 'is' : 'are'} missing (looked for ${where}): ${listed}${more}. ${way}`,
  );
}
