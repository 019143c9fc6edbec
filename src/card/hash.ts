// SHA-256 of the model's files for the card (src/io/sha256.ts; the Node front end streams files from disk).
import type { ByteSource } from '../io/byte-source.js';
import { sha256Source } from '../io/sha256.js';
import type { FileEntry } from '../model/types.js';

/**
 * Hashes each present file the report lists, opened through `open` (a file that cannot be opened, or one
 * inside an archive the caller cannot reach, is left out: the card says "not computed"). `hash` replaces
 * the reading of a whole source (the Node front end streams the file from disk).
 */
export async function sha256Files(
  files: FileEntry[],
  open: (path: string) => ByteSource | null,
  hash: (src: ByteSource) => Promise<string> = sha256Source,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of files) {
    if (!f.present) continue;
    const src = open(f.path);
    if (!src) continue;
    try {
      out[f.path] = await hash(src);
    } finally {
      src.close();
    }
  }
  return out;
}
