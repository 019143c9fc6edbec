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

type ScanDoc = {
  kind: string;
  root: string;
  entries: { path: string; report?: Report; error?: string }[];
  summary: Record<string, number>;
};

const expected = () => ['a/arch/net.json', 'a/model.bin', 'a/tfjs-mlp/model.json', 'b/broken.h5', 'b/mismatch.h5', 'skip/deep/mlp.h5'];

describe('discovery', () => {
  it('finds models by content, pairs an architecture with its weights, skips shards, non-models and loops', () => {
    const found = [...discover(tmp)];
    expect(found.map((f) => path.relative(tmp, f.file)).sort()).toEqual(expected());
    expect(found.find((f) => f.file.endsWith('net.json'))!.weights).toBe(T('a/arch/net_weights.h5'));
  });

  it('pairs an architecture with the weights file inspect reads beside it: one model, not two', async () => {
    const dir = T('pairs');
    fs.mkdirSync(path.join(dir, 'k2'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'both'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'k3'), { recursive: true });
    fs.copyFileSync(F('keras-h5/mlp.json'), path.join(dir, 'k2/model.json'));
    fs.copyFileSync(F('keras-h5/mlp_weights.h5'), path.join(dir, 'k2/model.weights.h5'));
    // Two candidates: inspect reads model_weights.h5 (first in its order); model.h5, a whole model, stays a model.
    fs.copyFileSync(F('keras-h5/mlp.json'), path.join(dir, 'both/model.json'));
    fs.copyFileSync(F('keras-h5/mlp_weights.h5'), path.join(dir, 'both/model_weights.h5'));
    fs.copyFileSync(F('keras-h5/mlp.h5'), path.join(dir, 'both/model.h5'));
    // An unzipped .keras folder: its config.json (Keras 3 keys) and model.weights.h5 are one model.
    fs.writeFileSync(path.join(dir, 'k3/config.json'), '{"module": "keras", "class_name": "Sequential", "config": {}}');
    fs.copyFileSync(F('keras-h5/mlp_weights.h5'), path.join(dir, 'k3/model.weights.h5'));
    const found = [...discover(dir)].map((f) => ({
      file: path.relative(dir, f.file),
      weights: f.weights && path.relative(dir, f.weights),
    }));
    expect(found).toEqual([
      { file: 'both/model.h5', weights: undefined },
      { file: 'both/model.json', weights: 'both/model_weights.h5' },
      { file: 'k2/model.json', weights: 'k2/model.weights.h5' },
      { file: 'k3/config.json', weights: 'k3/model.weights.h5' },
    ]);
    // The same weights as inspect reads: its companion-weights finding names them.
    for (const f of ['k2/model.json', 'both/model.json']) {
      const rep = await inspect(path.join(dir, f));
      const w = found.find((x) => x.file === f)!.weights!;
      expect(rep.findings.find((x) => x.code.startsWith('companion-weights'))!.message).toContain(path.basename(w));
      expect(rep.totals.params).toBe(16 + 20 + 5);
    }
    fs.rmSync(dir, { recursive: true, force: true });
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
    const all = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { path: string; error?: string; summary?: unknown } & Partial<Report>);
    // The last record is the summary (the same fields as the json document's): 6 models, 1 unreadable,
    // mismatch.h5's high shape-mismatch as the one integrity failure, the 4 others ok.
    expect(all.at(-1)).toEqual({ summary: { models: 6, ok: 4, security: 0, integrity: 1, unreadable: 1, skipped: 0 } });
    const lines = all.slice(0, -1);
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
    expect(r.stdout).toContain('5 models: 4 ok, 0 with security findings, 1 with integrity findings (high or above), 0 unreadable');
    for (const p of expected().filter((x) => x !== 'b/broken.h5')) expect(r.stdout).toContain(path.join(tmp, p));
  });

  it('table: the size, the distinct codes and the security marker of each row', () => {
    const r = runCli(['scan', tmp, '--exclude', 'b/broken.h5']);
    const row = r.stdout.split('\n').find((l) => l.includes('mismatch.h5'))!;
    expect(row).toContain('shape-mismatch');
    // Size as Keras prints it (1024-based, two decimals), from the file on disk.
    const kb = (fs.statSync(T('b/mismatch.h5')).size / 1024).toFixed(2);
    expect(row).toContain(`${kb} KB`);
    const cells = (line: string) => line.split('│').map((c) => c.trim());
    const head = cells(r.stdout.split('\n').find((l) => l.includes('File'))!);
    expect(head.slice(1, 6)).toEqual(['!', 'File', 'Format', 'Size', 'Params']);
    expect(cells(row)[1]).toBe(''); // an integrity finding is no security marker
  });

  it('table: a file with a security finding at or above --fail-on carries the marker', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-scansec-'));
    try {
      fs.copyFileSync(F('security/lambda-tfkeras.h5'), path.join(dir, 'lambda.h5'));
      fs.copyFileSync(F('keras-h5/mlp.h5'), path.join(dir, 'mlp.h5'));
      const r = runCli(['scan', dir]);
      expect(r.code).toBe(1);
      const cells = (file: string) =>
        r.stdout
          .split('\n')
          .find((l) => l.includes(file))!
          .split('│')
          .map((c) => c.trim());
      // Independent: the codes inspect finds in the file, at high or above, in the security family.
      const codes = [...new Set((await inspect(path.join(dir, 'lambda.h5'))).findings.map((f) => f.code))];
      expect(codes.length).toBeGreaterThan(0);
      expect(cells('lambda.h5')[1]).toBe('!');
      expect(cells('lambda.h5')[9]).toContain(codes.find((c) => c !== 'companion-weights')!.slice(0, 10));
      expect(cells('mlp.h5')[1]).toBe('');
      expect(r.stdout).toContain('2 models: 1 ok, 1 with security findings');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const json = (args: string[]) => {
    const r = runCli(['scan', tmp, '--format', 'json', ...args]);
    return { ...r, doc: JSON.parse(r.stdout) as ScanDoc };
  };

  it('--format json: one document, valid against schema/scan.schema.json, each entry the report inspect gives', async () => {
    const r = json([]);
    expect(r.code).toBe(2);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    ajv.addSchema(JSON.parse(fs.readFileSync('schema/report.schema.json', 'utf8')), 'report.schema.json');
    const validate = ajv.compile(JSON.parse(fs.readFileSync('schema/scan.schema.json', 'utf8')));
    expect(validate(r.doc), JSON.stringify(validate.errors)).toBe(true);
    expect(r.doc.kind).toBe('kerascope-scan');
    expect(r.doc.root).toBe(tmp);
    expect(r.doc.entries.map((e) => path.relative(tmp, e.path))).toEqual(expected()); // default: by path
    expect(r.doc.summary).toEqual({ models: 6, ok: 4, security: 0, integrity: 1, unreadable: 1, skipped: 0 });
    const mlp = r.doc.entries.find((e) => e.path.endsWith('deep/mlp.h5'))!;
    expect(mlp.report).toEqual(JSON.parse(JSON.stringify(await inspect(T('skip/deep/mlp.h5')))));
    expect(r.doc.entries.find((e) => e.path.endsWith('broken.h5'))!.error).toMatch(/truncated/);
    // The document fails validation when a summary field is missing (the schema is not a blank check).
    const { ok: _ok, ...short } = r.doc.summary;
    expect(validate({ ...r.doc, summary: short })).toBe(false);
  });

  it('--sort params|findings|severity orders the entries (largest or worst first, then by path)', async () => {
    const params = json(['--sort', 'params', '--exclude', 'b/broken.h5']).doc.entries;
    // Independent: inspect each file and order by its totals.
    const counts = await Promise.all(params.map(async (e) => ({ p: e.path, n: (await inspect(e.path)).totals.params ?? -1 })));
    const want = [...counts].sort((a, b) => b.n - a.n || (a.p < b.p ? -1 : 1)).map((x) => x.p);
    expect(params.map((e) => e.path)).toEqual(want);
    expect(new Set(counts.map((c) => c.n)).size).toBeGreaterThan(1); // the order is not the path order by accident
    const sev = json(['--sort', 'severity']).doc.entries.map((e) => path.relative(tmp, e.path));
    expect(sev[0]).toBe('b/mismatch.h5'); // the only high finding
    expect(sev.at(-1)).toBe('b/broken.h5'); // unreadable last
    const byFindings = json(['--sort', 'findings']).doc.entries;
    const n = byFindings.map((e) => e.report?.findings.length ?? -1);
    expect(n).toEqual([...n].sort((a, b) => b - a));
  });

  it('--min-severity drops the findings below it; --code keeps only the files with that code', () => {
    const crit = json(['--min-severity', 'critical', '--exclude', 'b/broken.h5']);
    expect(crit.code).toBe(0); // the high shape-mismatch is filtered out: every file is ok
    expect(crit.doc.summary).toEqual({ models: 5, ok: 5, security: 0, integrity: 0, unreadable: 0, skipped: 0 });
    expect(crit.doc.entries.every((e) => e.report!.findings.length === 0)).toBe(true);
    const code = json(['--code', 'shape-mismatch']);
    expect(code.code).toBe(1);
    expect(code.doc.entries.map((e) => path.relative(tmp, e.path))).toEqual(['b/mismatch.h5']);
    const none = json(['--code', 'shape-mismatch', '--min-severity', 'critical']);
    expect(none.doc.entries).toEqual([]);
    expect(none.code).toBe(0);
  });

  it('--format sarif: one SARIF 2.1.0 log, one run, every file an artifact, the unreadable file on stderr', () => {
    const r = runCli(['scan', tmp, '--format', 'sarif']);
    expect(r.code).toBe(2);
    const log = JSON.parse(r.stdout) as {
      version: string;
      runs: {
        artifacts: { location: { uri: string } }[];
        results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      }[];
    };
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.artifacts).toHaveLength(5);
    const mismatch = log.runs[0]!.results.filter((x) => x.ruleId === 'shape-mismatch');
    expect(mismatch.length).toBeGreaterThan(0);
    expect(mismatch.every((x) => x.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('b/mismatch.h5'))).toBe(true);
    expect(r.stderr).toMatch(/^kerascope: .*broken\.h5: truncated/m);
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
    const table = r.stdout.indexOf(`${models()} models: 4 ok, 0 with security findings, 1 with integrity findings`);
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
        .map((l) => JSON.parse(l) as { path: string; error?: string; totals?: unknown; summary?: unknown })
        .filter((l) => !l.summary);
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
