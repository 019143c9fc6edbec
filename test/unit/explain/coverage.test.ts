// Every registered layer class is verified somewhere, and the coverage table in docs/layers.md is current.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../../../src/layers/index.js';
import { withCoverage } from '../../../src/explain/coverage.js';
import { classFormula } from '../../../src/explain/index.js';
import { ROOT } from '../../helpers/cli.js';

function testSources(): string {
  const dir = path.join(ROOT, 'test');
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

describe('layer coverage', () => {
  const sources = testSources();
  for (const [family, defs] of Object.entries(FAMILIES)) {
    for (const def of defs) {
      for (const name of def.classNames) {
        it(`${family}: ${name} has a general formula, a verification kind and a test that names it`, () => {
          expect(classFormula(name).className).toBe(name);
          expect(['tfjs', 'hand']).toContain(def.verifiedBy);
          expect(sources.includes(`'${name}'`) || sources.includes(`"${name}"`), `no test names '${name}'`).toBe(true);
        });
      }
    }
  }
  it('docs/layers.md coverage table is generated from the current registry', () => {
    const page = fs.readFileSync(path.join(ROOT, 'docs', 'layers.md'), 'utf8');
    expect(page).toBe(withCoverage(page));
  });
});
