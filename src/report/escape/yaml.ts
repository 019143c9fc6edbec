// YAML (the card's front matter): every value goes through the YAML library, strings as double-quoted
// scalars written as JSON strings, on one line (escapes for every control character; no `\n---\n`, no
// `key: value` can be injected). Lone surrogates become U+FFFD first; any other character a reader could be
// fooled by (bidi, zero-width, U+2028/U+2029, which YAML 1.1 reads as line breaks) is written as its `\u`
// escape, which inside a double-quoted scalar means the same character.
import { stringify } from 'yaml';
import { DECEPTIVE_SOURCE } from '../../model/text.js';
import { mapStrings } from './terminal.js';
import { wellFormed } from './json.js';

const OPTIONS = { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', doubleQuotedAsJSON: true, lineWidth: 0 } as const;

const RAW = new RegExp(DECEPTIVE_SOURCE, 'g');
const quoteRaw = (text: string) => text.replace(RAW, (c) => (c === '\n' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));

/** A mapping as YAML text (keys plain, string values double-quoted). */
export function yamlDocument(value: Record<string, unknown>): string {
  return quoteRaw(stringify(mapStrings(value, wellFormed), OPTIONS));
}

/** One string as a double-quoted YAML scalar, on one line. */
export function yamlScalar(s: string): string {
  return quoteRaw(stringify(wellFormed(s), OPTIONS)).replace(/\n$/, '');
}

export const YAML_OPTIONS = OPTIONS;
