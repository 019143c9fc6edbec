import { InputError } from '../model/errors.js';

/** Parses JSON a Keras or TF.js file stores; a failure names the file and what was being read. */
export function parseJson(file: string, text: string, what: string): unknown {
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
