// Numbers as a person wrote them: a value stored as float32 (an optimizer's learning rate in a saved config
// reads 0.00010000000474974513) printed as the shortest decimal that reads back to the same float32 (0.0001).

/** True when the number is exactly representable as a float32. */
function isFloat32(x: number): boolean {
  return Math.fround(x) === x;
}

/**
 * The shortest decimal whose float32 rounding is `x`, for a finite non-integer `x` that is a float32;
 * otherwise JavaScript's own shortest form (already round-trips the double).
 */
export function shortestFloat32(x: number): string {
  if (!Number.isFinite(x) || Number.isInteger(x) || !isFloat32(x)) return String(x);
  for (let p = 1; p <= 9; p++) {
    const s = Number(x.toPrecision(p));
    if (Math.fround(s) === x) return String(s);
  }
  return String(x);
}

/** A config value as text: strings as they are, numbers through `shortestFloat32`, the rest as JSON. */
export function configText(x: unknown): string {
  if (typeof x === 'string') return x;
  if (typeof x === 'number') return shortestFloat32(x);
  return JSON.stringify(x, (_, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(shortestFloat32(v)) : v));
}
