// kerascope's one SHA-256: lowercase hex, with the Web Crypto API (Node and browsers alike). The Node front
// end hashes files on disk with sha256File (src/node/sha256.ts), which streams instead of reading whole.
import { type ByteSource, readAll } from './byte-source.js';

/** SHA-256 of bytes, or of text as UTF-8, as 64 lowercase hex digits. */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** SHA-256 of everything a source holds (read whole: for the browser, where files are already in memory). */
export function sha256Source(src: ByteSource): Promise<string> {
  return sha256Hex(readAll(src));
}
