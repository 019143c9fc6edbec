import { describe, expect, it } from 'vitest';
import { oracleLayer, tf } from '../../helpers/oracle.js';
import { expectLikeTfjs, run } from './expect-tfjs.js';

type Case = [string, () => tf.layers.Layer, number[]];

const tfjsCases: Case[] = [
  ['Flatten', () => tf.layers.flatten(), [4, 5, 6]],
  ['Flatten channels_first', () => tf.layers.flatten({ dataFormat: 'channelsFirst' }), [3, 4, 5]],
  ['Reshape', () => tf.layers.reshape({ targetShape: [6, 10] }), [4, 15]],
  ['Permute', () => tf.layers.permute({ dims: [2, 1] }), [4, 7]],
  ['Permute 3 axes', () => tf.layers.permute({ dims: [3, 1, 2] }), [4, 7, 9]],
  ['RepeatVector', () => tf.layers.repeatVector({ n: 5 }), [8]],
  ['Cropping2D symmetric', () => tf.layers.cropping2D({ cropping: [1, 2] }), [10, 12, 3]],
  [
    'Cropping2D pairs',
    () =>
      tf.layers.cropping2D({
        cropping: [
          [1, 0],
          [2, 3],
        ],
      }),
    [10, 12, 3],
  ],
  ['Cropping2D channels_first', () => tf.layers.cropping2D({ cropping: 2, dataFormat: 'channelsFirst' }), [3, 10, 12]],
  ['ZeroPadding2D default', () => tf.layers.zeroPadding2d({}), [5, 6, 2]],
  [
    'ZeroPadding2D pairs',
    () =>
      tf.layers.zeroPadding2d({
        padding: [
          [1, 2],
          [3, 4],
        ],
      }),
    [5, 6, 2],
  ],
  ['ZeroPadding2D channels_first', () => tf.layers.zeroPadding2d({ padding: [2, 1], dataFormat: 'channelsFirst' }), [2, 5, 6]],
  ['UpSampling2D default', () => tf.layers.upSampling2d({}), [5, 6, 2]],
  ['UpSampling2D size [3,1] channels_first', () => tf.layers.upSampling2d({ size: [3, 1], dataFormat: 'channelsFirst' }), [2, 5, 6]],
];

describe('reshape family against TF.js', () => {
  it.each(tfjsCases)('%s', (_name, make, shape) => expectLikeTfjs(oracleLayer(make(), shape)));
});

describe('reshape family by hand', () => {
  it('Flatten of a rank-2 input keeps it; unknown axes give an unknown size', () => {
    expect(run('Flatten', {}, [null, 7]).outputShape).toEqual([null, 7]);
    expect(run('Flatten', {}, [null, null, 3]).outputShape).toEqual([null, null]);
  });

  it('Reshape -1 is inferred as Keras does: 4*6 / 3 = 8 (TF.js leaves it null symbolically)', () => {
    expect(run('Reshape', { target_shape: [-1, 3] }, [null, 4, 6]).outputShape).toEqual([null, 8, 3]);
  });

  it('Reshape -1 with an unknown input axis stays null', () => {
    expect(run('Reshape', { target_shape: [-1, 4] }, [null, null, 8]).outputShape).toEqual([null, null, 4]);
  });

  it('Cropping1D default (1, 1): 10 - 2 = 8; (2, 3): 10 - 5 = 5', () => {
    expect(run('Cropping1D', {}, [null, 10, 4]).outputShape).toEqual([null, 8, 4]);
    expect(run('Cropping1D', { cropping: [2, 3] }, [null, 10, 4]).outputShape).toEqual([null, 5, 4]);
    expect(run('Cropping1D', { cropping: [2, 3] }, [null, 10, 4]).vars).toEqual([]);
  });

  it('Cropping3D ((1,1),(2,0),(0,3)): (8-2, 9-2, 10-3); channels_first moves the channels', () => {
    const cropping = [
      [1, 1],
      [2, 0],
      [0, 3],
    ];
    expect(run('Cropping3D', { cropping }, [null, 8, 9, 10, 2]).outputShape).toEqual([null, 6, 7, 7, 2]);
    expect(run('Cropping3D', { cropping, data_format: 'channels_first' }, [null, 2, 8, 9, 10]).outputShape).toEqual([null, 2, 6, 7, 7]);
    expect(run('Cropping3D', {}, [null, 8, 9, 10, 2]).outputShape).toEqual([null, 6, 7, 8, 2]);
  });

  it('ZeroPadding1D default 1: 10 + 2; (3, 1): 10 + 4', () => {
    expect(run('ZeroPadding1D', {}, [null, 10, 4]).outputShape).toEqual([null, 12, 4]);
    expect(run('ZeroPadding1D', { padding: [3, 1] }, [null, 10, 4]).outputShape).toEqual([null, 14, 4]);
  });

  it('ZeroPadding3D symmetric (1, 2, 3): (4+2, 5+4, 6+6)', () => {
    expect(run('ZeroPadding3D', { padding: [1, 2, 3] }, [null, 4, 5, 6, 1]).outputShape).toEqual([null, 6, 9, 12, 1]);
    expect(run('ZeroPadding3D', { padding: 1, data_format: 'channels_first' }, [null, 1, 4, 5, 6]).outputShape).toEqual([null, 1, 6, 7, 8]);
  });

  it('UpSampling1D size 3: 7 * 3 = 21', () => {
    expect(run('UpSampling1D', { size: 3 }, [null, 7, 2]).outputShape).toEqual([null, 21, 2]);
    expect(run('UpSampling1D', {}, [null, 7, 2]).outputShape).toEqual([null, 14, 2]);
  });

  it('UpSampling3D size (1, 2, 3): (4, 10, 18); channels_first', () => {
    expect(run('UpSampling3D', { size: [1, 2, 3] }, [null, 4, 5, 6, 2]).outputShape).toEqual([null, 4, 10, 18, 2]);
    expect(run('UpSampling3D', { size: [2, 2, 2], data_format: 'channels_first' }, [null, 2, 4, 5, 6]).outputShape).toEqual([
      null,
      2,
      8,
      10,
      12,
    ]);
  });
});
