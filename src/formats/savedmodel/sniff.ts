// Whether an input's first bytes are a SavedModel's saved_model.pb: light enough for the format sniff to load.
import { baseName } from '../../io/paths.js';

/** True when the first bytes look like a SavedModel message (schema version 1, then a meta graph). */
export function isSavedModelPb(head: Uint8Array, name: string): boolean {
  if (head[0] === 0x08 && head[1] === 0x01 && head[2] === 0x12) return true;
  return baseName(name) === 'saved_model.pb' && head[0] === 0x12;
}
