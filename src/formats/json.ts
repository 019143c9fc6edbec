import { type Budgets, overBudget } from '../model/budgets.js';
import { InputError } from '../model/errors.js';

/**
 * Parses JSON a Keras or TF.js file stores; a failure names the file and what was being read. The text is
 * measured first (length, nesting depth, number of values, in one linear pass) so that a document over a
 * budget is refused before `JSON.parse` spends memory on it.
 */
export function parseJson(file: string, text: string, what: string, budgets: Budgets): unknown {
  prescanJson(file, text, what, budgets);
  try {
    return JSON.parse(text);
  } catch (e) {
    // Python's json writes NaN and Infinity, which JSON does not allow: read them as null.
    const relaxed = text.replace(/("(?:[^"\\]|\\.)*")|-?\b(?:NaN|Infinity)\b/g, (_m, s) => s ?? 'null');
    if (relaxed !== text) {
      try {
        return JSON.parse(relaxed);
      } catch {
        /* fall through to the original error */
      }
    }
    throw new InputError(file, `${what} is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
}

/** Structural characters, and the quote that opens a string. */
const STRUCTURE = /["{}[\],]/g;

/**
 * Throws when a JSON text is over the byte, depth or value budgets; never parses, never recurses. Strings
 * (most of a model file's bytes) are skipped with `indexOf`, and the characters between structural ones
 * with a regular expression, so the pass costs little even before the JIT has warmed up.
 */
export function prescanJson(file: string, text: string, what: string, budgets: Budgets): void {
  if (text.length > budgets.jsonBytes) throw overBudget(file, 'jsonBytes', `${what} is ${text.length} bytes`, budgets);
  let depth = 0;
  let values = 0;
  const re = new RegExp(STRUCTURE);
  // (test, not exec: no match object per character; the match is the one character before lastIndex)
  while (re.test(text)) {
    const at = re.lastIndex - 1;
    const c = text.charCodeAt(at);
    if (c === 0x22) {
      // The closing quote: the next one not escaped (an odd run of backslashes before it escapes it).
      let end = at;
      for (;;) {
        end = text.indexOf('"', end + 1);
        if (end < 0) return; // an unterminated string: nothing after it counts (JSON.parse refuses it)
        let backslashes = 0;
        while (text.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
      }
      re.lastIndex = end + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      // { [
      if (++depth > budgets.configDepth)
        throw overBudget(file, 'configDepth', `${what} nests deeper than ${budgets.configDepth} levels`, budgets);
      values++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    } else {
      // a comma: every value after the first of a container follows one
      values++;
    }
    if (values > budgets.jsonValues)
      throw overBudget(file, 'jsonValues', `${what} holds more than ${budgets.jsonValues} JSON values`, budgets);
  }
}
