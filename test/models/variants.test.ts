// The format variants under fixtures/variants/ (scripts/fixtures/variants.mjs, `npm run fixtures`). Every count
// and byte size is worked out by hand in the comments from the layer shapes and the element sizes the files
// store; the Keras facts used (variable order, dtypes, trainability) are cited at each case.
import { describe, expect, it } from 'vitest';
import { exitStatus, inspect } from '../../src/index.js';
import type { FormatId, LayerStatus, Report } from '../../src/index.js';

const F = (p: string) => `fixtures/variants/${p}`;

/** [name, className, expected, stored, trainable, nonTrainable, status] of one top-level row. */
type Row = [string, string | null, number | null, number, number | null, number | null, LayerStatus];
/** [name, expectedShape, storedShape, stored dtype, trainable] of one weight. */
type W = [string, (number | null)[] | null, number[] | null, string | null, boolean | null];

interface Totals {
  params: number;
  trainable: number | null;
  nonTrainable: number | null;
  stored: number;
  storedBytes: number;
  paramBytes: number;
  trainableBytes: number | null;
  nonTrainableBytes: number | null;
}

const rows = (r: Report): Row[] =>
  r.layers
    .filter((l) => l.depth === 0)
    .map((l) => [l.name, l.className, l.params.expected, l.params.stored, l.params.trainable, l.params.nonTrainable, l.status]);
const weights = (r: Report, layer: string): W[] =>
  (r.layers.find((l) => l.name === layer)?.weights ?? []).map((w) => [w.name, w.expectedShape, w.storedShape, w.dtype, w.trainable]);
const totals = (r: Report): Totals => {
  const { params, trainable, nonTrainable, stored, storedBytes, paramBytes, trainableBytes, nonTrainableBytes } = r.totals;
  return { params, trainable, nonTrainable, stored, storedBytes, paramBytes, trainableBytes, nonTrainableBytes };
};
/** Every finding as [severity, code, layer], sorted. */
const findings = (r: Report) => r.findings.map((f) => [f.severity, f.code, f.layer]).sort();

function healthy(r: Report, format: FormatId): void {
  expect(r.format).toBe(format);
  expect(r.findings.filter((f) => ['critical', 'high'].includes(f.severity))).toEqual([]);
  expect(exitStatus(r.findings)).toBe(0);
}

describe('fixtures/variants', () => {
  it('quantized-int8.keras: Keras 3 int8 Embedding and Dense next to a plain Dense', async () => {
    // Keras 3 int8 (keras/src/layers/core/dense.py, embedding.py: `_int8_build` and the save order of
    // `save_own_variables`): Dense stores kernel int8 (in, units) non-trainable, bias float32 (units) trainable,
    // kernel_scale float32 (units) non-trainable; Embedding stores embeddings int8 (input_dim, output_dim) and
    // embeddings_scale float32 (input_dim), both non-trainable.
    const r = await inspect(F('quantized-int8.keras'));
    healthy(r, 'keras-v3');
    expect(rows(r)).toEqual([
      ['input_layer', 'InputLayer', 0, 0, 0, 0, 'ok'],
      ['token_embedding', 'Embedding', 50, 50, 0, 50, 'ok'], // 10·4 + 10
      ['flatten', 'Flatten', 0, 0, 0, 0, 'ok'], // 5·4 = 20
      ['hidden', 'Dense', 176, 176, 8, 168, 'ok'], // 20·8 + 8 + 8; only the bias (8) trains
      ['logits', 'Dense', 27, 27, 27, 0, 'ok'], // 8·3 + 3
    ]);
    expect(weights(r, 'token_embedding')).toEqual([
      ['embeddings', [10, 4], [10, 4], 'int8', false],
      ['embeddings_scale', [10], [10], 'float32', false],
    ]);
    expect(weights(r, 'hidden')).toEqual([
      ['kernel', [20, 8], [20, 8], 'int8', false],
      ['bias', [8], [8], 'float32', true],
      ['kernel_scale', [8], [8], 'float32', false],
    ]);
    // Bytes: int8 1 per value, float32 4.
    //   embedding 40·1 + 10·4 = 80; hidden 160·1 + 8·4 + 8·4 = 224; logits 27·4 = 108 → 412.
    //   trainable: hidden bias 32 + logits 108 = 140; non-trainable: 40 + 40 + 160 + 32 = 272.
    expect(totals(r)).toEqual({
      params: 253,
      trainable: 35,
      nonTrainable: 218,
      stored: 253, // 50 + 176 + 27; 8 + 27; 50 + 168
      storedBytes: 412,
      paramBytes: 412,
      trainableBytes: 140,
      nonTrainableBytes: 272,
    });
    expect(findings(r)).toEqual([]);
  });

  it('bfloat16.keras: bfloat16 Dense variables stored as 2-byte elements with dtype="bfloat16"', async () => {
    const r = await inspect(F('bfloat16.keras'));
    healthy(r, 'keras-v3');
    expect(rows(r)).toEqual([
      ['input_layer', 'InputLayer', 0, 0, 0, 0, 'ok'],
      ['dense', 'Dense', 35, 35, 35, 0, 'ok'], // 6·5 + 5
      ['dense_1', 'Dense', 12, 12, 12, 0, 'ok'], // 5·2 + 2
    ]);
    expect(weights(r, 'dense')).toEqual([
      ['kernel', [6, 5], [6, 5], 'bfloat16', true],
      ['bias', [5], [5], 'bfloat16', true],
    ]);
    // 47 values × 2 bytes = 94, on disk and once loaded (the variables are bfloat16).
    expect(totals(r)).toEqual({
      params: 47,
      trainable: 47,
      nonTrainable: 0,
      stored: 47,
      storedBytes: 94,
      paramBytes: 94,
      trainableBytes: 94,
      nonTrainableBytes: 0,
    });
    expect(findings(r)).toEqual([]);
  });

  it('keras3-legacy.h5: Keras 3 model.save(".h5") with w.path weight names (sequential/lstm/lstm_cell/kernel)', async () => {
    const r = await inspect(F('keras3-legacy.h5'));
    healthy(r, 'keras-h5');
    expect([r.kerasVersion, r.backend]).toEqual(['3.6.0', 'tensorflow']);
    expect(rows(r)).toEqual([
      ['input_layer', 'InputLayer', 0, 0, 0, 0, 'ok'],
      ['lstm', 'LSTM', 128, 128, 128, 0, 'ok'], // 4·(3·4 + 4·4 + 4) on [5, 3]
      ['batch_normalization', 'BatchNormalization', 16, 16, 8, 8, 'ok'], // 4·4: gamma, beta train; moving stats not
      ['dense', 'Dense', 10, 10, 10, 0, 'ok'], // 4·2 + 2
    ]);
    expect(weights(r, 'lstm')).toEqual([
      ['kernel', [3, 16], [3, 16], 'float32', true],
      ['recurrent_kernel', [4, 16], [4, 16], 'float32', true],
      ['bias', [16], [16], 'float32', true],
    ]);
    expect(weights(r, 'batch_normalization').map((w) => [w[0], w[4]])).toEqual([
      ['gamma', true],
      ['beta', true],
      ['moving_mean', false],
      ['moving_variance', false],
    ]);
    // 154 float32 values = 616 bytes; trainable 146·4 = 584, non-trainable 8·4 = 32.
    expect(totals(r)).toEqual({
      params: 154,
      trainable: 146,
      nonTrainable: 8,
      stored: 154,
      storedBytes: 616,
      paramBytes: 616,
      trainableBytes: 584,
      nonTrainableBytes: 32,
    });
    expect(findings(r)).toEqual([]);
  });

  it('tfjs-old/model.json: TF.js 0.x layers model (no format key, Keras 2.1 list-form Sequential)', async () => {
    const r = await inspect(F('tfjs-old/model.json'));
    healthy(r, 'tfjs-layers');
    expect([r.kerasVersion, r.backend]).toEqual(['2.1.6', 'tensorflow']);
    expect(rows(r)).toEqual([
      ['dense_1', 'Dense', 16, 16, 16, 0, 'ok'], // 3·4 + 4
      ['dropout_1', 'Dropout', 0, 0, 0, 0, 'ok'],
      ['dense_2', 'Dense', 10, 10, 10, 0, 'ok'], // 4·2 + 2
    ]);
    // 26 float32 = 104 bytes, which is also the size of the single shard `group1-shard1of1`.
    expect(totals(r)).toEqual({
      params: 26,
      trainable: 26,
      nonTrainable: 0,
      stored: 26,
      storedBytes: 104,
      paramBytes: 104,
      trainableBytes: 104,
      nonTrainableBytes: 0,
    });
    expect(r.files.filter((f) => f.path.endsWith('group1-shard1of1')).map((f) => [f.bytes, f.expectedBytes, f.present])).toEqual([
      [104, 104, true],
    ]);
    expect(findings(r)).toEqual([]);
  });

  it('tfjs-graph/model.json: graph model, tensors grouped by name prefix, int32 and float32', async () => {
    const r = await inspect(F('tfjs-graph/model.json'));
    healthy(r, 'tfjs-graph');
    // StatefulPartitionedCall/…: dense kernel 6·4 + bias 4 + dense_1 kernel 4·2 + bias 2 = 38 float32;
    // sequential/flatten/Const: 2 int32; Identity_shape: 2 int32. No config: nothing to verify against,
    // and nothing says which tensors train.
    expect(rows(r)).toEqual([
      ['StatefulPartitionedCall', null, null, 38, null, null, 'unverified'],
      ['sequential', null, null, 2, null, null, 'unverified'],
      ['Identity_shape', null, null, 2, null, null, 'unverified'],
    ]);
    expect(weights(r, 'sequential')).toEqual([['sequential/flatten/Const', null, [2], 'int32', null]]);
    // 42 values, all 4 bytes (float32 and int32) = 168 bytes = the two shards, 64 + 104.
    expect(totals(r)).toEqual({
      params: 42,
      trainable: null,
      nonTrainable: null,
      stored: 42,
      storedBytes: 168,
      paramBytes: 168,
      trainableBytes: null,
      nonTrainableBytes: null,
    });
    const shards = r.files.filter((f) => f.path.endsWith('.bin')).map((f) => [f.path.split('/').pop(), f.bytes, f.present]);
    expect(shards).toEqual([
      ['group1-shard1of2.bin', 64, true],
      ['group1-shard2of2.bin', 104, true],
    ]);
    expect(findings(r)).toEqual([['low', 'graph-model', null]]);
  });
});
