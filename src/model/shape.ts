// Shape and dtype arithmetic every stage shares: element counts, Python-style shape text, bytes per dtype.
import type { Shape } from './types.js';

/** Elements of a fully known shape (a scalar `[]` has 1). */
export function elements(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Elements of a shape, or null if any axis is unknown. */
export function knownElements(shape: Shape): number | null {
  let n = 1;
  for (const d of shape) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

/** Python-style shape: `(None, 28, 28, 3)`, `(4,)`, `()`. */
export function shapeText(s: readonly (number | null)[]): string {
  return `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
}

/** Bytes per element of each dtype kerascope meets (int4 packs two per byte). */
export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  float16: 2,
  bfloat16: 2,
  float32: 4,
  float64: 8,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  bool: 1,
  float8_e4m3fn: 1,
  float8_e5m2: 1,
  int4: 0.5,
  complex64: 8,
};
