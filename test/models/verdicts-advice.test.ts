// Issue 21, points 7 and 8: findings say what to do, and every command has the same shape.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

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

describe('the same shape of command everywhere', () => {
  const OK = 'fixtures/keras-h5/mlp.h5';
  const BAD = 'fixtures/bad/h5-shape-mismatch.h5';
  it('audit takes several files like inspect: each audited, exit status the worst', () => {
    const both = runCli(['audit', OK, BAD]);
    expect(both.code).toBe(1);
    expect(both.stdout).toContain(`Audit: ${OK}`);
    expect(both.stdout).toContain(`Audit: ${BAD}`);
    expect(runCli(['audit', OK, OK]).code).toBe(0);
    const lines = runCli(['audit', OK, BAD, '--format', 'jsonl']).stdout.trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).file)).toEqual([OK, BAD]);
    const withMissing = runCli(['audit', OK, 'fixtures/no-such.h5', BAD]);
    expect(withMissing.code).toBe(2);
    expect(withMissing.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^kerascope: fixtures\/no-such\.h5: /)]);
    expect(withMissing.stdout).toContain(`Audit: ${BAD}`);
    // Standard input, as with inspect.
    const piped = spawnSync(process.execPath, [path.join(ROOT, 'bin/kerascope.js'), 'audit', '-', '--format', 'json'], {
      cwd: ROOT,
      input: fs.readFileSync(path.join(ROOT, BAD)),
      encoding: 'utf8',
    });
    expect(piped.status).toBe(1);
    expect(JSON.parse(piped.stdout).findings.map((f: { code: string }) => f.code)).toEqual(['shape-mismatch']);
  });
  it('several files in SARIF: one run with every file and every result', () => {
    const s = JSON.parse(runCli(['audit', OK, BAD, '--format', 'sarif']).stdout);
    expect(s.runs).toHaveLength(1);
    expect(s.runs[0].artifacts.map((a: { location: { uri: string } }) => a.location.uri)).toEqual([OK, BAD]);
    expect(s.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toContain('shape-mismatch');
  });
  it('JSON that is not a model says so, whether an object or an array (exit 2)', () => {
    for (const [name, text] of [
      ['MODELS.json', '[{"name": "a"}, {"name": "b"}]'],
      ['spaced.json', `${' '.repeat(100)}\n["x"]`],
      ['object.json', '{"models": []}'],
    ] as const) {
      const file = path.join(tmp, name);
      fs.writeFileSync(file, text);
      const r = runCli(['inspect', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/: JSON, but not a Keras or TF\.js model/);
    }
  });
  it('a TF.js shard given directly says to pass model.json', () => {
    const r = runCli(['inspect', 'fixtures/tfjs/convnet-sharded/group1-shard1of2.bin']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /is a TF\.js weight shard, not a model: pass the model\.json beside it \(fixtures\/tfjs\/convnet-sharded\/model\.json\)/,
    );
  });
});
