// The finding table of docs/findings.md, from the catalogue in src/model/findings.ts (built into dist/): one
// row per code, linking to that code's own section of the same page. `npm run coverage-table` writes it
// between the findings markers.
import { CATALOGUE } from '../dist/model/findings.js';

export const FINDINGS_BLOCK = /(<!-- findings:start[^>]*-->\n)([\s\S]*?)(<!-- findings:end -->)/;

/** @returns {string} */
export function findingsTable() {
  const rows = Object.entries(CATALOGUE).map(([code, e]) => `| [\`${code}\`](#${code}) | ${e.severity} | ${e.family} | ${e.title} |`);
  return ['| code | severity | kind | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/**
 * The page's text with its generated block replaced by the current table.
 * @param {string} page
 * @returns {string}
 */
export function withFindings(page) {
  if (!FINDINGS_BLOCK.test(page)) throw new Error('docs/findings.md has no findings markers');
  return page.replace(FINDINGS_BLOCK, (_m, start, _old, end) => `${start}${findingsTable()}\n${end}`);
}
