// YAML (the card's front matter): every value goes through the YAML library, strings as double-quoted
// scalars (escapes for every control character; no `\n---\n`, no `key: value` can be injected).
import { stringify } from 'yaml';

const OPTIONS = { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 } as const;

/** A mapping as YAML text (keys plain, string values double-quoted). */
export function yamlDocument(value: Record<string, unknown>): string {
  return stringify(value, OPTIONS);
}

/** One string as a double-quoted YAML scalar, on one line. */
export function yamlScalar(s: string): string {
  return stringify(s, OPTIONS).replace(/\n$/, '');
}

export const YAML_OPTIONS = OPTIONS;
