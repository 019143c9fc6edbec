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

/**
 * Characters that make text lie to a reader: C0 controls and DEL (terminal control sequences, CR and
 * backspace overwriting a row), C1 controls, bidirectional controls (U+202A–U+202E, U+2066–U+2069, the marks
 * U+200E, U+200F, U+061C), zero-width and invisible characters (U+200B–U+200D, U+2060–U+2064, U+FEFF, U+180E,
 * U+00AD), the line and paragraph separators U+2028/U+2029, the interlinear annotation controls
 * U+FFF9–U+FFFB, and lone surrogates (half a character; strict JSON parsers reject them).
 */
export const DECEPTIVE_SOURCE =
  '[\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff\\ufff9-\\ufffb]|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';

const DECEPTIVE = new RegExp(DECEPTIVE_SOURCE);
const DECEPTIVE_ALL = new RegExp(DECEPTIVE_SOURCE, 'g');

/** True when `s` has a character of DECEPTIVE_SOURCE. */
export function hasDeceptive(s: string): boolean {
  return DECEPTIVE.test(s);
}

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');

/**
 * The visible escape of one character: `\t`, `\n`, `\r`, `\x1b` (the other C0 controls), `\u007f`,
 * `\u0085`, `\u202e` (the rest). Outside C0 the `\u` form is also a valid JSON and YAML escape of the same
 * character, so the last guard on standard output can apply it inside JSON text too.
 */
export function escapeChar(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  const n = c.charCodeAt(0);
  return n < 0x20 ? `\\x${hex(n, 2)}` : `\\u${hex(n, 4)}`;
}

/**
 * `s` with every character of DECEPTIVE_SOURCE written as its visible escape (`\x1b`, `\u202e`, `\n`), so
 * that what a reader sees is what the text holds. Idempotent: the escapes are printable ASCII.
 */
export function visible(s: string): string {
  return DECEPTIVE.test(s) ? s.replace(DECEPTIVE_ALL, escapeChar) : s;
}

/** `s` cut to `max` UTF-16 units (never inside a surrogate pair) with `…`. */
export function clipText(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

/**
 * Bytes (a file name that need not be UTF-8) as text: valid UTF-8 decoded, each byte that is not part of a
 * valid sequence as `\xHH`, then every deceptive character as its visible escape.
 */
export function bytesText(b: Uint8Array): string {
  let out = '';
  let i = 0;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    let ok = n > 0 && i + n <= b.length;
    if (ok && n > 1) {
      try {
        out += decoder.decode(b.subarray(i, i + n));
      } catch {
        ok = false;
      }
    } else if (ok) out += String.fromCharCode(c);
    if (ok) i += n;
    else {
      out += `\\x${hex(c, 2)}`;
      i++;
    }
  }
  return visible(out);
}
