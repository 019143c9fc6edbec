// Number text every stage may need in a message: `2619461` → `2,619,461` (as Keras prints counts).
// Not toLocaleString: its first call loads ICU data, a noticeable share of a small file's start-up.
export function thousands(n: number): string {
  if (!Number.isInteger(n)) return String(n);
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${digits}` : digits;
}

/** The minus sign every signed number in kerascope's text uses (U+2212), so `+5` and `−5` line up. */
export const MINUS = '\u2212';

/** A change in a count: `+1,234`, `−56`, `±0`. */
export function signedCount(n: number): string {
  return `${n > 0 ? '+' : n < 0 ? MINUS : '±'}${thousands(Math.abs(n))}`;
}

/**
 * A percentage (already in percent: 12.5 → `12.5%`) with at most two decimals, rounded away from zero so that a
 * change over a budget never prints as equal to it (+20.001% → `+20.01%`); a change too small to show is `<0.01%`.
 * `signed` adds `+`/`−`/`±`.
 */
export function percentText(p: number, signed = false): string {
  const a = Math.abs(p);
  const up = Math.ceil(Math.round(a * 1e6) / 1e4) / 100;
  const body = a > 0 && a < 0.01 ? '<0.01' : String(up);
  if (!signed) return `${p < 0 ? MINUS : ''}${body}%`;
  return `${p > 0 ? '+' : p < 0 ? MINUS : '±'}${body}%`;
}

/** `1 budget`, `2 budgets`, `1,000 layers` (a count with its noun, singular or plural). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${thousands(n)} ${n === 1 ? one : many}`;
}
