// Regenerates the generated tables of the reference in docs/ (run after `npm run build`): the layer coverage
// table in docs/layers.md from the formula registry, and the finding table in docs/findings.md from the
// finding catalogue.
import fs from 'node:fs';
import { withCoverage } from '../dist/explain/coverage.js';
import { withFindings } from './findings-table.mjs';

const LAYERS = 'docs/layers.md';
const FINDINGS = 'docs/findings.md';
fs.writeFileSync(LAYERS, withCoverage(fs.readFileSync(LAYERS, 'utf8')));
fs.writeFileSync(FINDINGS, withFindings(fs.readFileSync(FINDINGS, 'utf8')));
console.log(`${LAYERS} coverage table and ${FINDINGS} finding table updated`);
