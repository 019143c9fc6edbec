// A file of a model as the report lists it.
import type { ByteSource } from '../io/byte-source.js';
import type { FileEntry } from '../model/types.js';

/** A file that is there: its name and size. */
export function fileEntry(src: ByteSource): FileEntry {
  return { path: src.name, bytes: src.size, present: true };
}
