// Issue 21, points 4 and 5: the gate cannot be pointed at the wrong model, and an unreadable model still leaves
// a verdict in every CI format (exit 2, one line on stderr).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

const ajv = new Ajv2020({ allErrors: true });
const validBaseline = ajv.compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', 'baseline.schema.json'), 'utf8')));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-verdicts-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const TFJS = 'fixtures/tfjs/mlp/model.json';
const H5 = 'fixtures/keras-h5/convnet.h5';

function record(model: string, name: string): string {
  const file = path.join(tmp, name);
  const r = runCli(['baseline', model, '-o', file, '--force']);
  expect(r.code, r.stderr).toBe(0);
  return file;
}

describe('a baseline records which model it is for', () => {
  it('writes schemaVersion 2 with the model name beside file and format', () => {
    const b = JSON.parse(fs.readFileSync(record(TFJS, 'tfjs.json'), 'utf8'));
    expect(validBaseline(b), JSON.stringify(validBaseline.errors)).toBe(true);
    expect([b.schemaVersion, b.file, b.format, typeof b.model]).toEqual([2, TFJS, 'tfjs-layers', 'string']);
  });

  it('refuses another model (exit 2), naming both, and says how to accept it', () => {
    const b = record(TFJS, 'tfjs-for-h5.json');
    const before = fs.readFileSync(b, 'utf8');
    const r = runCli(['check', H5, '-b', b]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/recorded for model\.json \(tfjs-layers.*\), not for convnet\.h5 \(keras-h5.*\).*--update/);
    expect(fs.readFileSync(b, 'utf8')).toBe(before);
  });

  it('the same model under another path still checks (a checkout elsewhere)', () => {
    const b = record(TFJS, 'tfjs-moved.json');
    const copy = path.join(tmp, 'elsewhere');
    fs.mkdirSync(copy, { recursive: true });
    for (const f of fs.readdirSync(path.dirname(path.join(ROOT, TFJS))))
      fs.copyFileSync(path.join(ROOT, path.dirname(TFJS), f), path.join(copy, f));
    expect(runCli(['check', path.join(copy, 'model.json'), '-b', b]).code).toBe(0);
  });

  it('--update accepts the change and records the new model', () => {
    const b = record(TFJS, 'tfjs-update.json');
    const r = runCli(['check', H5, '-b', b, '--update']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/recorded for model\.json .*recording this model \(--update\)/);
    const after = JSON.parse(fs.readFileSync(b, 'utf8'));
    expect([after.file, after.format]).toEqual([H5, 'keras-h5']);
    expect(runCli(['check', H5, '-b', b]).code).toBe(0);
  });

  it('a version 1 baseline (no model name) is still read, compared by file name and format', () => {
    const b = record(TFJS, 'v1.json');
    const doc = fs
      .readFileSync(b, 'utf8')
      .replace('"schemaVersion": 2', '"schemaVersion": 1')
      .replace(/ {2}"model": .*,\n/, '');
    fs.writeFileSync(b, doc);
    expect(runCli(['check', TFJS, '-b', b]).code).toBe(0);
    expect(runCli(['check', H5, '-b', b]).code).toBe(2);
  });
});

describe('an unreadable model leaves a verdict in every CI format', () => {
  const missing = 'fixtures/no-such-model.h5';
  it('github: an ::error naming the file; exit 2', () => {
    const b = record(TFJS, 'gh.json');
    const r = runCli(['check', missing, '-b', b, '--format', 'github']);
    expect(r.code).toBe(2);
    expect(r.stdout.trim()).toMatch(
      /^::error file=fixtures\/no-such-model\.h5,title=kerascope check could not run::fixtures\/no-such-model\.h5: .+/,
    );
    expect(r.stderr).toMatch(/^kerascope: fixtures\/no-such-model\.h5: /);
  });

  it('markdown: a verdict naming the error; exit 2', () => {
    const r = runCli(['check', missing, '--max-params', '10k', '--format', 'markdown']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('kerascope check could not run');
    expect(r.stdout).toContain('`fixtures/no-such-model.h5`');
    const reason = r.stderr.trim().replace(/^kerascope: fixtures\/no-such-model\.h5: /, '');
    expect(reason.length).toBeGreaterThan(3);
    expect(r.stdout.replace(/\\/g, '')).toContain(reason);
  });

  it('the baseline of another model, in github format', () => {
    const b = record(TFJS, 'gh-other.json');
    const r = runCli(['check', H5, '-b', b, '--format', 'github']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^::error file=.*gh-other\.json,title=kerascope check could not run::.*recorded for model\.json/);
  });
});
