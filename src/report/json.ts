// The JSON report: the Report object itself, which is the stable contract (schema/report.schema.json).
import type { Report } from '../model/types.js';
import { stringifyJson } from './escape/json.js';

/**
 * An array of plain values as JSON.stringify indents it: `[`, a line break, each value (a string, a number,
 * true, false or null) on a line of its own, `]`. A line break is never inside a JSON string (it is written
 * `\n`), so a match starts at a real array and the separators it holds are JSON.stringify's, never text of a
 * value's own.
 */
const PLAIN_ARRAY = /\[\n *((?:"(?:[^"\\\n]|\\.)*"|[-+.\w]+)(?:,\n *(?:"(?:[^"\\\n]|\\.)*"|[-+.\w]+))*)\n *\]/g;

export function renderJson(r: Report): string {
  // Two-space indentation, but shapes and other lists of plain values stay on one line.
  return stringifyJson(r, 2).replace(PLAIN_ARRAY, (_, inner: string) => `[${inner.replace(/,\n */g, ', ')}]`);
}
