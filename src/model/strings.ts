// Strings in kerascope's values, for every stage: a deep map over the strings of a value (keys included),
// and JSON text that strict parsers and line readers accept (src/report/escape/json.ts says why). Here, in
// the model layer, so that the gate's baseline writer uses the same rules without depending on the reports.

/** Deep map of strings (plain objects, arrays, Maps); anything else is kept. */
export function mapStrings(x: unknown, fn: (s: string) => string): unknown {
  return safe(x, fn);
}

function safe(x: unknown, fn: (s: string) => string): unknown {
  if (typeof x === 'string') return fn(x);
  if (Array.isArray(x)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < x.length; i++) {
      const v = safe(x[i], fn);
      if (v !== x[i]) {
        out ??= x.slice();
        out[i] = v;
      }
    }
    return out ?? x;
  }
  if (x instanceof Map) {
    let changed = false;
    const out = new Map();
    for (const [k, v] of x) {
      const k2 = safe(k, fn);
      const v2 = safe(v, fn);
      if (k2 !== k || v2 !== v) changed = true;
      out.set(k2, v2);
    }
    return changed ? out : x;
  }
  if (x !== null && typeof x === 'object' && (Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null)) {
    let out: Record<string, unknown> | null = null;
    for (const [k, v] of Object.entries(x)) {
      const k2 = fn(k);
      const v2 = safe(v, fn);
      if (k2 !== k || v2 !== v) {
        if (!out) {
          out = {};
          for (const [a, b] of Object.entries(x)) {
            if (a === k) break;
            out[a] = b;
          }
        }
      }
      if (out) out[k2] = v2;
    }
    return out ?? x;
  }
  return x;
}

const LONE_SOURCE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const LONE = new RegExp(LONE_SOURCE);
const LONE_ALL = new RegExp(LONE_SOURCE, 'g');

/** `s` with each lone surrogate replaced by U+FFFD. */
export function wellFormed(s: string): string {
  return LONE.test(s) ? s.replace(LONE_ALL, '\ufffd') : s;
}

// JSON.stringify writes a lone surrogate as a `\udXXX` escape (lower-case hex) and never escapes a paired one: in
// its text, such an escape whose backslash is not itself escaped (an even run of backslashes before it) is half a
// character, in a key or a value.
const LONE_ESCAPE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;

/** JSON.stringify for kerascope's outputs (same arguments), with the two rules above. */
export function stringifyJson(value: unknown, space?: number): string {
  // The rules applied to the text, not to a copy of the value: a report's JSON allocates nothing more.
  let text = JSON.stringify(value, null, space);
  if (text.includes('\\ud')) text = text.replace(LONE_ESCAPE, (_, lead: string) => `${lead}\ufffd`);
  return /[\u2028\u2029]/.test(text) ? text.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029') : text;
}
