// Issue 21, points 7 and 8: findings say what to do, and every command has the same shape.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-advice-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The TF.js mlp's model.json alone, its one weight group split over six shard files that are not there. */
function manifestAlone(): string {
  const doc = JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures/tfjs/mlp/model.json'), 'utf8'));
  doc.weightsManifest[0].paths = [1, 2, 3, 4, 5, 6].map((i) => `group1-shard${i}of6.bin`);
  const dir = path.join(tmp, 'alone');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(doc));
  return path.join(dir, 'model.json');
}

describe('model.json without its shards', () => {
  it('one finding for the manifest: the six files, where they were looked for, and --manifest-only', () => {
    const file = manifestAlone();
    const r = runCli(['audit', file, '--format', 'json']);
    expect(r.code).toBe(1);
    const missing = JSON.parse(r.stdout).findings.filter((f: { code: string }) => f.code === 'shard-missing');
    expect(missing).toHaveLength(1);
    const m = missing[0].message as string;
    expect(m).toContain('all 6 weight shards named by model.json are missing');
    for (let i = 1; i <= 6; i++) expect(m).toContain(`group1-shard${i}of6.bin`);
    expect(m).toContain(`in ${path.dirname(file)}`);
    expect(m).toContain('--manifest-only');
  });
  it('--manifest-only, the way out it names, reads model.json alone: 16 + 20 + 5 = 41, exit 0', () => {
    const r = runCli(['inspect', manifestAlone(), '--manifest-only', '--format', 'json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.totals.params).toBe(41);
    expect(d.findings.filter((f: { code: string }) => f.code === 'shard-missing')).toEqual([]);
  });
});
