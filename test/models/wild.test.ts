// Families of real files from issue 8 (fixtures/wild/, made by scripts/fixtures/wild.mjs): a Windows-saved
// `.keras`, a subclassed model, a Keras 2.2 GAN Sequential of nested Functional models, an unzipped `.keras`
// folder, an architecture JSON with two candidate weights files. Every count is worked out by hand here.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/inspect.js';
import { MemorySource } from '../../src/io/byte-source.js';
import type { Report } from '../../src/model/types.js';
import { exitStatus, inspect } from '../../src/index.js';

const F = (p: string) => `fixtures/wild/${p}`;
const rows = (r: Report) => r.layers.map((l) => [l.name, l.className, l.params.expected, l.params.stored, l.status, l.depth]);
const codes = (r: Report, ...severity: string[]) =>
  r.findings.filter((f) => !severity.length || severity.includes(f.severity)).map((f) => f.code);

describe('a .keras saved on Windows (backslash groups, generated names, metric state)', () => {
  it('counts every layer exactly, maps dense/dense_1 to dense_40/dense_41 by order, keeps metrics apart', async () => {
    const r = await inspect(F('windows.keras'));
    expect(rows(r)).toEqual([
      ['input_12', 'InputLayer', 0, 0, 'ok', 0],
      ['dense_40', 'Dense', 144, 144, 'ok', 0], // 8·16 + 16, stored as layers\dense
      ['dense_41', 'Dense', 68, 68, 'ok', 0], // 16·4 + 4, stored as layers\dense_1
      ['sequential_3', 'Sequential', 10, 10, 'ok', 0], // 4·2 + 2, stored as layers\sequential\layers\dense
    ]);
    // 144 + 68 + 10 = 222; Adam: 1 iteration + m and v for each of the 222 values = 445; two metrics × (total, count) = 4.
    expect(r.totals).toMatchObject({
      params: 222,
      trainable: 222,
      nonTrainable: 0,
      stored: 222,
      storedBytes: 222 * 4,
      optimizerStored: 445,
      metricsStored: 4,
    });
    expect(codes(r, 'critical', 'high')).toEqual([]);
    expect(codes(r, 'medium', 'low')).toEqual([]);
    expect(codes(r)).toEqual(expect.arrayContaining(['optimizer-state', 'metric-state']));
    expect(exitStatus(r.findings)).toBe(0);
  });

  it('reads the same from memory as from disk', async () => {
    const bytes = new Uint8Array(fs.readFileSync(F('windows.keras')));
    const mem = (await analyze(MemorySource.of(F('windows.keras'), bytes))).report;
    const disk = await inspect(F('windows.keras'));
    expect(mem.totals).toEqual(disk.totals);
    expect(rows(mem)).toEqual(rows(disk));
  });
});

describe('a subclassed keras.Model in .keras (no layers in config.json)', () => {
  it('counts every stored non-optimizer, non-metric variable under the root row, unverified', async () => {
    const r = await inspect(F('subclassed.keras'));
    // own vars (3,) = 3; encoder dense 6·8 + 8 = 56 and dense_1 8·4 + 4 = 36; decoder 4·6 + 6 = 30;
    // _layer_checkpoint_dependencies/batch_normalization 4 × (6,) = 24 → 3 + 56 + 36 + 30 + 24 = 149.
    expect(rows(r)).toEqual([['my_model', 'MyModel', null, 149, 'unverified', 0]]);
    expect(r.totals).toMatchObject({ params: 149, stored: 149, optimizerStored: 1, metricsStored: 2 });
    expect(codes(r)).toContain('subclassed-model');
    expect(codes(r, 'critical', 'high')).toEqual([]);
    expect(r.findings.find((f) => f.code === 'subclassed-model')!.message).toContain('11 stored variables (149 values)');
  });

  it('--depth 1 shows one row per top-level tracker', async () => {
    const r = await inspect(F('subclassed.keras'), { depth: 1 });
    const children = r.layers.filter((l) => l.depth === 1).map((l) => [l.name, l.params.stored]);
    expect(children).toEqual(
      expect.arrayContaining([
        ['batch_normalization', 24],
        ['encoder', 92],
        ['decoder', 30],
        ['(own variables)', 3],
      ]),
    );
    expect(children.reduce((n, [, s]) => n + (s as number), 0)).toBe(149);
  });

  it('a legacy weights .h5 with top_level_model_weights counts those variables too', async () => {
    const r = await inspect(F('subclassed_weights.h5'));
    // dense 3·2 + 2 = 8; top_level_model_weights scale (2,) = 2.
    expect(rows(r)).toEqual([
      ['dense', null, null, 8, 'unverified', 0],
      ['top_level_model_weights', null, null, 2, 'unverified', 0],
    ]);
    expect(r.totals).toMatchObject({ params: 10, stored: 10 });
  });
});

describe('a Sequential of two nested Functional models without an outer input shape (Keras 2.2 GAN)', () => {
  it("takes the first nested model's InputLayer as the input: both rows ok with exact counts", async () => {
    const r = await inspect(F('gan.h5'));
    // generator: 10·16 + 16 = 176, 16·8 + 8 = 136 → 312; discriminator: 8·4 + 4 = 36, 4·1 + 1 = 5 → 41.
    expect(rows(r)).toEqual([
      ['generator', 'Model', 312, 312, 'ok', 0],
      ['discriminator', 'Model', 41, 41, 'ok', 0],
    ]);
    expect(r.layers.map((l) => l.outputShape)).toEqual([
      [null, 8],
      [null, 1],
    ]);
    expect(r.totals).toMatchObject({ params: 353, trainable: 353, stored: 353 });
    expect(codes(r)).not.toContain('shape-unknown');
    expect(exitStatus(r.findings)).toBe(0);
  });
});

describe('a .keras unzipped into a folder', () => {
  // The Keras 3 mlp: 3·4 + 4 = 16, 4·4 + 4 = 20, 4·1 + 1 = 5 → 41.
  for (const input of ['unzipped', 'unzipped/config.json']) {
    it(`inspects ${input}`, async () => {
      const r = await inspect(F(input));
      expect(r.format).toBe('keras-v3');
      expect(
        rows(r)
          .filter((x) => x[1] !== 'InputLayer')
          .map((x) => [x[0], x[2], x[3], x[4]]),
      ).toEqual([
        ['dense', 16, 16, 'ok'],
        ['dense_1', 20, 20, 'ok'],
        ['dense_2', 5, 5, 'ok'],
      ]);
      expect(r.totals).toMatchObject({ params: 41, stored: 41 });
      expect(r.kerasVersion).toBe('3.6.0');
      expect(r.findings).toEqual([]);
    });
  }
});

describe('an architecture JSON beside several weights files', () => {
  it('names the candidates and the one used', async () => {
    const r = await inspect(F('ambiguous/arch.json'));
    const f = r.findings.find((x) => x.code === 'companion-weights-ambiguous')!;
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('weights read from arch_weights.h5');
    expect(f.message).toContain('arch.h5');
    expect(r.totals).toMatchObject({ params: 41, stored: 41 });
  });
});

describe('the library API as the README shows it', () => {
  it('inspect, renderTable, renderJson, exitStatus; analyze on a MemorySource', async () => {
    const lib = await import('../../src/index.js');
    const report = await lib.inspect(F('gan.h5'), { depth: 1 });
    expect([report.totals.params, report.producer, report.model]).toEqual([
      353,
      'Keras 2.2.4',
      { name: 'sequential_1', className: 'Sequential' },
    ]);
    const table = lib.renderTable(report, { width: 100, color: false });
    expect(table.split('\n').slice(0, 2)).toEqual(['Model: "sequential_1"', `File: ${F('gan.h5')} (keras-h5, Keras 2.2.4)`]);
    // --depth 1: the nested models' Dense layers under them (16·10+16 = 176 … 4·1+1 = 5).
    expect(report.layers.filter((l) => l.depth === 1).map((l) => [l.name, l.params.expected])).toEqual([
      ['input_1', 0],
      ['dense_1', 176],
      ['dense_2', 136],
      ['input_2', 0],
      ['dense_3', 36],
      ['dense_4', 5],
    ]);
    expect(lib.exitStatus(report.findings)).toBe(0);
    const files = new Map([
      ['m/arch.json', new Uint8Array(fs.readFileSync('fixtures/keras-h5/mlp.json'))],
      ['m/arch_weights.h5', new Uint8Array(fs.readFileSync('fixtures/keras-h5/mlp_weights.h5'))],
    ]);
    const { report: r2 } = await lib.analyze(new lib.MemorySource(files, 'm/arch.json'));
    expect(JSON.parse(lib.renderJson(r2)).totals.params).toBe(41);
  });
});
