import { describe, expect, it } from 'vitest';
import { oracleLayer, tf } from '../../helpers/oracle.js';
import { expectLikeTfjs, run } from './expect-tfjs.js';

type Case = [string, () => tf.layers.Layer, number[]];

const tfjsCases: Case[] = [
  ['MaxPooling1D default', () => tf.layers.maxPooling1d({}), [11, 3]],
  ['MaxPooling1D pool 3 strides 2 same', () => tf.layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same' }), [11, 3]],
  ['MaxPooling2D default', () => tf.layers.maxPooling2d({}), [9, 8, 3]],
  ['MaxPooling2D pool [3,2] strides 1', () => tf.layers.maxPooling2d({ poolSize: [3, 2], strides: 1 }), [9, 8, 3]],
  ['MaxPooling2D same strides 3', () => tf.layers.maxPooling2d({ poolSize: 2, strides: 3, padding: 'same' }), [10, 11, 2]],
  ['MaxPooling2D channels_first', () => tf.layers.maxPooling2d({ poolSize: 2, dataFormat: 'channelsFirst' }), [4, 9, 8]],
  ['MaxPooling3D default', () => tf.layers.maxPooling3d({}), [6, 7, 8, 2]],
  [
    'MaxPooling3D same channels_first',
    () => tf.layers.maxPooling3d({ poolSize: 3, strides: 2, padding: 'same', dataFormat: 'channelsFirst' }),
    [2, 6, 7, 9],
  ],
  ['AveragePooling1D pool 4', () => tf.layers.averagePooling1d({ poolSize: 4 }), [17, 2]],
  ['AveragePooling2D pool 3 strides 2', () => tf.layers.averagePooling2d({ poolSize: 3, strides: 2 }), [13, 12, 5]],
  [
    'AveragePooling2D channels_first same',
    () => tf.layers.averagePooling2d({ poolSize: 2, padding: 'same', dataFormat: 'channelsFirst' }),
    [5, 13, 12],
  ],
  ['AveragePooling3D', () => tf.layers.averagePooling3d({ poolSize: [2, 3, 1] }), [8, 9, 4, 3]],
  ['GlobalMaxPooling1D', () => tf.layers.globalMaxPooling1d({}), [10, 6]],
  ['GlobalMaxPooling2D', () => tf.layers.globalMaxPooling2d({}), [10, 9, 6]],
  ['GlobalMaxPooling2D channels_first', () => tf.layers.globalMaxPooling2d({ dataFormat: 'channelsFirst' }), [6, 10, 9]],
  ['GlobalAveragePooling1D', () => tf.layers.globalAveragePooling1d({}), [10, 6]],
  ['GlobalAveragePooling2D', () => tf.layers.globalAveragePooling2d({}), [10, 9, 6]],
  ['GlobalAveragePooling2D channels_first', () => tf.layers.globalAveragePooling2d({ dataFormat: 'channelsFirst' }), [6, 10, 9]],
];

const aliases: [string, () => tf.layers.Layer, number[]][] = [
  ['MaxPool1D', () => tf.layers.maxPooling1d({ poolSize: 3 }), [10, 2]],
  ['MaxPool2D', () => tf.layers.maxPooling2d({ poolSize: 3 }), [10, 10, 2]],
  ['MaxPool3D', () => tf.layers.maxPooling3d({ poolSize: 2 }), [5, 6, 7, 2]],
  ['AvgPool1D', () => tf.layers.averagePooling1d({ poolSize: 3 }), [10, 2]],
  ['AvgPool2D', () => tf.layers.averagePooling2d({ poolSize: 3 }), [10, 10, 2]],
  ['AvgPool3D', () => tf.layers.averagePooling3d({ poolSize: 2 }), [5, 6, 7, 2]],
  ['GlobalMaxPool1D', () => tf.layers.globalMaxPooling1d({}), [10, 2]],
  ['GlobalMaxPool2D', () => tf.layers.globalMaxPooling2d({}), [10, 10, 2]],
  ['GlobalAvgPool1D', () => tf.layers.globalAveragePooling1d({}), [10, 2]],
  ['GlobalAvgPool2D', () => tf.layers.globalAveragePooling2d({}), [10, 10, 2]],
];

describe('pooling against TF.js', () => {
  it.each(tfjsCases)('%s', (_name, make, shape) => expectLikeTfjs(oracleLayer(make(), shape)));
  it.each(aliases)('alias %s', (alias, make, shape) => expectLikeTfjs(oracleLayer(make(), shape), alias));
});

describe('pooling by hand', () => {
  it('Keras 3 config with strides null: strides = pool size; (9 - 3)/3 + 1 = 3', () => {
    const r = run('MaxPooling2D', { pool_size: [3, 3], strides: null, padding: 'valid', data_format: 'channels_last' }, [null, 9, 10, 4]);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual([null, 3, 3, 4]);
  });

  it('keepdims keeps the spatial axes as 1 (channels_last and channels_first)', () => {
    expect(run('GlobalAveragePooling2D', { keepdims: true }, [null, 7, 7, 32]).outputShape).toEqual([null, 1, 1, 32]);
    expect(run('GlobalMaxPooling1D', { keepdims: true, data_format: 'channels_first' }, [null, 8, 20]).outputShape).toEqual([null, 8, 1]);
  });

  for (const name of ['GlobalMaxPooling3D', 'GlobalMaxPool3D', 'GlobalAveragePooling3D', 'GlobalAvgPool3D']) {
    it(`${name}: (batch, d, h, w, c) -> (batch, c); keepdims -> (batch, 1, 1, 1, c); channels_first -> (batch, c)`, () => {
      expect(run(name, {}, [null, 4, 5, 6, 3]).vars).toEqual([]);
      expect(run(name, {}, [null, 4, 5, 6, 3]).outputShape).toEqual([null, 3]);
      expect(run(name, { keepdims: true }, [null, 4, 5, 6, 3]).outputShape).toEqual([null, 1, 1, 1, 3]);
      expect(run(name, { data_format: 'channels_first' }, [null, 3, 4, 5, 6]).outputShape).toEqual([null, 3]);
    });
  }

  it('unknown input: no weights, output shape not inferred', () => {
    const r = run('MaxPooling2D', { pool_size: 2 }, null);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toBeNull();
  });
});
