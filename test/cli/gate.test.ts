// `kerascope baseline | check | diff` end to end, on models written by real TF.js (fixtures/gate, made by
// scripts/fixtures/gate.mjs) and real Keras files (../shared/models). Expected numbers are hand arithmetic
// written here, TF.js countParams() on the same files, or EXPECTED.json.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { MODELS_DIR, realModels } from '../helpers/real-models.js';

const ajv = new Ajv2020({ allErrors: true });
const schema = (name: string) => ajv.compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', `${name}.schema.json`), 'utf8')));
const validBaseline = schema('baseline');
const validCheck = schema('check');
const validDiff = schema('diff');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-gate-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const G = (name: string) => `fixtures/gate/${name}`;
const BASE = G('base/model.json');
const sha = (file: string) =>
  crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.resolve(ROOT, file)))
    .digest('hex');

function json(args: string[], code: number) {
  const r = runCli([...args, '--format', 'json']);
  expect(r.code, r.stderr).toBe(code);
  return JSON.parse(r.stdout);
}

function diff(a: string, b: string, extra: string[] = [], code = 0) {
  const d = json(['diff', a, b, ...extra], code);
  expect(validDiff(d), JSON.stringify(validDiff.errors)).toBe(true);
  return d;
}

function check(args: string[], code: number) {
  const c = json(['check', ...args], code);
  expect(validCheck(c), JSON.stringify(validCheck.errors)).toBe(true);
  return c;
}

/** TF.js's own count for a saved TF.js model: an independent source for the fixtures' totals. */
async function tfjsCount(dir: string): Promise<number> {
  const mj = JSON.parse(fs.readFileSync(path.join(ROOT, dir, 'model.json'), 'utf8'));
  const data = fs.readFileSync(path.join(ROOT, dir, 'weights.bin'));
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: mj.modelTopology,
      weightSpecs: mj.weightsManifest[0].weights,
      weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
    }),
  );
  const n = model.countParams();
  model.dispose();
  return n;
}

const baselineFile = path.join(tmp, 'kerascope.baseline.json');
beforeAll(() => {
  const r = runCli(['baseline', BASE, '-o', baselineFile]);
  expect(r.code, r.stderr).toBe(0);
});

describe('the fixture pairs, as TF.js counts them', () => {
  it('base 25 (20 + 5), wide 30 (dense_1 4·2+2), extra 45 (+ Dense(4) on 4 = 20), renamed and frozen 25', async () => {
    expect(await tfjsCount(G('base'))).toBe(4 * 4 + 4 + 4 * 1 + 1);
    expect(await tfjsCount(G('wide'))).toBe(20 + 4 * 2 + 2);
    expect(await tfjsCount(G('extra'))).toBe(20 + 20 + 5);
    expect(await tfjsCount(G('renamed'))).toBe(25);
    expect(await tfjsCount(G('frozen'))).toBe(25);
  });
});

describe('baseline', () => {
  it('records format, per-layer counts and shapes, totals, hashes and versions; valid against its schema', () => {
    const b = JSON.parse(fs.readFileSync(baselineFile, 'utf8'));
    expect(validBaseline(b), JSON.stringify(validBaseline.errors)).toBe(true);
    expect(b.kerascopeVersion).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    expect(b.format).toBe('tfjs-layers');
    expect(b.sha256).toBe(sha(BASE));
    expect(b.totals).toMatchObject({ params: 25, trainable: 25, nonTrainable: 0, stored: 25, storedBytes: 100 });
    expect(b.totals.diskBytes).toBe(fs.statSync(path.join(ROOT, BASE)).size + 100); // model.json + 25 float32 in weights.bin
    expect(
      b.layers.map((l: { name: string; params: number; outputShape: unknown; weights: { shape: number[] }[] }) => [
        l.name,
        l.params,
        l.outputShape,
        l.weights.map((w) => w.shape),
      ]),
    ).toEqual([
      ['dense', 20, [null, 4], [[4, 4], [4]]],
      ['dense_1', 5, [null, 1], [[4, 1], [1]]],
    ]);
    // Human-diffable: one layer per line.
    expect(
      fs
        .readFileSync(baselineFile, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"className"')),
    ).toHaveLength(2);
  });
  it('the architecture hash ignores generated names and sees structure', () => {
    const hash = (f: string) => JSON.parse(runCli(['baseline', f, '--stdout']).stdout).architectureHash;
    const base = hash(BASE);
    expect(hash(G('renamed/model.json'))).toBe(base);
    expect(hash(G('wide/model.json'))).not.toBe(base);
    expect(hash(G('frozen/model.json'))).not.toBe(base);
  });
  it('refuses to overwrite without --force, leaves no temp file, rewrites with --force', () => {
    const before = fs.readFileSync(baselineFile, 'utf8');
    const r = runCli(['baseline', G('wide/model.json'), '-o', baselineFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`kerascope: ${baselineFile}: already exists: pass --force to overwrite it\n`);
    expect(fs.readFileSync(baselineFile, 'utf8')).toBe(before);
    const other = path.join(tmp, 'forced.json');
    fs.writeFileSync(other, 'old');
    expect(runCli(['baseline', G('wide/model.json'), '-o', other, '--force']).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(other, 'utf8')).totals.params).toBe(30);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('diff', () => {
  it('the same model in three formats (TF.js, Keras 2 h5, Keras 3 .keras): no layer and no parameter change', () => {
    const pairs: [string, string][] = [
      ['fixtures/tfjs/mlp/model.json', 'fixtures/keras-h5/mlp.h5'],
      ['fixtures/keras-h5/mlp.h5', 'fixtures/keras3/mlp.keras'],
    ];
    for (const [a, b] of pairs) {
      const d = diff(a, b);
      expect(d.layers).toEqual([]);
      expect(d.totals.params).toEqual({ before: 41, after: 41, delta: 0, percent: 0 });
      expect(d.totals.trainable.delta).toBe(0);
      expect(d.weightsCompat.topological.ok).toBe(true);
      expect(d.weightsCompat.byName.ok).toBe(true);
    }
  });
  it('a widened Dense: exactly that layer, 5 → 10, total +5 = +20%', () => {
    const d = diff(BASE, G('wide/model.json'));
    expect(d.layers).toHaveLength(1);
    expect(d.layers[0]).toMatchObject({ kind: 'changed', name: 'dense_1', aspects: ['params', 'outputShape', 'weights'], delta: 5 });
    expect([d.layers[0].before.params, d.layers[0].after.params]).toEqual([5, 10]);
    expect([d.layers[0].before.outputShape, d.layers[0].after.outputShape]).toEqual([
      [null, 1],
      [null, 2],
    ]);
    expect(d.totals.params).toEqual({ before: 25, after: 30, delta: 5, percent: 20 });
  });
  it('a removed layer: dense_extra, −20 of 45 = −44.4444%', () => {
    const d = diff(G('extra/model.json'), BASE);
    expect(d.layers.map((c: { kind: string; name: string; delta: number }) => [c.kind, c.name, c.delta])).toEqual([
      ['removed', 'dense_extra', -20],
    ]);
    expect(d.totals.params).toEqual({ before: 45, after: 25, delta: -20, percent: Math.round((-20 / 45) * 1e6) / 1e4 });
  });
  it('renamed but identical: only renames, same architecture hash; by_name would load nothing', () => {
    const d = diff(BASE, G('renamed/model.json'));
    expect(d.layers.map((c: { kind: string; name: string; renamedFrom: string }) => [c.kind, c.renamedFrom, c.name])).toEqual([
      ['renamed', 'dense', 'dense_3'],
      ['renamed', 'dense_1', 'dense_7'],
    ]);
    expect(d.sameArchitecture).toBe(true);
    expect(d.totals.params.delta).toBe(0);
    expect(d.weightsCompat.topological.ok).toBe(true);
    expect(d.weightsCompat.byName).toMatchObject({ ok: false, keepInitial: ['dense', 'dense_1'] });
  });
  it('Markdown: the verdict line, the totals and layer tables, the two load modes', () => {
    const r = runCli(['diff', BASE, G('extra/model.json'), '--format', 'markdown']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('**kerascope diff**: 1 layer changed, total params 25 → 45 (+20, +80%)');
    expect(lines).toContain('| Total params | 25 | 45 | +20 (+80%) |');
    expect(lines).toContain('| `dense_extra` | Dense | added: 20 params, output shape (None, 4) | – → 20 | – → (None, 4) |');
    expect(lines).toContain(
      '- ❌ `load_weights` (topological order): layer count differs: the architecture has 2 layers with weights, the file stores 3 (extra: \\`dense_extra\\`)',
      // (a message is text: the backticks the gate wrote around the name are escaped like any other)
    );
    expect(lines).toContain('- ✅ `load_weights(by_name=True)`: loads by name: all 2 layers with weights found');
  });
  it('text output: one line per changed layer, totals with the percentage, no colour when not on a TTY', () => {
    const r = runCli(['diff', BASE, G('wide/model.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('~ dense_1 (Dense)  params 5 → 10 (+5); output shape (None, 1) → (None, 2)');
    expect(r.stdout).toContain('Total params:          25 → 30 (+5, +20%)');
    expect(r.stdout).not.toContain('\u001b[');
  });
});

describe('weights compatibility, the way Keras load_weights would fail', () => {
  it('one more layer in the weights file: layer count differs, naming the extra layer; by name it loads', () => {
    const d = diff(G('base.json'), G('extra_layer_weights.h5'), ['--weights-compat'], 1);
    expect(d.weightsCompat.topological.message).toBe(
      'layer count differs: the architecture has 2 layers with weights, the file stores 3 (extra: `dense_extra`)',
    );
    expect(d.weightsCompat.byName.ok).toBe(true);
  });
  it('a kernel stored channels-first: layer #0, expected and stored shapes, and the hint', () => {
    const d = diff(G('convnet.json'), G('convnet_transposed_weights.h5'), ['--weights-compat'], 1);
    expect(d.weightsCompat.topological).toEqual({
      ok: false,
      layerIndex: 0,
      layer: 'conv2d',
      message:
        'layer #0 `conv2d`, weight `kernel`: expects (3, 3, 1, 8), stored (8, 1, 3, 3) — the kernel looks transposed (channels-first export?)',
    });
    const r = runCli(['diff', G('convnet.json'), G('convnet_transposed_weights.h5'), '--weights-compat']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'load_weights (topological order): no — layer #0 `conv2d`, weight `kernel`: expects (3, 3, 1, 8), stored (8, 1, 3, 3)',
    );
  });
  it('matching weights load: exit 0 with --weights-compat', () => {
    const d = diff(G('convnet.json'), 'fixtures/keras-h5/convnet.h5', ['--weights-compat'], 0);
    expect(d.weightsCompat.topological.message).toBe('loads by topological order: 4 layers with weights, every count and shape agrees');
  });
});

describe('check', () => {
  it('growth just under and just over the budget: +20% passes 20%, fails 19.9%; +5 passes 5, fails 4', () => {
    expect(check([G('wide/model.json'), '-b', baselineFile, '--max-growth', '20%'], 0).verdict).toBe('pass');
    const over = check([G('wide/model.json'), '-b', baselineFile, '--max-growth', '19.9%'], 1);
    expect(over.budgets).toEqual([
      {
        budget: 'max-growth',
        limit: '19.9%',
        allowed: 29,
        actual: 30,
        ok: false,
        message: 'total params 25 → 30 (+5, +20%) over the growth budget of 19.9% (up to 29)',
      },
    ]);
    expect(check([G('wide/model.json'), '-b', baselineFile, '--max-growth', '5 params'], 0).verdict).toBe('pass');
    expect(check([G('wide/model.json'), '-b', baselineFile, '--max-growth', '4 params'], 1).verdict).toBe('fail');
  });
  it('a frozen layer: the move is reported, the total is unchanged, exit 0 under a total budget', () => {
    const c = check([G('frozen/model.json'), '-b', baselineFile, '--max-growth', '0%', '--max-params', '25 params'], 0);
    expect(c.layers).toHaveLength(1);
    expect(c.layers[0]).toMatchObject({ kind: 'changed', name: 'dense', aspects: ['trainable'], delta: 0 });
    expect([c.layers[0].before.trainable, c.layers[0].after.trainable, c.layers[0].after.nonTrainable]).toEqual([20, 0, 20]);
    expect(c.totals.params.delta).toBe(0);
    expect(c.totals.trainable).toEqual({ before: 25, after: 5, delta: -20, percent: -80 });
  });
  it('the renamed model passes against the base baseline with renames only', () => {
    const c = check([G('renamed/model.json'), '-b', baselineFile, '--max-growth', '0%'], 0);
    expect(c.layers.map((l: { kind: string }) => l.kind)).toEqual(['renamed', 'renamed']);
    expect(c.sameArchitecture).toBe(true);
  });
  it('absolute budgets: params, trainable, bytes (1024-based)', () => {
    const disk = fs.statSync(path.join(ROOT, G('extra/model.json'))).size + 180; // 45 float32
    const c = check([G('extra/model.json'), '--max-params', '45 params', '--max-trainable', '44 params', '--max-bytes', `${disk}B`], 1);
    expect(c.budgets.map((b: { budget: string; ok: boolean; actual: number }) => [b.budget, b.ok, b.actual])).toEqual([
      ['max-params', true, 45],
      ['max-trainable', false, 45],
      ['max-bytes', true, disk],
    ]);
    expect(check([G('extra/model.json'), '--max-bytes', `${disk - 1}B`], 1).budgets[0].ok).toBe(false);
    expect(check([G('extra/model.json'), '--max-bytes', '1KB'], 1).budgets[0]).toMatchObject({ allowed: 1024, ok: false });
    expect(check([G('extra/model.json'), '--max-bytes', '3KB'], 0).budgets[0]).toMatchObject({ allowed: 3072, ok: true });
  });
  it('a corrupted model: exit 1 with the finding, even within every budget', () => {
    const c = check(['fixtures/bad/h5-shape-mismatch.h5', '--max-params', '1M'], 1);
    expect(c.budgets[0].ok).toBe(true);
    expect(c.errors.some((e: { code: string; new: boolean }) => e.code === 'shape-mismatch' && e.new)).toBe(true);
    const gh = runCli(['check', 'fixtures/bad/h5-shape-mismatch.h5', '--max-params', '1M', '--format', 'github']);
    expect(gh.code).toBe(1);
    expect(gh.stdout).toMatch(/^::error file=fixtures\/bad\/h5-shape-mismatch\.h5,title=kerascope%3A shape-mismatch::/m);
  });
  it('--update rewrites the baseline when the change is intended (growth budget waived), atomically', () => {
    const b = path.join(tmp, 'update.json');
    fs.copyFileSync(baselineFile, b);
    const r = runCli(['check', G('wide/model.json'), '-b', b, '--max-growth', '1%', '--update']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`kerascope: ${b}: baseline updated\n`);
    const updated = JSON.parse(fs.readFileSync(b, 'utf8'));
    expect(validBaseline(updated), JSON.stringify(validBaseline.errors)).toBe(true);
    expect(updated.totals.params).toBe(30);
    expect(updated.sha256).toBe(sha(G('wide/model.json')));
    expect(check([G('wide/model.json'), '-b', b, '--max-growth', '0%'], 0).layers).toEqual([]);
    // An absolute budget still applies, and then the baseline stays as it was.
    const before = fs.readFileSync(b, 'utf8');
    expect(runCli(['check', G('extra/model.json'), '-b', b, '--max-params', '40 params', '--update']).code).toBe(1);
    expect(fs.readFileSync(b, 'utf8')).toBe(before);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
  it('Markdown: a one-line verdict, the before → after totals table and the layer table', () => {
    const r = runCli(['check', G('wide/model.json'), '-b', baselineFile, '--max-growth', '10%', '--format', 'markdown']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('<!-- kerascope check -->');
    expect(lines[1]).toBe('❌ **kerascope check failed**: 1 budget broken: max-growth');
    expect(lines).toContain('| | Before | After | Change |');
    expect(lines).toContain('| Total params | 25 | 30 | +5 (+20%) |');
    expect(lines).toContain('| Trainable params | 25 | 30 | +5 (+20%) |');
    expect(lines).toContain('| `--max-growth` | 10% | ❌ total params 25 → 30 (+5, +20%) over the growth budget of 10% (up to 27) |');
    expect(lines).toContain(
      '| `dense_1` | Dense | params 5 → 10 (+5); output shape (None, 1) → (None, 2) | 5 → 10 | (None, 1) → (None, 2) |',
    );
    // Every table row has the same number of cells as its header.
    const tables = r.stdout
      .trimEnd()
      .split('\n\n')
      .filter((block) => block.startsWith('|'));
    expect(tables.length).toBe(3);
    for (const t of tables) {
      const cells = t.split('\n').map((row) => row.replace(/\\\|/g, '').split('|').length);
      expect(new Set(cells).size).toBe(1);
    }
  });
  it('GitHub annotations: one ::error per broken budget, one ::warning per changed layer, in the workflow-command format', () => {
    const r = runCli([
      'check',
      G('wide/model.json'),
      '-b',
      baselineFile,
      '--max-growth',
      '10%',
      '--max-params',
      '26 params',
      '--format',
      'github',
    ]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    for (const l of lines) expect(l).toMatch(/^::(error|warning|notice) file=[^,:\n]+,title=[^,:\n]+::[^\n]+$/);
    expect(lines.filter((l) => l.startsWith('::error '))).toEqual([
      '::error file=fixtures/gate/wide/model.json,title=kerascope%3A --max-growth 10%25 exceeded::total params 25 → 30 (+5, +20%25) over the growth budget of 10%25 (up to 27)',
      '::error file=fixtures/gate/wide/model.json,title=kerascope%3A --max-params 26 params exceeded::total params 30 over the budget of 26 params (26)',
    ]);
    expect(lines.filter((l) => l.startsWith('::warning '))).toHaveLength(1);
  });
});

describe('bad input: one line, exit 2, nothing written, inputs unchanged', () => {
  const oneLine = (r: { code: number | null; stdout: string; stderr: string }, file: string, message: RegExp) => {
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`kerascope: ${file}: `);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  };
  it('a missing, a foreign, a broken and an older-schema baseline', () => {
    const missing = path.join(tmp, 'none.json');
    oneLine(runCli(['check', BASE, '-b', missing]), missing, /no such file/);
    const foreign = path.join(tmp, 'foreign.json');
    fs.writeFileSync(foreign, '{"a": 1}');
    oneLine(runCli(['check', BASE, '-b', foreign]), foreign, /not a kerascope baseline/);
    const broken = path.join(tmp, 'broken.json');
    fs.writeFileSync(broken, fs.readFileSync(baselineFile, 'utf8').slice(0, 100));
    oneLine(runCli(['check', BASE, '-b', broken]), broken, /not valid JSON/);
    const old = path.join(tmp, 'old.json');
    fs.writeFileSync(old, fs.readFileSync(baselineFile, 'utf8').replace('"schemaVersion": 2', '"schemaVersion": 0'));
    const before = sha(old);
    oneLine(
      runCli(['check', BASE, '-b', old, '--update']),
      old,
      /baseline schema version 0 .* is older than the versions this kerascope reads \(1, 2\); re-record it with `kerascope baseline MODEL -o .* --force`/,
    );
    expect(sha(old)).toBe(before);
  });
  it('an unreadable model: check, baseline and diff; no baseline written, no temp file left', () => {
    const bad = 'fixtures/bad/unreadable/truncated.h5';
    const before = sha(bad);
    oneLine(runCli(['check', bad, '--max-params', '1M']), bad, /./);
    const out = path.join(tmp, 'never.json');
    oneLine(runCli(['baseline', bad, '-o', out]), bad, /./);
    expect(fs.existsSync(out)).toBe(false);
    oneLine(runCli(['diff', BASE, bad]), bad, /./);
    expect(sha(bad)).toBe(before);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
  it('a baseline output that cannot be written: a missing folder, a directory', () => {
    const nowhere = path.join(tmp, 'no-such-dir', 'b.json');
    oneLine(runCli(['baseline', BASE, '-o', nowhere]), nowhere, /cannot write the baseline \(ENOENT\)/);
    oneLine(runCli(['baseline', BASE, '-o', tmp, '--force']), tmp, /is a directory/);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
  it('usage errors exit 2: no budget at all, --max-growth without a baseline, a bad suffix', () => {
    expect(runCli(['check', BASE]).code).toBe(2);
    expect(runCli(['check', BASE, '--max-growth', '2%']).code).toBe(2);
    const r = runCli(['check', BASE, '--max-params', '25MB']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a count/);
  });
});

const models = realModels();
const byId = (id: string) => models!.find((m) => m.id === id)!;
describe.skipIf(models === null)('real Keras and TF.js models', () => {
  it('fml_keras_3layer → fml_keras_3layer_batch_norm: the added BatchNormalization layers with EXPECTED.json counts', () => {
    const a = byId('fml_keras_3layer');
    const b = byId('fml_keras_3layer_batch_norm');
    const d = diff(path.join(MODELS_DIR, a.files[0]!), path.join(MODELS_DIR, b.files[0]!));
    const aNames = new Set(a.layers.map((l) => l.name));
    const added = b.layers.filter((l) => !aNames.has(l.name));
    expect(d.layers.map((c: { kind: string; name: string; after: { params: number } }) => [c.kind, c.name, c.after.params])).toEqual(
      added.map((l) => ['added', l.name, l.params]),
    );
    expect(d.totals.params).toEqual({ before: a.totals.params, after: b.totals.params, delta: 532, percent: 12.1212 }); // 532 / 4389 = 12.12121…%
    expect(d.totals.nonTrainable.after).toBe(b.totals.nonTrainable);
  });
  it('a real Keras weights file with 4 more layers than the architecture: the Keras-style explanation', () => {
    const a = byId('fml_keras_3layer');
    const b = byId('fml_keras_3layer_batch_norm');
    const d = diff(path.join(MODELS_DIR, a.files[0]!), path.join(MODELS_DIR, b.files[1]!), ['--weights-compat'], 1);
    expect(d.weightsCompat.topological.message).toBe(
      'layer count differs: the architecture has 4 layers with weights, the file stores 8 (extra: `bn1`, `bn2`, `bn3`, `bn4`)',
    );
    expect(
      diff(path.join(MODELS_DIR, a.files[0]!), path.join(MODELS_DIR, a.files[1]!), ['--weights-compat'], 0).weightsCompat.topological.ok,
    ).toBe(true);
  });
  for (const id of ['fc_tiny_xception_kdef', 'nsfwjs_mobilenet_v2', 'panyin_stock_lstm_keras3']) {
    it(`${id}: baseline counts equal EXPECTED.json; check against itself passes with no change`, () => {
      const m = byId(id);
      const file = path.join(MODELS_DIR, m.files[0]!);
      const before = sha(file);
      const out = path.join(tmp, `${id}.json`);
      expect(runCli(['baseline', file, '-o', out]).code).toBe(0);
      const b = JSON.parse(fs.readFileSync(out, 'utf8'));
      expect(validBaseline(b), JSON.stringify(validBaseline.errors)).toBe(true);
      expect(b.totals).toMatchObject({
        params: m.totals.params,
        trainable: m.totals.trainable,
        nonTrainable: m.totals.nonTrainable,
        stored: m.totals.stored,
      });
      expect(b.layers.map((l: { name: string; params: number }) => [l.name, l.params])).toEqual(m.layers.map((l) => [l.name, l.params]));
      const c = check([file, '-b', out, '--max-growth', '0%', '--max-params', `${m.totals.params} params`], 0);
      expect(c.layers).toEqual([]);
      expect(c.sameArchitecture).toBe(true);
      expect(sha(file)).toBe(before);
    });
  }
  it('nsfwjs_mobilenet_v2 (2,619,461 params): --max-params 2.6M fails, 2.62M passes', () => {
    const file = path.join(MODELS_DIR, byId('nsfwjs_mobilenet_v2').files[0]!);
    expect(check([file, '--max-params', '2.6M'], 1).budgets[0]).toMatchObject({ allowed: 2_600_000, actual: 2_619_461, ok: false });
    expect(check([file, '--max-params', '2.62M'], 0).budgets[0].ok).toBe(true);
  });
});
