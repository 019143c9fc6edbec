// Small text helpers shared by the reporters.
import { shapeText } from '../model/shape.js';
import { thousands } from '../model/text.js';
import type { Shape } from '../model/types.js';

/** `41` → `41`, `2619461` → `2,619,461` (as Keras prints counts). */
export function count(n: number | null): string {
  return n === null ? '?' : thousands(n);
}

/** Bytes as Keras' summary prints them: 1024-based, two decimals. */
export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)} ${units[i]}`;
}

/** Python-style shape: `(None, 28, 28, 3)`; a list of shapes joined; `?` when unknown. */
export function shape(s: Shape | Shape[] | null): string {
  if (s === null) return '?';
  if (s.length > 0 && Array.isArray(s[0])) return (s as Shape[]).map((x) => shape(x)).join(', ');
  return shapeText(s as Shape);
}
