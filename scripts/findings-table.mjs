// The README's finding table, from the catalogue in src/model/findings.ts (built into dist/).
// `npm run coverage-table` writes it into README.md between the findings markers.
import { CATALOGUE } from '../dist/model/findings.js';

/** @returns {string} */
export function findingsTable() {
  const rows = Object.entries(CATALOGUE).map(([code, e]) => `| \`${code}\` | ${e.severity} | ${e.family} | ${e.title} |`);
  return ['| code | severity | kind | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
