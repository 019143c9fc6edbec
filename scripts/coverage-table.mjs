// Regenerates the generated tables in README.md (run after `npm run build`): the layer coverage table from
// the formula registry, and the finding table from the finding catalogue.
import fs from 'node:fs';
import { withCoverage } from '../dist/explain/coverage.js';
import { findingsTable } from './findings-table.mjs';

let readme = withCoverage(fs.readFileSync('README.md', 'utf8'));
readme = readme.replace(/(<!-- findings:start[^>]*-->\n)[\s\S]*?(<!-- findings:end -->)/, (_m, a, b) => `${a}${findingsTable()}\n${b}`);
fs.writeFileSync('README.md', readme);
console.log('README.md coverage and finding tables updated');
