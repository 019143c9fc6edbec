// SHA-256 of a file on disk, streamed (a weights file of any size is never held whole); the same hex as
// sha256Hex (src/io/sha256.ts), which the core uses.
import fs from 'node:fs';

export async function sha256File(file: string): Promise<string> {
  // Loaded here, not at start-up: only a run that hashes files needs it.
  const { createHash } = await import('node:crypto');
  const h = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}
