// SHA-256 of the model's files for the card, with the Web Crypto API (Node and browsers alike).
import { sha256Hex } from '../gate/summary.js';
import { type ByteSource, readAll } from '../io/byte-source.js';
import type { FileEntry } from '../model/types.js';

/**
 * Hashes each present file the report lists, opened through `open` (a file that cannot be opened, or one
 * inside an archive the caller cannot reach, is left out: the card says "not computed").
 */
export async function sha256Files(files: FileEntry[], open: (path: string) => ByteSource | null): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of files) {
    if (!f.present) continue;
    const src = open(f.path);
    if (!src) continue;
    try {
      out[f.path] = await sha256Hex(readAll(src));
    } finally {
      src.close();
    }
  }
  return out;
}
