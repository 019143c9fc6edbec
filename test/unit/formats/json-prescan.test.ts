// The JSON prescan (budgets checked before JSON.parse) against the plain character loop it replaced, written
// here as the oracle: on random JSON-like texts with strings, escapes and unbalanced brackets, both refuse
// the same texts with the same message.
import { describe, expect, it } from 'vitest';
import { prescanJson } from '../../../src/formats/json.js';
import { type Budgets, DEFAULT_BUDGETS, resolveBudgets } from '../../../src/model/budgets.js';

function oracle(text: string, budgets: Budgets): string | null {
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (++depth > budgets.configDepth) return 'configDepth';
      values++;
    } else if (c === '}' || c === ']') depth--;
    else if (c === ',') values++;
    else continue;
    if (values > budgets.jsonValues) return 'jsonValues';
  }
  return null;
}

function scanned(text: string, budgets: Budgets = DEFAULT_BUDGETS): string | null {
  try {
    prescanJson('f.json', text, 'model.json', budgets);
    return null;
  } catch (e) {
    const m = /over the (\w+) budget/.exec((e as Error).message);
    return m ? (m[1] ?? null) : String(e);
  }
}

let seed = 12345;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};
const ALPHABET = ['{', '}', '[', ']', ',', '"', '\\', '\\\\', '\\"', 'a', '1', ' ', ':', 'é'];

describe('prescanJson', () => {
  it('refuses exactly what the character loop refuses, for the same budget', () => {
    const budgets = resolveBudgets({ configDepth: 6, jsonValues: 12 });
    let refused = 0;
    for (let k = 0; k < 5000; k++) {
      const text = Array.from({ length: 1 + rand(60) }, () => ALPHABET[rand(ALPHABET.length)]).join('');
      const want = oracle(text, budgets);
      if (want) refused++;
      expect(scanned(text, budgets), text).toBe(want);
    }
    // Both outcomes occur often enough for the comparison to mean something.
    expect(refused).toBeGreaterThan(500);
    expect(refused).toBeLessThan(4500);
  });

  it('does not count brackets and commas inside strings, escaped quotes included', () => {
    const budgets = resolveBudgets({ configDepth: 2 });
    expect(scanned('{"a": "[[[[\\"[[[[", "b": [1]}', budgets)).toBeNull();
    expect(scanned('{"a": "x\\\\", "b": [[1]]}', budgets)).toBe('configDepth');
  });
});
