// Regenerates the layer coverage table in README.md from the formula registry (run after `npm run build`).
import fs from 'node:fs';
import { withCoverage } from '../dist/layers/coverage.js';

const readme = fs.readFileSync('README.md', 'utf8');
fs.writeFileSync('README.md', withCoverage(readme));
console.log('README.md coverage table updated');
