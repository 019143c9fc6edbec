// `kerascope scan`: models found by content under a folder (an architecture paired with its weights, TF.js
// shards never listed, non-models skipped, symlink loops walked once, --exclude honoured), each inspected
// exactly as `inspect` would, one broken file never stopping the scan, the worst status as exit code.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/types.js';
import { discover } from '../../src/node/discover.js';
import { inspect } from '../../src/node/inspect.js';
import { runCli } from '../helpers/cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-scan-'));
const F = (p: string) => path.resolve('fixtures', p);
const T = (p: string) => path.join(tmp, p);

beforeAll(() => {
  fs.cpSync(F('tfjs/mlp'), T('a/tfjs-mlp'), { recursive: true });
  fs.mkdirSync(T('a/arch'), { recursive: true });
  fs.copyFileSync(F('keras-h5/mlp.json'), T('a/arch/net.json'));
  fs.copyFileSync(F('keras-h5/mlp_weights.h5'), T('a/arch/net_weights.h5'));
  // A model file whose name says nothing about its content.
  fs.copyFileSync(F('keras3/mlp.keras'), T('a/model.bin'));
  fs.mkdirSync(T('b'), { recursive: true });
  fs.copyFileSync(F('bad/unreadable/truncated.h5'), T('b/broken.h5'));
  fs.copyFileSync(F('bad/h5-shape-mismatch.h5'), T('b/mismatch.h5'));
  fs.writeFileSync(T('b/notes.json'), '{"title": "not a model"}');
  fs.writeFileSync(T('b/readme.txt'), 'hello');
  fs.mkdirSync(T('skip/deep'), { recursive: true });
  fs.copyFileSync(F('keras-h5/mlp.h5'), T('skip/deep/mlp.h5'));
  fs.symlinkSync('..', T('b/loop'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const expected = () => ['a/arch/net.json', 'a/model.bin', 'a/tfjs-mlp/model.json', 'b/broken.h5', 'b/mismatch.h5', 'skip/deep/mlp.h5'];

describe('discovery', () => {
  it('finds models by content, pairs an architecture with its weights, skips shards, non-models and loops', () => {
    const found = [...discover(tmp)];
    expect(found.map((f) => path.relative(tmp, f.file)).sort()).toEqual(expected());
    expect(found.find((f) => f.file.endsWith('net.json'))!.weights).toBe(T('a/arch/net_weights.h5'));
  });

  it('honours --exclude globs relative to the folder', () => {
    const found = [...discover(tmp, ['skip/**', '**/*.bin'])];
    expect(found.map((f) => path.relative(tmp, f.file)).sort()).toEqual(
      expected().filter((p) => !p.startsWith('skip/') && !p.endsWith('.bin')),
    );
  });
});

describe('kerascope scan', () => {
  it('--format jsonl: one line per model, each the report inspect gives, the broken file as an error line; exit 2', async () => {
    const r = runCli(['scan', tmp, '--format', 'jsonl', '--jobs', '2']);
    expect(r.code).toBe(2);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { path: string; error?: string } & Partial<Report>);
    expect(lines.map((l) => path.relative(tmp, l.path)).sort()).toEqual(expected());
    const broken = lines.find((l) => l.path.endsWith('broken.h5'))!;
    const size = fs.statSync(T('b/broken.h5')).size.toLocaleString('en-US');
    expect(broken.error).toMatch(new RegExp(`broken\\.h5: truncated: the file is ${size} bytes, its header says [\\d,]+$`));
    const schema = JSON.parse(fs.readFileSync('schema/report.schema.json', 'utf8'));
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    for (const l of lines.filter((x) => !x.error)) {
      const { path: file, ...report } = l;
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
      expect(report).toEqual(JSON.parse(JSON.stringify(await inspect(file))));
    }
    // The textbook MLP: Dense(4) on 3 inputs, Dense(4), Dense(1) = 16 + 20 + 5.
    expect(lines.find((l) => l.path.endsWith('tfjs-mlp/model.json'))!.totals!.params).toBe(16 + 20 + 5);
    expect(lines.find((l) => l.path.endsWith('mismatch.h5'))!.findings!.some((f) => f.code === 'shape-mismatch')).toBe(true);
  });

  it('table: one row per model and a summary; findings at high or above alone exit 1', () => {
    const r = runCli(['scan', tmp, '--exclude', 'b/broken.h5']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('5 model(s): 4 ok, 0 with security findings, 1 with integrity findings (high or above), 0 unreadable');
    for (const p of expected().filter((x) => x !== 'b/broken.h5')) expect(r.stdout).toContain(path.join(tmp, p));
  });

  it('a folder without models exits 0; a missing folder is one line, exit 2', () => {
    const empty = T('empty');
    fs.mkdirSync(empty);
    expect(runCli(['scan', empty]).code).toBe(0);
    const r = runCli(['scan', T('nope')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`kerascope: ${T('nope')}: not a folder`]);
  });
});

describe('the progress bar', () => {
  // A real pseudo-terminal: util-linux `script` runs the command with stdin, stdout and stderr on one.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  const models = () => expected().filter((p) => p !== 'b/broken.h5').length;

  it('is drawn on a terminal (and cleared), with the table after it', (ctx) => {
    if (!hasScript) {
      if (process.env.CI === 'true') throw new Error('util-linux `script` is missing: the terminal test cannot run');
      console.log('skipped: util-linux `script` (a pseudo-terminal) is not installed');
      ctx.skip();
    }
    const bin = path.resolve('bin', 'kerascope.js');
    const command = [process.execPath, bin, 'scan', tmp, '--exclude', 'b/broken.h5', '--jobs', '1'].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qefc', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, TERM: 'xterm' } });
    expect(r.status).toBe(1); // the shape-mismatch model, as in the table test
    // Drawn from 0 of the total, then erased (clearOnComplete), before the table.
    expect(r.stdout).toMatch(new RegExp(`scanning .* 0/${models()} models`));
    const table = r.stdout.indexOf(`${models()} model(s): 4 ok, 0 with security findings, 1 with integrity findings`);
    expect(table).toBeGreaterThan(r.stdout.lastIndexOf('scanning'));
    expect(r.stdout).toContain('\u001b[?25l'); // the cursor hidden while it runs
  });

  it('is not drawn when stderr is not a terminal: nothing but the table', () => {
    const r = runCli(['scan', tmp, '--exclude', 'b/broken.h5', '--jobs', '1']);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('scanning');
    expect(r.stdout).not.toContain('\u001b');
  });
});

describe('scan stops what will not end, file by file', () => {
  it('a file that makes the HDF5 library spin gets its own line and the scan goes on (per-file --timeout)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-scanhang-'));
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-scantmp-'));
    try {
      fs.copyFileSync(F('regress/hangs/keras3-hdf5-gcol-loop.keras'), path.join(dir, 'spins.keras'));
      fs.copyFileSync(F('keras-h5/mlp.h5'), path.join(dir, 'mlp.h5'));
      fs.copyFileSync(F('keras3/mlp.keras'), path.join(dir, 'mlp.keras'));
      const t0 = Date.now();
      // Through h5wasm the first file spins for ever; two workers, so the others are read while it spins.
      const r = runCli(['scan', dir, '--format', 'jsonl', '--timeout', '2', '--jobs', '2'], undefined, {
        KERASCOPE_HDF5: 'h5wasm',
        TMPDIR: scratch,
      });
      expect(Date.now() - t0).toBeLessThan(30_000);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('');
      const lines = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { path: string; error?: string; totals?: unknown });
      expect(lines.map((l) => path.basename(l.path)).sort()).toEqual(['mlp.h5', 'mlp.keras', 'spins.keras']);
      const spun = lines.find((l) => l.path.endsWith('spins.keras'));
      expect(spun?.error).toBe(
        `${path.join(dir, 'spins.keras')}: still reading after 2 s; stopped (raise the limit with --timeout SECONDS)`,
      );
      expect(lines.filter((l) => l.totals)).toHaveLength(2);
      expect(fs.readdirSync(scratch)).toEqual([]); // the workers' scratch folder is gone
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
