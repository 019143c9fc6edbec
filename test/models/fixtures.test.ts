// End to end on the generated fixtures (fixtures/README.md): every count is worked out by hand in the comments
// from the layer shapes, never taken from kerascope's output. Regenerate the files with `npm run fixtures`.
import { describe, expect, it } from 'vitest';
import { exitStatus, inspect, InputError } from '../../src/index.js';
import type { FormatId, LayerStatus, Report } from '../../src/model/types.js';

const F = (p: string) => `fixtures/${p}`;

/** [name, className, expected, stored, trainable, nonTrainable, status] of one top-level row. */
type Row = [string, string | null, number | null, number, number | null, number | null, LayerStatus];

interface Case {
  file: string;
  weights?: string;
  format: FormatId;
  rows: Row[];
  totals: { params: number; trainable: number; nonTrainable: number; stored: number; storedBytes?: number; optimizerStored?: number };
  /** Every error and warning, as [code, layer]; order does not matter. */
  findings: [string, string | null][];
  /** Info findings that must be present (others may be). */
  infos?: string[];
}

// Dense(u) on n inputs: kernel n·u + bias u.
const MLP_ROWS: Row[] = [
  ['dense', 'Dense', 16, 16, 16, 0, 'ok'], // 3·4 + 4
  ['dense_1', 'Dense', 20, 20, 20, 0, 'ok'], // 4·4 + 4
  ['dense_2', 'Dense', 5, 5, 5, 0, 'ok'], // 4·1 + 1
];
const MLP_TOTALS = { params: 41, trainable: 41, nonTrainable: 0, stored: 41, storedBytes: 41 * 4 };

// Conv2D: kh·kw·cin·filters + filters. BN(8): gamma, beta trainable (16), moving mean/variance not (16).
const CONV_ROWS: Row[] = [
  ['conv2d', 'Conv2D', 80, 80, 80, 0, 'ok'], // 3·3·1·8 + 8
  ['batch_normalization', 'BatchNormalization', 32, 32, 16, 16, 'ok'], // 4·8
  ['max_pooling2d', 'MaxPooling2D', 0, 0, 0, 0, 'ok'],
  ['conv2d_1', 'Conv2D', 292, 292, 292, 0, 'ok'], // 3·3·8·4 + 4 on the 5×5×8 pooled map
  ['flatten', 'Flatten', 0, 0, 0, 0, 'ok'], // 3×3×4 = 36
  ['dense', 'Dense', 370, 370, 370, 0, 'ok'], // 36·10 + 10
];
const CONV_TOTALS = { params: 774, trainable: 758, nonTrainable: 16, stored: 774 }; // 80+32+292+370

// proj_a 8·4+4; proj_b 6·4+4 (frozen); shared 4·5+5 once for two calls; head = (10·6+6) + (6·2+2).
const FUNCTIONAL_ROWS: Row[] = [
  ['input_a', 'InputLayer', 0, 0, 0, 0, 'ok'],
  ['input_b', 'InputLayer', 0, 0, 0, 0, 'ok'],
  ['proj_a', 'Dense', 36, 36, 36, 0, 'ok'],
  ['proj_b', 'Dense', 28, 28, 0, 28, 'ok'],
  ['shared', 'Dense', 25, 25, 25, 0, 'ok'],
  ['concatenate', 'Concatenate', 0, 0, 0, 0, 'ok'],
  ['head', 'Sequential', 80, 80, 80, 0, 'ok'],
];
const FUNCTIONAL_TOTALS = { params: 169, trainable: 141, nonTrainable: 28, stored: 169, storedBytes: 169 * 4 };

// The bad fixtures' base model `wide`: Dense(32) on 128 = 128·32+32 = 4128; Dense(1) on 32 = 33. Total 4161.
const WIDE = { params: 4161, trainable: 4161, nonTrainable: 0 };

const HEALTHY: Case[] = [
  // ── TF.js ──
  { file: 'tfjs/mlp/model.json', format: 'tfjs-layers', rows: MLP_ROWS, totals: MLP_TOTALS, findings: [] },
  {
    file: 'tfjs/convnet/model.json',
    format: 'tfjs-layers',
    rows: CONV_ROWS,
    totals: { ...CONV_TOTALS, storedBytes: 774 * 4 },
    findings: [],
  },
  // Quantized copies: same parameters; bytes on disk are 1 (uint8) or 2 (uint16, float16) per value.
  {
    file: 'tfjs/convnet-uint8/model.json',
    format: 'tfjs-layers',
    rows: CONV_ROWS,
    totals: { ...CONV_TOTALS, storedBytes: 774 },
    findings: [],
  },
  {
    file: 'tfjs/convnet-uint16/model.json',
    format: 'tfjs-layers',
    rows: CONV_ROWS,
    totals: { ...CONV_TOTALS, storedBytes: 774 * 2 },
    findings: [],
  },
  {
    file: 'tfjs/convnet-float16/model.json',
    format: 'tfjs-layers',
    rows: CONV_ROWS,
    totals: { ...CONV_TOTALS, storedBytes: 774 * 2 },
    findings: [],
  },
  // Two shards of 1500 + 1596 = 3096 bytes = 774 float32.
  {
    file: 'tfjs/convnet-sharded/model.json',
    format: 'tfjs-layers',
    rows: CONV_ROWS,
    totals: { ...CONV_TOTALS, storedBytes: 3096 },
    findings: [],
  },
  {
    file: 'tfjs/rnn/model.json',
    format: 'tfjs-layers',
    rows: [
      ['lstm', 'LSTM', 128, 128, 128, 0, 'ok'], // 4·(3·4 + 4·4 + 4)
      ['bidirectional', 'Bidirectional', 144, 144, 144, 0, 'ok'], // 2 · 3·(4·3 + 3·3 + 3), GRU reset_after false
      ['time_distributed', 'TimeDistributed', 14, 14, 14, 0, 'ok'], // Dense(2) on 6 = 3+3 features: 6·2 + 2
    ],
    totals: { params: 286, trainable: 286, nonTrainable: 0, stored: 286, storedBytes: 286 * 4 },
    findings: [],
  },
  { file: 'tfjs/functional/model.json', format: 'tfjs-layers', rows: FUNCTIONAL_ROWS, totals: FUNCTIONAL_TOTALS, findings: [] },

  // ── Keras 2 HDF5 ──
  // Adam state: iter (1) + m and v for each of the 41 parameters = 83 values.
  {
    file: 'keras-h5/mlp.h5',
    format: 'keras-h5',
    rows: MLP_ROWS,
    totals: { ...MLP_TOTALS, optimizerStored: 83 },
    findings: [],
    infos: ['optimizer-state'],
  },
  {
    file: 'keras-h5/chunked_layer_names.h5',
    format: 'keras-h5',
    rows: MLP_ROWS,
    totals: { ...MLP_TOTALS, optimizerStored: 0 },
    findings: [],
  },
  {
    file: 'keras-h5/mlp.json',
    weights: 'keras-h5/mlp_weights.h5',
    format: 'keras-h5-weights',
    rows: MLP_ROWS,
    totals: MLP_TOTALS,
    findings: [],
  },
  { file: 'keras-h5/convnet.h5', format: 'keras-h5', rows: CONV_ROWS, totals: CONV_TOTALS, findings: [] },
  {
    file: 'keras-h5/lstm.h5',
    format: 'keras-h5',
    rows: [
      ['lstm', 'LSTM', 128, 128, 128, 0, 'ok'], // 4·(3·4 + 4·4 + 4), stored as lstm/lstm_cell/*:0
      ['lstm_1', 'LSTM', 56, 56, 56, 0, 'ok'], // 4·(4·2 + 2·2 + 2)
      ['dense', 'Dense', 3, 3, 3, 0, 'ok'], // 2·1 + 1
    ],
    totals: { params: 187, trainable: 187, nonTrainable: 0, stored: 187 },
    findings: [],
  },
  { file: 'keras-h5/functional.h5', format: 'keras-h5', rows: FUNCTIONAL_ROWS, totals: FUNCTIONAL_TOTALS, findings: [] },

  // ── Keras 3 ──
  // Adam state (Keras 3): iteration + learning_rate (2 scalars) + m and v per parameter: 2 + 2·41 = 84.
  {
    file: 'keras3/mlp.keras',
    format: 'keras-v3',
    rows: [['input_layer', 'InputLayer', 0, 0, 0, 0, 'ok'], ...MLP_ROWS],
    totals: { ...MLP_TOTALS, optimizerStored: 84 },
    findings: [],
    infos: ['optimizer-state'],
  },
  { file: 'keras3/functional.keras', format: 'keras-v3', rows: FUNCTIONAL_ROWS, totals: FUNCTIONAL_TOTALS, findings: [] },
  {
    file: 'keras3/lstm.keras',
    format: 'keras-v3',
    rows: [
      ['input_layer', 'InputLayer', 0, 0, 0, 0, 'ok'],
      ['lstm', 'LSTM', 128, 128, 128, 0, 'ok'], // 4·(3·4 + 4·4 + 4)
      ['bidirectional', 'Bidirectional', 192, 192, 192, 0, 'ok'], // 2 · 4·(4·3 + 3·3 + 3)
      ['dense', 'Dense', 7, 7, 7, 0, 'ok'], // 6·1 + 1
    ],
    totals: { params: 327, trainable: 327, nonTrainable: 0, stored: 327, storedBytes: 327 * 4 },
    findings: [],
  },
  {
    file: 'keras3/convnet_k34.keras',
    format: 'keras-v3',
    rows: [['input_layer', 'InputLayer', 0, 0, 0, 0, 'ok'], ...CONV_ROWS],
    totals: CONV_TOTALS,
    findings: [],
  },
  {
    file: 'keras3/weights_only/config.json',
    weights: 'keras3/weights_only/model.weights.h5',
    format: 'keras-h5-weights',
    rows: [['input_layer', 'InputLayer', 0, 0, 0, 0, 'ok'], ...MLP_ROWS],
    totals: MLP_TOTALS,
    findings: [],
  },
  // A legacy HDF5 full model under a .keras name: read by content, same numbers as keras-h5/mlp.h5.
  {
    file: 'keras3/legacy_named.keras',
    format: 'keras-h5',
    rows: MLP_ROWS,
    totals: { ...MLP_TOTALS, optimizerStored: 83 },
    findings: [],
    infos: ['optimizer-state'],
  },
];

function checkCase(r: Report, c: Case): void {
  expect(r.format).toBe(c.format);
  const rows = r.layers
    .filter((l) => l.depth === 0)
    .map((l): Row => [l.name, l.className, l.params.expected, l.params.stored, l.params.trainable, l.params.nonTrainable, l.status]);
  expect(rows).toEqual(c.rows);
  const { params, trainable, nonTrainable, stored } = r.totals;
  expect({ params, trainable, nonTrainable, stored }).toEqual({
    params: c.totals.params,
    trainable: c.totals.trainable,
    nonTrainable: c.totals.nonTrainable,
    stored: c.totals.stored,
  });
  if (c.totals.storedBytes !== undefined) expect(r.totals.storedBytes).toBe(c.totals.storedBytes);
  if (c.totals.optimizerStored !== undefined) expect(r.totals.optimizerStored).toBe(c.totals.optimizerStored);
  const issues = r.findings.filter((f) => f.severity !== 'info').map((f): [string, string | null] => [f.code, f.layer]);
  expect(issues.sort()).toEqual([...c.findings].sort());
  for (const code of c.infos ?? []) expect(r.findings.map((f) => f.code)).toContain(code);
}

describe('healthy fixtures: hand-counted parameters, no errors or warnings', () => {
  for (const c of HEALTHY) {
    it(`${c.file}${c.weights ? ` + ${c.weights}` : ''}`, async () => {
      const r = await inspect(F(c.file), c.weights ? { weights: F(c.weights) } : {});
      checkCase(r, c);
      expect(exitStatus(r.findings)).toBe(0);
    });
  }

  it('weights-only files without their architecture: stored counts only, no-architecture warning', async () => {
    // keras-h5/mlp_weights.h5 (Keras 2 save_weights) and keras3/weights_only/model.weights.h5 (Keras 3): 41 values.
    for (const file of ['keras-h5/mlp_weights.h5', 'keras3/weights_only/model.weights.h5']) {
      const r = await inspect(F(file));
      expect(r.totals.stored).toBe(41);
      expect(r.layers.filter((l) => l.depth === 0).map((l) => [l.params.stored, l.params.expected, l.params.trainable])).toEqual([
        [16, null, null],
        [20, null, null],
        [5, null, null],
      ]);
      expect([r.totals.params, r.totals.trainable, r.totals.nonTrainable]).toEqual([41, null, null]);
      expect(r.findings.filter((f) => f.severity !== 'info').map((f) => f.code)).toEqual(['no-architecture']);
      expect(exitStatus(r.findings)).toBe(0);
    }
  });
});

/** [file, the one error finding as [code, layer, weight], stored total]. */
const BAD: [string, [string, string | null, string | null], number, { params: number; trainable: number; nonTrainable: number }][] = [
  // dense kernel (64, 32) instead of (128, 32): stored 64·32 + 32 + 33 = 2113.
  ['bad/h5-shape-mismatch.h5', ['shape-mismatch', 'dense', 'kernel'], 2113, WIDE],
  ['bad/keras3-shape-mismatch.keras', ['shape-mismatch', 'dense', 'kernel'], 2113, WIDE],
  ['bad/tfjs-shape-mismatch/model.json', ['shape-mismatch', 'dense', 'kernel'], 2113, WIDE],
  // dense bias (32) absent: 4161 − 32 = 4129.
  ['bad/h5-missing-weight.h5', ['missing-weight', 'dense', 'bias'], 4129, WIDE],
  // dense_1 stores an extra (3,) tensor: 4161 + 3 = 4164.
  ['bad/h5-extra-weight.h5', ['unexpected-weight', 'dense_1', 'dense_1/extra:0'], 4164, WIDE],
  // mlp with an extra manifest entry dense_2/extra (3,): 41 + 3 = 44.
  [
    'bad/tfjs-extra-weight/model.json',
    ['unexpected-weight', 'dense_2', 'dense_2/extra'],
    44,
    { params: 41, trainable: 41, nonTrainable: 0 },
  ],
  // dense_1 (33 values) has no group: 4161 − 33 = 4128.
  ['bad/h5-layer-missing.h5', ['layer-weights-missing', 'dense_1', null], 4128, WIDE],
  // extra group dense_9: kernel (2,2) + bias (2,) = 6 values; 4161 + 6 = 4167.
  ['bad/h5-orphan-group.h5', ['orphan-weights', 'dense_9', null], 4167, WIDE],
];

describe('bad fixtures: exit status 1 with the named finding', () => {
  for (const [file, [code, layer, weight], stored, counts] of BAD) {
    it(`${file}: ${code} on ${layer}`, async () => {
      const r = await inspect(F(file));
      const errors = r.findings.filter((f) => ['critical', 'high'].includes(f.severity)).map((f) => [f.code, f.layer, f.weight]);
      expect(errors).toEqual([[code, layer, weight]]);
      expect(r.totals.stored).toBe(stored);
      const { params, trainable, nonTrainable } = r.totals;
      expect({ params, trainable, nonTrainable }).toEqual(counts);
      expect(exitStatus(r.findings)).toBe(1);
    });
  }

  it('shape-mismatch rows: dense expects 128·32 + 32 = 4128 but stores 64·32 + 32 = 2080', async () => {
    for (const file of ['bad/h5-shape-mismatch.h5', 'bad/keras3-shape-mismatch.keras', 'bad/tfjs-shape-mismatch/model.json']) {
      const r = await inspect(F(file));
      const dense = r.layers.find((l) => l.name === 'dense');
      expect([dense?.params.expected, dense?.params.stored, dense?.status]).toEqual([4128, 2080, 'mismatch']);
      const kernel = dense?.weights.find((w) => w.name.endsWith('kernel') || w.name.endsWith('kernel:0') || w.name === '0');
      expect(kernel?.expectedShape).toEqual([128, 32]);
      expect(kernel?.storedShape).toEqual([64, 32]);
    }
  });

  it('tfjs shard problems: truncated shard (100 of 164 bytes) and missing shard', async () => {
    const truncated = await inspect(F('bad/tfjs-truncated-shard/model.json'));
    expect(truncated.findings.filter((f) => ['critical', 'high'].includes(f.severity)).map((f) => f.code)).toEqual(['shard-size-mismatch']);
    // 41 float32 = 164 bytes expected; the file holds 100.
    expect(truncated.files.find((f) => f.path.endsWith('weights.bin'))).toMatchObject({ bytes: 100, present: true });
    expect(truncated.totals.params).toBe(41);
    expect(exitStatus(truncated.findings)).toBe(1);

    const missing = await inspect(F('bad/tfjs-missing-shard/model.json'));
    expect(missing.findings.filter((f) => ['critical', 'high'].includes(f.severity)).map((f) => f.code)).toEqual(['shard-missing']);
    expect(missing.files.find((f) => f.path.endsWith('weights.bin'))?.present).toBe(false);
    // The config alone still gives the expected counts: 16 + 20 + 5.
    expect(missing.totals.params).toBe(41);
    expect(exitStatus(missing.findings)).toBe(1);
  });
});

describe('unreadable fixtures: inspect rejects with an InputError (exit status 2)', () => {
  for (const file of [
    'bad/unreadable/truncated.h5',
    'bad/unreadable/no-config.keras',
    'bad/unreadable/not-json/model.json',
    'bad/unreadable/empty.h5',
  ]) {
    it(file, async () => {
      await expect(inspect(F(file))).rejects.toBeInstanceOf(InputError);
    });
  }
});
