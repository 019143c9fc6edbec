import { describe, expect, it } from 'vitest';
import { oracleLayer, tf } from '../../helpers/oracle.js';
import { described, expectLikeTfjs, run } from './expect-tfjs.js';

type Case = [string, () => tf.layers.Layer, number[]];

// Conv1D, Conv2D, Conv3D, Conv2DTranspose, Conv3DTranspose, SeparableConv2D, DepthwiseConv2D against TF.js.
const tfjsCases: Case[] = [
  ['Conv1D k3', () => tf.layers.conv1d({ filters: 4, kernelSize: 3 }), [10, 3]],
  ['Conv1D strides 2 same', () => tf.layers.conv1d({ filters: 5, kernelSize: 4, strides: 2, padding: 'same' }), [11, 2]],
  [
    'Conv1D dilation 2 same no bias',
    () => tf.layers.conv1d({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same', useBias: false }),
    [12, 3],
  ],
  ['Conv1D dilation 3 valid', () => tf.layers.conv1d({ filters: 2, kernelSize: 3, dilationRate: 3 }), [20, 6]],
  ['Conv2D k3', () => tf.layers.conv2d({ filters: 8, kernelSize: 3 }), [28, 28, 1]],
  [
    'Conv2D k[1,5] strides [2,1] same',
    () => tf.layers.conv2d({ filters: 6, kernelSize: [1, 5], strides: [2, 1], padding: 'same' }),
    [15, 9, 4],
  ],
  ['Conv2D strides 3 valid', () => tf.layers.conv2d({ filters: 3, kernelSize: 2, strides: 3 }), [17, 16, 2]],
  ['Conv2D dilation 2', () => tf.layers.conv2d({ filters: 3, kernelSize: 3, dilationRate: 2 }), [16, 16, 3]],
  [
    'Conv2D channels_first no bias',
    () => tf.layers.conv2d({ filters: 7, kernelSize: 3, dataFormat: 'channelsFirst', useBias: false }),
    [5, 12, 10],
  ],
  [
    'Conv2D channels_first strides 2 same',
    () => tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', dataFormat: 'channelsFirst' }),
    [3, 13, 8],
  ],
  ['Conv3D k3', () => tf.layers.conv3d({ filters: 4, kernelSize: 3 }), [8, 9, 10, 2]],
  ['Conv3D strides 2 same', () => tf.layers.conv3d({ filters: 3, kernelSize: [2, 3, 1], strides: 2, padding: 'same' }), [7, 8, 9, 3]],
  ['Conv3D channels_first', () => tf.layers.conv3d({ filters: 2, kernelSize: 2, dataFormat: 'channelsFirst' }), [3, 6, 6, 6]],
  ['Conv2DTranspose k3', () => tf.layers.conv2dTranspose({ filters: 4, kernelSize: 3 }), [7, 7, 2]],
  [
    'Conv2DTranspose strides 2 same',
    () => tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }),
    [7, 5, 6],
  ],
  ['Conv2DTranspose strides 3 valid k2', () => tf.layers.conv2dTranspose({ filters: 3, kernelSize: 2, strides: 3 }), [4, 5, 6]],
  [
    'Conv2DTranspose channels_first no bias',
    () => tf.layers.conv2dTranspose({ filters: 5, kernelSize: [3, 2], strides: 2, dataFormat: 'channelsFirst', useBias: false }),
    [4, 6, 7],
  ],
  ['Conv3DTranspose k3', () => tf.layers.conv3dTranspose({ filters: 2, kernelSize: 3 }), [4, 5, 6, 3]],
  [
    'Conv3DTranspose strides 2 same',
    () => tf.layers.conv3dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
    [4, 5, 6, 3],
  ],
  ['SeparableConv2D k3', () => tf.layers.separableConv2d({ filters: 4, kernelSize: 3 }), [8, 8, 3]],
  [
    'SeparableConv2D dm 2 strides 2 same',
    () => tf.layers.separableConv2d({ filters: 6, kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' }),
    [9, 10, 5],
  ],
  [
    'SeparableConv2D dilation 2 no bias',
    () => tf.layers.separableConv2d({ filters: 3, kernelSize: 3, dilationRate: 2, useBias: false }),
    [12, 12, 4],
  ],
  [
    'SeparableConv2D channels_first',
    () => tf.layers.separableConv2d({ filters: 3, kernelSize: 3, depthMultiplier: 3, dataFormat: 'channelsFirst' }),
    [2, 9, 9],
  ],
  ['DepthwiseConv2D k3', () => tf.layers.depthwiseConv2d({ kernelSize: 3 }), [8, 8, 3]],
  [
    'DepthwiseConv2D dm 3 strides 2 same',
    () => tf.layers.depthwiseConv2d({ kernelSize: [3, 5], depthMultiplier: 3, strides: 2, padding: 'same' }),
    [9, 11, 4],
  ],
  [
    'DepthwiseConv2D channels_first no bias',
    () => tf.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, dataFormat: 'channelsFirst', useBias: false }),
    [3, 7, 7],
  ],
];

/** TF.js's SeparableConv2D.getConfig() leaves out depth_multiplier, which Keras always writes: put it back. */
function oracle(layer: tf.layers.Layer, shape: number[]) {
  const c = oracleLayer(layer, shape);
  const dm = (layer as unknown as { depthMultiplier?: number }).depthMultiplier;
  if (dm !== undefined) c.entry.config.depth_multiplier ??= dm;
  return c;
}

describe('conv family against TF.js', () => {
  it.each(tfjsCases)('%s', (_name, make, shape) => {
    expectLikeTfjs(oracle(make(), shape));
  });

  const aliases: [string, () => tf.layers.Layer, number[]][] = [
    ['Convolution1D', () => tf.layers.conv1d({ filters: 4, kernelSize: 3, strides: 2 }), [10, 3]],
    ['Convolution2D', () => tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }), [9, 9, 2]],
    ['Convolution3D', () => tf.layers.conv3d({ filters: 4, kernelSize: 2 }), [5, 5, 5, 2]],
    ['Convolution2DTranspose', () => tf.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2 }), [5, 5, 2]],
    ['Deconvolution2D', () => tf.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2 }), [5, 5, 2]],
    ['Convolution3DTranspose', () => tf.layers.conv3dTranspose({ filters: 2, kernelSize: 2, strides: 2 }), [3, 4, 5, 2]],
    ['Deconvolution3D', () => tf.layers.conv3dTranspose({ filters: 2, kernelSize: 2, strides: 2 }), [3, 4, 5, 2]],
    ['SeparableConvolution2D', () => tf.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2 }), [8, 8, 3]],
  ];
  it.each(aliases)('alias %s matches TF.js', (alias, make, shape) => {
    expectLikeTfjs(oracle(make(), shape), alias);
  });
});

describe('conv family by hand', () => {
  it('Conv2D groups=4: kernel (3, 3, 8/4, 12) + bias (12) = 3*3*2*12 + 12 = 228', () => {
    const r = run('Conv2D', { filters: 12, kernel_size: [3, 3], groups: 4, padding: 'valid' }, [null, 10, 10, 8]);
    expect(described(r)).toEqual([
      ['kernel', [3, 3, 2, 12], true],
      ['bias', [12], true],
    ]);
    expect(r.outputShape).toEqual([null, 8, 8, 12]);
  });

  it('Conv1D groups=3 channels_first: kernel (5, 6/3, 9); length (20 - 5)/1 + 1 = 16', () => {
    const r = run('Conv1D', { filters: 9, kernel_size: 5, groups: 3, data_format: 'channels_first' }, [null, 6, 20]);
    expect(described(r)).toEqual([
      ['kernel', [5, 2, 9], true],
      ['bias', [9], true],
    ]);
    expect(r.outputShape).toEqual([null, 9, 16]);
  });

  it('Conv1D causal padding keeps the length like same (Keras; TF.js computes it as valid): 12, dilation 2', () => {
    const r = run('Conv1D', { filters: 2, kernel_size: [3], dilation_rate: [2], padding: 'causal', use_bias: false }, [null, 12, 3]);
    expect(described(r)).toEqual([['kernel', [3, 3, 2], true]]);
    expect(r.outputShape).toEqual([null, 12, 2]);
  });

  it('unknown input keeps the known kernel axes and leaves the input-channel axis null', () => {
    const r = run('Conv2D', { filters: 4, kernel_size: [3, 3] }, null);
    expect(described(r)).toEqual([
      ['kernel', [3, 3, null, 4], true],
      ['bias', [4], true],
    ]);
    expect(r.outputShape).toBeNull();
  });

  it('unknown spatial axes stay null in the output', () => {
    const r = run('Conv2D', { filters: 4, kernel_size: 3, strides: 2 }, [null, null, 9, 3]);
    // width: ceil((9 - 3 + 1) / 2) = 4
    expect(r.outputShape).toEqual([null, null, 4, 4]);
  });

  for (const name of ['Conv1DTranspose', 'Convolution1DTranspose']) {
    it(`${name}: kernel (3, filters 6, in 4); valid, stride 2: 10*2 + max(3-2, 0) = 21`, () => {
      const r = run(name, { filters: 6, kernel_size: [3], strides: [2], padding: 'valid', output_padding: null }, [null, 10, 4]);
      expect(described(r)).toEqual([
        ['kernel', [3, 6, 4], true],
        ['bias', [6], true],
      ]);
      expect(r.outputShape).toEqual([null, 21, 6]);
    });
  }

  it('Conv1DTranspose output_padding 1, same, stride 2: (10-1)*2 + 3 - 2*1 + 1 = 20; channels_first', () => {
    const r = run(
      'Conv1DTranspose',
      { filters: 6, kernel_size: 3, strides: 2, padding: 'same', output_padding: 1, data_format: 'channels_first', use_bias: false },
      [null, 4, 10],
    );
    expect(described(r)).toEqual([['kernel', [3, 6, 4], true]]);
    expect(r.outputShape).toEqual([null, 6, 20]);
  });

  it('Conv2DTranspose dilation 2 + output_padding: k_eff = 3 + 2*1 = 5; (7-1)*1 + 5 - 0 + 0 = 11 (valid)', () => {
    const r = run('Conv2DTranspose', { filters: 2, kernel_size: [3, 3], dilation_rate: [2, 2], padding: 'valid', output_padding: [0, 0] }, [
      null,
      7,
      7,
      3,
    ]);
    expect(r.outputShape).toEqual([null, 11, 11, 2]);
  });

  for (const name of ['SeparableConv1D', 'SeparableConvolution1D']) {
    it(`${name}: depthwise (5, 4, 2) + pointwise (1, 8, 16) + bias (16) = 40 + 128 + 16`, () => {
      const r = run(name, { filters: 16, kernel_size: [5], depth_multiplier: 2, strides: [2], padding: 'same' }, [null, 30, 4]);
      expect(described(r)).toEqual([
        ['depthwise_kernel', [5, 4, 2], true],
        ['pointwise_kernel', [1, 8, 16], true],
        ['bias', [16], true],
      ]);
      // same, stride 2: ceil(30 / 2) = 15
      expect(r.outputShape).toEqual([null, 15, 16]);
    });
  }

  it('DepthwiseConv1D: depthwise (3, 5, 2) + bias (10); valid length 12 - 3 + 1 = 10', () => {
    const r = run('DepthwiseConv1D', { kernel_size: [3], depth_multiplier: 2, padding: 'valid' }, [null, 12, 5]);
    expect(described(r)).toEqual([
      ['depthwise_kernel', [3, 5, 2], true],
      ['bias', [10], true],
    ]);
    expect(r.outputShape).toEqual([null, 10, 10]);
  });

  it('DepthwiseConv1D channels_first without bias: output channels 5*3 first', () => {
    const r = run('DepthwiseConv1D', { kernel_size: 3, depth_multiplier: 3, use_bias: false, data_format: 'channels_first' }, [
      null,
      5,
      12,
    ]);
    expect(described(r)).toEqual([['depthwise_kernel', [3, 5, 3], true]]);
    expect(r.outputShape).toEqual([null, 15, 10]);
  });
});
