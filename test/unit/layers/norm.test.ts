import { describe, expect, it } from 'vitest';
import type { Shape } from '../../../src/model/types.js';
import { oracleLayer, tf } from '../../helpers/oracle.js';
import { described, expectLikeTfjs, run } from './expect-tfjs.js';

type Case = [string, () => tf.layers.Layer, number[]];
const size = (s: Shape) => s.reduce<number>((n, d) => n * (d as number), 1);

// BatchNormalization (one axis; TF.js rejects a list of axes) and LayerNormalization against TF.js.
const tfjsCases: Case[] = [
  ['BatchNormalization default axis', () => tf.layers.batchNormalization(), [7]],
  ['BatchNormalization on conv features', () => tf.layers.batchNormalization(), [6, 6, 3]],
  ['BatchNormalization axis 1', () => tf.layers.batchNormalization({ axis: 1 }), [5, 6, 2]],
  ['BatchNormalization axis -2', () => tf.layers.batchNormalization({ axis: -2 }), [5, 6, 2]],
  ['BatchNormalization center=false', () => tf.layers.batchNormalization({ center: false }), [4, 9]],
  ['BatchNormalization scale=false', () => tf.layers.batchNormalization({ scale: false }), [4, 9]],
  ['BatchNormalization center=false scale=false', () => tf.layers.batchNormalization({ center: false, scale: false }), [3, 8]],
  ['LayerNormalization default axis', () => tf.layers.layerNormalization(), [5, 6]],
  ['LayerNormalization axis [1, 2]', () => tf.layers.layerNormalization({ axis: [1, 2] }), [5, 6, 2]],
  ['LayerNormalization axis [-1, 1] keeps the listed order', () => tf.layers.layerNormalization({ axis: [-1, 1] }), [5, 6, 2]],
  ['LayerNormalization axis -2 center=false', () => tf.layers.layerNormalization({ axis: -2, center: false }), [5, 6, 2]],
  ['LayerNormalization scale=false', () => tf.layers.layerNormalization({ scale: false }), [3, 4]],
];

describe('norm family against TF.js', () => {
  it.each(tfjsCases)('%s', (_name, make, shape) => {
    expectLikeTfjs(oracleLayer(make(), shape));
  });

  it.each(['BatchNormalizationV1', 'BatchNormalizationV2', 'SyncBatchNormalization'])(
    'alias %s matches TF.js BatchNormalization',
    (alias) => {
      expectLikeTfjs(oracleLayer(tf.layers.batchNormalization({ axis: 1 }), [4, 3]), alias);
    },
  );
});

describe('norm family by hand', () => {
  it('BatchNormalization with a list of axes (tf.keras 2): params of shape (1, 5, 1, 2), 4 × 10', () => {
    const r = run('BatchNormalization', { axis: [1, 3] }, [null, 5, 6, 2]);
    expect(described(r)).toEqual([
      ['gamma', [1, 5, 1, 2], true],
      ['beta', [1, 5, 1, 2], true],
      ['moving_mean', [1, 5, 1, 2], false],
      ['moving_variance', [1, 5, 1, 2], false],
    ]);
  });

  it('BatchNormalization with negative list axes [-1, -3] and virtual_batch_size: (1, 1, 5, 1, 2)', () => {
    const r = run('BatchNormalization', { axis: [-1, -3], virtual_batch_size: 8 }, [null, 5, 6, 2]);
    expect(r.vars?.map((x) => x.shape)).toEqual(Array(4).fill([1, 1, 5, 1, 2]));
  });

  it('BatchNormalization renorm adds moving_stddev, renorm_mean, renorm_stddev (C), non-trainable: 2·16 + 5·16', () => {
    const r = run('BatchNormalization', { axis: -1, renorm: true, center: true, scale: true }, [null, 16]);
    expect(described(r)).toEqual([
      ['gamma', [16], true],
      ['beta', [16], true],
      ['moving_mean', [16], false],
      ['moving_variance', [16], false],
      ['moving_stddev', [16], false],
      ['renorm_mean', [16], false],
      ['renorm_stddev', [16], false],
    ]);
    expect(r.vars?.filter((x) => !x.trainable).reduce((n, x) => n + size(x.shape), 0)).toBe(5 * 16);
  });

  it('BatchNormalization Keras 1 (mode 0): gamma, beta, running_mean, running_std', () => {
    const r = run('BatchNormalization', { mode: 0, axis: 1, epsilon: 0.001, momentum: 0.99 }, [null, 3, 8, 8]);
    expect(described(r)).toEqual([
      ['gamma', [3], true],
      ['beta', [3], true],
      ['running_mean', [3], false],
      ['running_std', [3], false],
    ]);
  });

  it('BatchNormalization on an unknown input: (null) shapes, no throw', () => {
    const r = run('BatchNormalization', { axis: -1 }, null);
    expect(r.vars?.map((x) => x.shape)).toEqual(Array(4).fill([null]));
  });

  it('LayerNormalization rms_scaling (Keras 3): gamma only', () => {
    const r = run('LayerNormalization', { axis: -1, rms_scaling: true, center: true, scale: true }, [null, 4, 10]);
    expect(described(r)).toEqual([['gamma', [10], true]]);
  });

  it('GroupNormalization: gamma (C) + beta (C) = 2·32; center=false keeps gamma', () => {
    expect(described(run('GroupNormalization', { groups: 8, axis: -1 }, [null, 7, 7, 32]))).toEqual([
      ['gamma', [32], true],
      ['beta', [32], true],
    ]);
    expect(described(run('GroupNormalization', { groups: 2, axis: 1, center: false }, [null, 6, 7, 7]))).toEqual([['gamma', [6], true]]);
  });

  it('UnitNormalization has no weights and keeps the shape', () => {
    const r = run('UnitNormalization', { axis: -1 }, [null, 3, 5]);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual([null, 3, 5]);
  });

  it('RMSNormalization (Keras 3.9+): scale (C); a list of axes is sorted: axis [2, 1] → (5, 6)', () => {
    expect(described(run('RMSNormalization', { axis: -1, epsilon: 1e-6 }, [null, 4, 10]))).toEqual([['scale', [10], true]]);
    expect(described(run('RMSNormalization', { axis: [2, 1] }, [null, 5, 6, 3]))).toEqual([['scale', [5, 6], true]]);
  });

  it('SpectralNormalization(Dense(8)) on 4: kernel (4, 8) + bias (8) + vector_u (1, 8) non-trainable', () => {
    const layer = { class_name: 'Dense', config: { units: 8 } };
    const r = run('SpectralNormalization', { layer, power_iterations: 1 }, [null, 4]);
    // The wrapped layer's variables are scoped `layer/`, where Keras 3 stores them.
    expect(described(r)).toEqual([
      ['layer/kernel', [4, 8], true],
      ['layer/bias', [8], true],
      ['vector_u', [1, 8], false],
    ]);
    expect(r.outputShape).toEqual([null, 8]);
  });

  it('SpectralNormalization without a kernel in the wrapped layer leaves a note', () => {
    const r = run('SpectralNormalization', { layer: { class_name: 'UnitNormalization', config: {} } }, [null, 4]);
    expect(r.vars).toBeNull();
    expect(r.note).toMatch(/kernel/);
  });
});
