// How HDF5 orders and hashes member names: the listing order (creation order when indexed, else names in
// byte order) and the lookup3 hash dense storage indexes a link name by.
import { lookup3 } from '../bytes.js';

/** The library's listing order: creation order when it is indexed, else names in byte order. */
export function sortMembers<T extends { name: string; corder: number | null }>(list: T[], byCreation: boolean): void {
  if (byCreation && list.every((e) => e.corder !== null)) list.sort((a, b) => a.corder! - b.corder!);
  else list.sort((a, b) => compareBytes(a.name, b.name));
}

const scratch = new Uint8Array(256);
/** The lookup3 hash HDF5 indexes a link name by (of its UTF-8 bytes); ASCII names without an allocation. */
export function nameHash(name: string): number {
  if (name.length <= scratch.length) {
    let i = 0;
    for (; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c >= 0x80) break;
      scratch[i] = c;
    }
    if (i === name.length) return lookup3(scratch, 0, i);
  }
  return lookup3(encoder.encode(name));
}

const encoder = new TextEncoder();
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  let ascii = true;
  for (let i = 0; i < a.length && ascii; i++) if (a.charCodeAt(i) > 0x7f) ascii = false;
  for (let i = 0; i < b.length && ascii; i++) if (b.charCodeAt(i) > 0x7f) ascii = false;
  if (ascii) return a < b ? -1 : 1;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
