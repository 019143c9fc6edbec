// JSON and JSON Lines: valid for strict parsers and line readers. Lone surrogates (half a character, which
// JSON.stringify writes as `\udXXX` and strict parsers reject) become U+FFFD (the `deceptive-name` finding
// keeps the fact); U+2028 and U+2029, which JSON allows raw but line-based readers and JavaScript before
// ES2019 split on, are written as `\u2028` and `\u2029`.
import { mapStrings } from './terminal.js';

const LONE_SOURCE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const LONE = new RegExp(LONE_SOURCE);
const LONE_ALL = new RegExp(LONE_SOURCE, 'g');

/** `s` with each lone surrogate replaced by U+FFFD. */
export function wellFormed(s: string): string {
  return LONE.test(s) ? s.replace(LONE_ALL, '\ufffd') : s;
}

/** JSON.stringify for kerascope's outputs (same arguments), with the two rules above. */
export function stringifyJson(value: unknown, space?: number): string {
  const text = JSON.stringify(mapStrings(value, wellFormed), null, space);
  return /[\u2028\u2029]/.test(text) ? text.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029') : text;
}
