// Checks over a `.keras` zip's central directory (LoadedModel.archiveMembers): what Keras would extract or
// read that a well-formed archive does not contain. Member data is never read here.
import { finding } from '../model/findings.js';
import type { Finding, LoadedModel } from '../model/types.js';
import { thousands } from '../model/text.js';

/** What Keras 3 writes into a `.keras` archive. */
const EXPECTED = new Set(['config.json', 'metadata.json', 'model.weights.h5', 'model.weights.npz', 'model.weights.json']);
/** Shards of a sharded save (Keras 3 `max_shard_size`): `model_00000.weights.h5`, … */
const SHARD = /^model_\d{5,}\.weights\.h5$/;

/** Declared uncompressed bytes above this, and this many times the archive's size, is a zip bomb. */
export const BOMB_MIN_BYTES = 1024 ** 3;
export const BOMB_RATIO = 100;

export function isTraversal(name: string): boolean {
  if (name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name)) return true;
  return name.split(/[\\/]/).includes('..');
}

export function scanArchive(saved: LoadedModel): Finding[] {
  const members = saved.archiveMembers;
  if (!members) return [];
  const out: Finding[] = [];
  const counts = new Map<string, number>();
  for (const m of members) counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
  for (const [name, n] of counts) {
    if (n > 1) {
      out.push(
        finding(
          'zip-duplicate-member',
          null,
          null,
          `the archive lists ${JSON.stringify(name)} ${n} times: kerascope reads the first, Python's zipfile (and so Keras) the last, so what is inspected may not be what loads`,
        ),
      );
    }
  }
  const flagged = new Set<string>();
  for (const m of members) {
    if (flagged.has(m.name)) continue;
    flagged.add(m.name);
    if (isTraversal(m.name)) {
      out.push(
        finding(
          'zip-path-traversal',
          null,
          null,
          `archive member ${JSON.stringify(m.name)} has an absolute or \`..\` path: an extractor would write outside its folder`,
        ),
      );
    } else if (!EXPECTED.has(m.name) && !SHARD.test(m.name) && !/^assets(\/|$)/.test(m.name)) {
      out.push(
        finding(
          'zip-unexpected-member',
          null,
          null,
          `archive member ${JSON.stringify(m.name)} is not part of a Keras archive (config.json, metadata.json, model.weights.h5, assets/)`,
        ),
      );
    }
  }
  // The archive is the first file the loader read.
  const archiveBytes = saved.files[0]?.bytes ?? 0;
  const declared = members.reduce((n, m) => n + m.uncompressedSize, 0);
  if (declared > BOMB_MIN_BYTES && declared > BOMB_RATIO * archiveBytes) {
    const biggest = [...members].sort((a, b) => b.uncompressedSize - a.uncompressedSize)[0]!;
    out.push(
      finding(
        'zip-bomb',
        null,
        null,
        `the archive's members declare ${thousands(declared)} bytes uncompressed from a ${thousands(archiveBytes)}-byte file (largest: ${JSON.stringify(biggest.name)}, ${thousands(biggest.uncompressedSize)} bytes): extracting it would exhaust disk or memory`,
      ),
    );
  }
  return out;
}
