// Issue 21, point 3: "no findings" means every count was checked. Every report over the project's fixtures
// and the real models in ../shared/models that has an unverified row also has a finding that names that row
// (by its layer field or in its message) or speaks for the whole file (nothing could be checked).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/inspect.js';
import { MemorySource } from '../../src/io/byte-source.js';
import type { Report } from '../../src/model/types.js';
import { inspect } from '../../src/node/inspect.js';
import { MODELS_DIR, realModels } from '../helpers/real-models.js';

const FILE_LEVEL = ['no-architecture', 'graph-model', 'subclassed-model'];

function modelFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(h5|hdf5|keras|json)$/.test(e.name) && !/^(EXPECTED|metadata|.*weights)\.json$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Unverified rows of a report that no finding names or covers. */
function silent(r: Report): string[] {
  if (r.findings.some((f) => FILE_LEVEL.includes(f.code))) return [];
  return r.layers
    .filter((l) => l.status === 'unverified')
    .filter((l) => !r.findings.some((f) => f.layer === l.name || f.message.includes(l.name)))
    .map((l) => l.name);
}

async function sweep(files: string[]): Promise<{ checked: number; unverified: number; problems: string[] }> {
  let checked = 0;
  let unverified = 0;
  const problems: string[] = [];
  for (const file of files) {
    let r: Report;
    try {
      r = await inspect(file, { depth: 8 });
    } catch {
      continue; // not a model kerascope reads (bad inputs, shards, sidecar JSON): nothing to verify
    }
    checked++;
    if (!r.layers.some((l) => l.status === 'unverified')) continue;
    unverified++;
    if (r.findings.length === 0) problems.push(`${file}: unverified rows and no finding`);
    const s = silent(r);
    if (s.length) problems.push(`${file}: ${s.join(', ')} unverified without a finding`);
  }
  return { checked, unverified, problems };
}

describe('an unverified count is never silent', () => {
  it('over every fixture', async () => {
    const { checked, unverified, problems } = await sweep(modelFiles('fixtures'));
    expect(checked).toBeGreaterThan(50);
    expect(unverified).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  }, 120_000);

  it('over the real models in ../shared/models', async () => {
    if (!realModels()) return;
    const { checked, problems } = await sweep(modelFiles(MODELS_DIR));
    expect(checked).toBeGreaterThan(5);
    expect(problems).toEqual([]);
  }, 120_000);

  it('a nested model holding a custom layer is named, with the inner layer as the reason', async () => {
    const config = {
      class_name: 'Sequential',
      config: {
        name: 'outer',
        layers: [
          { class_name: 'Dense', config: { name: 'd', units: 4, batch_input_shape: [null, 3] } },
          { class_name: 'Sequential', config: { name: 'inner', layers: [{ class_name: 'MyLayer', config: { name: 'mine' } }] } },
        ],
      },
    };
    const bytes = new TextEncoder().encode(JSON.stringify(config));
    const r = (await analyze(MemorySource.of('a.json', bytes))).report;
    expect(r.layers.map((l) => [l.name, l.status])).toEqual([
      ['d', 'no weights stored'],
      ['inner', 'unverified'],
    ]);
    const f = r.findings.find((x) => x.code === 'unverified-layer');
    expect(f?.layer).toBe('inner');
    expect(f?.message).toContain('inner layer mine (MyLayer) of inner');
    expect(r.findings.filter((x) => x.code === 'unknown-layer').map((x) => x.layer)).toEqual(['mine']);
  });
});
