// The JSON report: the Report object itself, which is the stable contract (schema/report.schema.json).
import type { Report } from '../model/types.js';
import { stringifyJson } from './escape/json.js';

export function renderJson(r: Report): string {
  // Two-space indentation, but shapes and other lists of plain values stay on one line.
  return stringifyJson(r, 2).replace(
    /\[\s*([^[\]{}]*?)\s*\]/g,
    (_, inner: string) =>
      `[${inner
        .split(/,\s*/)
        .map((x) => x.trim())
        .join(', ')}]`,
  );
}
