// JSON output of check/diff: two-space indentation, lists of numbers (shapes) on one line.
import { stringifyJson } from './escape/json.js';

export function renderGateJson(doc: unknown): string {
  return stringifyJson(doc, 2).replace(
    /\[(\s*(?:-?\d+|null)(?:,\s*(?:-?\d+|null))*\s*)\]/g,
    (_, inner: string) =>
      `[${inner
        .split(',')
        .map((x) => x.trim())
        .join(', ')}]`,
  );
}
