// Keras 3 sharded weights: `model.weights.json` ({metadata, weight_map}) naming `model_00000.weights.h5`, …,
// inside a .keras archive or beside an architecture JSON. Built here from the mlp fixture's layout:
// Dense(4) on 3 inputs (3·4+4 = 16), Dense(4) (4·4+4 = 20), Dense(1) (4·1+1 = 5) → 41.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import h5wasm, { type Group } from 'h5wasm/node';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspect } from '../../src/index.js';
import { ROOT } from '../helpers/cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-sharded-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const config = fs.readFileSync(path.join(ROOT, 'fixtures', 'keras3', 'weights_only', 'config.json'), 'utf8');
const shards: Record<string, [string, number[][]][]> = {
  'model_00000.weights.h5': [
    ['dense', [[3, 4], [4]]],
    ['dense_1', [[4, 4]]],
  ],
  // dense_1's bias continues in the second shard, as Keras does when a shard fills up mid-layer.
  'model_00001.weights.h5': [
    ['dense_1', [[], [4]]],
    ['dense_2', [[4, 1], [1]]],
  ],
};

async function writeShards(dir: string): Promise<void> {
  await h5wasm.ready;
  for (const [name, layers] of Object.entries(shards)) {
    const f = new h5wasm.File(path.join(dir, name), 'w');
    f.create_group('layers');
    for (const [layer, vars] of layers) {
      const g = (f.get('layers') as Group).create_group(layer).create_group('vars');
      g.create_attribute('name', layer);
      vars.forEach((shape, i) => {
        if (shape.length === 0 && i === 0 && layer === 'dense_1') return; // index 0 lives in the first shard
        const n = shape.reduce((a, b) => a * b, 1);
        g.create_dataset({ name: String(i), data: new Float32Array(n), shape, dtype: '<f' });
      });
    }
    f.close();
  }
  const weightMap = {
    '/layers/dense/vars': 'model_00000.weights.h5',
    '/layers/dense_1/vars': 'model_00000.weights.h5',
    '/layers/dense_2/vars': 'model_00001.weights.h5',
  };
  fs.writeFileSync(path.join(dir, 'model.weights.json'), JSON.stringify({ metadata: { total_size: 164 }, weight_map: weightMap }));
}

async function zipDir(dir: string, out: string): Promise<void> {
  const z = new yazl.ZipFile();
  z.addBuffer(Buffer.from('{"keras_version": "3.10.0"}'), 'metadata.json', { compress: false });
  z.addBuffer(Buffer.from(config), 'config.json', { compress: false });
  for (const f of ['model.weights.json', ...Object.keys(shards)]) z.addFile(path.join(dir, f), f, { compress: false });
  z.end();
  await new Promise<void>((resolve, reject) => z.outputStream.pipe(fs.createWriteStream(out)).on('close', resolve).on('error', reject));
}

describe('Keras 3 sharded weights', () => {
  const dir = path.join(tmp, 'w');
  beforeAll(async () => {
    fs.mkdirSync(dir);
    await writeShards(dir);
    await zipDir(dir, path.join(tmp, 'sharded.keras'));
  });

  it('inside a .keras archive: every shard read in place, 41 params, no findings', async () => {
    const r = await inspect(path.join(tmp, 'sharded.keras'));
    expect(r.format).toBe('keras-v3');
    expect(r.totals).toMatchObject({ params: 41, stored: 41, trainable: 41 });
    expect(r.layers.filter((l) => l.className === 'Dense').map((l) => [l.name, l.params.stored, l.status])).toEqual([
      ['dense', 16, 'ok'],
      ['dense_1', 20, 'ok'],
      ['dense_2', 5, 'ok'],
    ]);
    expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(r.meta.weightShards).toBe('2');
  });

  it('beside an architecture JSON, given with --weights index.json', async () => {
    const arch = path.join(tmp, 'arch.json');
    fs.writeFileSync(arch, config);
    const r = await inspect(arch, { weights: path.join(dir, 'model.weights.json') });
    expect(r.totals).toMatchObject({ params: 41, stored: 41 });
    expect(r.findings.filter((f) => ['critical', 'high'].includes(f.severity))).toEqual([]);
  });

  it('a missing shard is an error finding naming it', async () => {
    const d2 = path.join(tmp, 'missing');
    fs.mkdirSync(d2);
    fs.copyFileSync(path.join(dir, 'model.weights.json'), path.join(d2, 'model.weights.json'));
    fs.copyFileSync(path.join(dir, 'model_00000.weights.h5'), path.join(d2, 'model_00000.weights.h5'));
    const arch = path.join(tmp, 'arch2.json');
    fs.writeFileSync(arch, config);
    const r = await inspect(arch, { weights: path.join(d2, 'model.weights.json') });
    const errors = r.findings.filter((f) => ['critical', 'high'].includes(f.severity));
    expect(errors[0]).toMatchObject({ code: 'shard-missing' });
    expect(errors[0]!.message).toContain('model_00001.weights.h5');
    // dense_2 (5 params) has nothing stored; dense_1 lacks its bias (4).
    expect(errors.map((f) => [f.code, f.layer])).toEqual([
      ['shard-missing', null],
      ['missing-weight', 'dense_1'],
      ['layer-weights-missing', 'dense_2'],
    ]);
    expect(r.totals.stored).toBe(16 + 16);
  });
});
