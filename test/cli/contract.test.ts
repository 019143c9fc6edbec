// The command line as a contract: exit codes, one-line errors, JSON that validates against the schema,
// inputs left untouched.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { inspectArgs, realModels } from '../helpers/real-models.js';

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', 'report.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true }).compile(schema);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sha(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe('unreadable input: one line naming the file, exit 2, no stack trace', () => {
  const cases: [string, () => string, RegExp][] = [
    ['a file that does not exist', () => path.join(tmp, 'nope.h5'), /no such file/],
    ['an empty file', () => write('empty.h5', Buffer.alloc(0)), /empty file/],
    ['plain text', () => write('notes.txt', Buffer.from('hello, this is not a model\n')), /not a Keras or TF\.js model/],
    ['JSON that is no model', () => write('x.json', Buffer.from('{"a": 1}')), /JSON, but not a Keras or TF\.js model/],
    ['broken JSON', () => write('model.json', Buffer.from('{"modelTopology": ')), /not valid JSON/],
    [
      'a truncated HDF5 file',
      () => write('cut.h5', Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])),
      /not a readable HDF5 file/,
    ],
    ['a zip with no config.json', () => write('w.keras', emptyZip()), /zip archive|config\.json/],
    ['a directory', () => tmp, /is a directory/],
  ];
  for (const [what, make, message] of cases) {
    it(what, () => {
      const file = make();
      const r = runCli(['inspect', file]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`kerascope: ${file}: `);
      expect(lines[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    });
  }
  it('a bad option value is a usage error (exit 2)', () => {
    expect(runCli(['inspect', 'x.h5', '--format', 'yaml']).code).toBe(2);
    expect(runCli(['frobnicate']).code).toBe(2);
  });
});

function write(name: string, data: Buffer): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, data);
  return f;
}

/** The 22-byte end-of-central-directory record of an empty zip archive. */
function emptyZip(): Buffer {
  const b = Buffer.alloc(22);
  b.writeUInt32LE(0x06054b50, 0);
  return b;
}

const models = realModels();
describe.skipIf(models === null)('JSON report on the real models', () => {
  for (const m of models ?? []) {
    it(`${m.id}: valid against schema/report.schema.json, input unchanged, exit code from the findings`, () => {
      const { file, weights } = inspectArgs(m);
      const before = [file, weights].filter((f): f is string => !!f).map(sha);
      const r = runCli(['inspect', file, ...(weights ? ['--weights', weights] : []), '--format', 'json']);
      const report = JSON.parse(r.stdout);
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
      expect(report.totals.stored).toBe(m.totals.stored);
      const hasError = report.findings.some((f: { severity: string }) => ['critical', 'high'].includes(f.severity));
      expect(r.code).toBe(hasError ? 1 : 0);
      expect([file, weights].filter((f): f is string => !!f).map(sha)).toEqual(before);
    });
  }
});

describe('--depth expands nested models like Keras expand_nested', () => {
  for (const file of ['fixtures/keras3/functional.keras', 'fixtures/keras-h5/functional.h5', 'fixtures/tfjs/functional/model.json']) {
    it(`${file}: the nested Sequential "head" and its layers (Dense(6) on 10 = 66, Dense(2) on 6 = 14)`, () => {
      const flat = JSON.parse(runCli(['inspect', file, '--format', 'json']).stdout);
      expect(flat.layers.map((l: { name: string }) => l.name)).not.toContain('head_dense');
      const r = runCli(['inspect', file, '--format', 'json', '--depth', '1']);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
      const rows = report.layers
        .filter((l: { path: string[] }) => l.path.length > 0)
        .filter((l: { className: string }) => l.className !== 'InputLayer')
        .map((l: { name: string; path: string[]; depth: number; params: { expected: number; stored: number }; status: string }) => [
          l.name,
          l.path,
          l.depth,
          l.params.expected,
          l.params.stored,
          l.status,
        ]);
      expect(rows).toEqual([
        ['head_dense', ['head'], 1, 66, 66, 'ok'],
        ['head_out', ['head'], 1, 14, 14, 'ok'],
      ]);
      // Totals still count each weight once.
      expect(report.totals.params).toBe(flat.totals.params);
      expect(report.totals.params).toBe(169);
    });
  }
});

describe('many damaged files in one process (library use)', () => {
  it('each failure is an InputError and leaves no file descriptor open', async () => {
    const { inspect, InputError } = await import('../../src/index.js');
    const bad = path.join(ROOT, 'fixtures', 'bad', 'unreadable', 'truncated.h5');
    const good = path.join(ROOT, 'fixtures', 'keras3', 'lstm.keras');
    // HDF5's error handler in h5wasm writes each error to a tmpfile(); count the descriptors still open on those.
    const fds = () =>
      fs.readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return /tmpfile_/.test(fs.readlinkSync(`/proc/self/fd/${fd}`));
        } catch {
          return false;
        }
      }).length;
    await inspect(good);
    const before = fds();
    for (let i = 0; i < 200; i++) {
      await expect(inspect(bad)).rejects.toBeInstanceOf(InputError);
    }
    // The library still works afterwards, and no descriptor was left behind by the 200 failures.
    expect((await inspect(good)).totals.params).toBe(327);
    expect(fds()).toBe(before);
    expect(before).toBe(0);
  });
});

describe('the deliberate mismatches exit 1 through the CLI', () => {
  const cases: [string, string][] = [
    ['fixtures/bad/h5-shape-mismatch.h5', 'shape-mismatch'],
    ['fixtures/bad/keras3-shape-mismatch.keras', 'shape-mismatch'],
    ['fixtures/bad/tfjs-shape-mismatch/model.json', 'shape-mismatch'],
    ['fixtures/bad/h5-missing-weight.h5', 'missing-weight'],
    ['fixtures/bad/h5-extra-weight.h5', 'unexpected-weight'],
    ['fixtures/bad/tfjs-extra-weight/model.json', 'unexpected-weight'],
    ['fixtures/bad/tfjs-truncated-shard/model.json', 'shard-size-mismatch'],
    ['fixtures/bad/tfjs-missing-shard/model.json', 'shard-missing'],
  ];
  for (const [file, code] of cases) {
    it(`${file}: exit 1, ${code} in the table and in the JSON`, () => {
      const table = runCli(['inspect', file]);
      expect(table.code).toBe(1);
      expect(table.stdout).toContain(`high     ${code}:`);
      const json = runCli(['inspect', file, '--format', 'json']);
      expect(json.code).toBe(1);
      const errors = JSON.parse(json.stdout).findings.filter((f: { severity: string }) => ['critical', 'high'].includes(f.severity));
      expect(errors.map((f: { code: string }) => f.code)).toEqual([code]);
    });
  }
});

describe('--manifest-only', () => {
  it('reads a TF.js model.json without its shards: counts from the manifest, no shard findings, exit 0', () => {
    const r = runCli(['inspect', 'fixtures/bad/tfjs-missing-shard/model.json', '--manifest-only', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    // The mlp: 16 + 20 + 5 = 41 values, all from the manifest.
    expect(report.totals.stored).toBe(41);
    expect(report.totals.params).toBe(41);
    expect(report.findings.filter((f: { code: string }) => f.code.startsWith('shard-'))).toEqual([]);
  });
});
