// Keras 1 configs through the Keras 2 entries of core.ts, conv.ts, pooling.ts and reshape.ts: Keras 1 argument
// names (keras1Args), Keras 1 weight names (W, b; depthwise_kernel, pointwise_kernel, b) and kernel layouts,
// and Deconvolution2D's declared output_shape. TF.js reads no Keras 1 config, so the expected values are hand
// arithmetic from Keras 1.2.2's build()/get_output_shape_for(); configs are spelled as Keras 1.2.2's
// get_config() wrote them. The last block checks that TF.js-written and Keras 2 configs keep Keras 2 names.
import { describe, expect, it } from 'vitest';
import { isKeras1 } from '../../../src/layers/keras1-args.js';
import type { Cfg } from '../../../src/layers/registry.js';
import type { Shape } from '../../../src/model/types.js';
import { oracleLayer, tf } from '../../helpers/oracle.js';
import { described, expectLikeTfjs, run } from './expect-tfjs.js';

const size = (s: Shape) => s.reduce<number>((n, d) => n * (d as number), 1);
const total = (vars: { shape: Shape }[] | null) => (vars ?? []).reduce((n, x) => n + size(x.shape), 0);

/** Keys every Keras 1.2.2 layer with weights wrote next to its own arguments. */
const REG = { W_regularizer: null, b_regularizer: null, activity_regularizer: null, W_constraint: null, b_constraint: null };

function conv2d(extra: Cfg): Cfg {
  return {
    name: 'convolution2d_1',
    trainable: true,
    nb_filter: 8,
    nb_row: 3,
    nb_col: 3,
    init: 'glorot_uniform',
    activation: 'relu',
    border_mode: 'same',
    subsample: [1, 1],
    dim_ordering: 'th',
    bias: true,
    ...REG,
    ...extra,
  };
}

describe('Keras 1 Dense and Embedding (core.ts)', () => {
  const dense = (extra: Cfg): Cfg => ({
    name: 'dense_1',
    trainable: true,
    output_dim: 10,
    init: 'glorot_uniform',
    activation: 'relu',
    bias: true,
    input_dim: null,
    ...REG,
    ...extra,
  });

  it('Dense output_dim 10 on 4 features: W (4, 10) = 40 + b (10) = 10 → 50; out (batch, 10)', () => {
    const r = run('Dense', dense({}), [null, 4]);
    expect(r.note).toBeNull();
    expect(described(r)).toEqual([
      ['W', [4, 10], true],
      ['b', [10], true],
    ]);
    expect(total(r.vars)).toBe(50);
    expect(r.outputShape).toEqual([null, 10]);
  });

  it('Dense bias false: W (4, 10) only = 40', () => {
    const r = run('Dense', dense({ bias: false }), [null, 4]);
    expect(described(r)).toEqual([['W', [4, 10], true]]);
  });

  it('Dense on a 3D input (batch, 5, 6): W (6, 10) + b (10) = 70; out (batch, 5, 10)', () => {
    const r = run('Dense', dense({}), [null, 5, 6]);
    expect(total(r.vars)).toBe(70);
    expect(r.outputShape).toEqual([null, 5, 10]);
  });

  it('Dense with an unknown input: W (?, 10) stays partly known', () => {
    const r = run('Dense', dense({}), null);
    expect(r.vars?.map((x) => x.shape)).toEqual([[null, 10], [10]]);
  });

  it('Embedding input_dim 100, output_dim 8, input_length 5: W (100, 8) = 800; out (batch, 5, 8)', () => {
    const cfg = {
      name: 'embedding_1',
      trainable: true,
      input_dim: 100,
      output_dim: 8,
      init: 'uniform',
      input_length: 5,
      mask_zero: false,
      activity_regularizer: null,
      W_regularizer: null,
      W_constraint: null,
      dropout: 0,
    };
    const r = run('Embedding', cfg, [null, 5]);
    expect(described(r)).toEqual([['W', [100, 8], true]]);
    expect(r.outputShape).toEqual([null, 5, 8]);
  });
});

describe('Keras 1 convolutions (conv.ts)', () => {
  it("Convolution2D 'th' 3×3 same on (3, 32, 32): W (8, 3, 3, 3) = 216 + b (8) = 224; out (8, 32, 32)", () => {
    const r = run('Convolution2D', conv2d({}), [null, 3, 32, 32]);
    expect(r.note).toBeNull();
    expect(described(r)).toEqual([
      ['W', [8, 3, 3, 3], true],
      ['b', [8], true],
    ]);
    expect(total(r.vars)).toBe(224);
    expect(r.outputShape).toEqual([null, 8, 32, 32]);
  });

  it("Convolution2D 'tf' 3×5 valid, subsample (2, 1), no bias on (20, 9, 4): W (3, 5, 4, 8) = 480; out (ceil(18/2), 5) = (9, 5)", () => {
    const r = run('Convolution2D', conv2d({ nb_col: 5, border_mode: 'valid', subsample: [2, 1], dim_ordering: 'tf', bias: false }), [
      null,
      20,
      9,
      4,
    ]);
    expect(described(r)).toEqual([['W', [3, 5, 4, 8], true]]);
    expect(r.outputShape).toEqual([null, 9, 5, 8]);
  });

  it("Convolution2D 'th' border_mode full (Theano) on (2, 10, 10): 10 + 3 − 1 = 12; W (8, 2, 3, 3) + b = 152", () => {
    const r = run('Convolution2D', conv2d({ border_mode: 'full' }), [null, 2, 10, 10]);
    expect(total(r.vars)).toBe(8 * 2 * 3 * 3 + 8);
    expect(r.outputShape).toEqual([null, 8, 12, 12]);
  });

  it("Convolution2D 'th' with an unknown input: W (8, ?, 3, 3), channels read from axis 1", () => {
    const r = run('Convolution2D', conv2d({}), null);
    expect(r.vars?.map((x) => x.shape)).toEqual([[8, null, 3, 3], [8]]);
  });

  it('Convolution1D filter_length 4, subsample_length 2 on (20, 6): W (4, 1, 6, 5) = 120 + b (5) = 125; out ceil(17/2) = 9', () => {
    const cfg = {
      name: 'convolution1d_1',
      trainable: true,
      nb_filter: 5,
      filter_length: 4,
      init: 'uniform',
      activation: 'linear',
      border_mode: 'valid',
      subsample_length: 2,
      bias: true,
      input_dim: null,
      input_length: null,
      ...REG,
    };
    const r = run('Convolution1D', cfg, [null, 20, 6]);
    expect(described(r)).toEqual([
      ['W', [4, 1, 6, 5], true],
      ['b', [5], true],
    ]);
    expect(r.outputShape).toEqual([null, 9, 5]);
  });

  it("Convolution3D 'th' 2×3×1 valid on (2, 5, 6, 7): W (4, 2, 2, 3, 1) = 48 + b (4) = 52; out (4, 4, 4, 7)", () => {
    const cfg = {
      name: 'convolution3d_1',
      nb_filter: 4,
      kernel_dim1: 2,
      kernel_dim2: 3,
      kernel_dim3: 1,
      dim_ordering: 'th',
      init: 'glorot_uniform',
      activation: 'linear',
      border_mode: 'valid',
      subsample: [1, 1, 1],
      bias: true,
      ...REG,
    };
    const r = run('Convolution3D', cfg, [null, 2, 5, 6, 7]);
    expect(described(r)).toEqual([
      ['W', [4, 2, 2, 3, 1], true],
      ['b', [4], true],
    ]);
    expect(r.outputShape).toEqual([null, 4, 4, 4, 7]);
  });

  it("Convolution3D 'tf' 2×2×2 same subsample 2 on (5, 6, 7, 3): W (2, 2, 2, 3, 4) = 96 + b = 100; out (3, 3, 4)", () => {
    const cfg = {
      nb_filter: 4,
      kernel_dim1: 2,
      kernel_dim2: 2,
      kernel_dim3: 2,
      dim_ordering: 'tf',
      border_mode: 'same',
      subsample: [2, 2, 2],
      bias: true,
      ...REG,
    };
    const r = run('Convolution3D', cfg, [null, 5, 6, 7, 3]);
    expect(r.vars?.map((x) => x.shape)).toEqual([[2, 2, 2, 3, 4], [4]]);
    expect(r.outputShape).toEqual([null, 3, 3, 4, 4]);
  });

  const deconv = (extra: Cfg): Cfg => ({
    name: 'deconvolution2d_1',
    nb_filter: 3,
    nb_row: 3,
    nb_col: 3,
    init: 'glorot_uniform',
    activation: 'linear',
    border_mode: 'valid',
    subsample: [2, 2],
    dim_ordering: 'th',
    bias: true,
    ...REG,
    ...extra,
  });

  it("Deconvolution2D 'th' on (5, 12, 12), output_shape (None, 3, 25, 25): W (3, 5, 3, 3) = 135 + b (3) = 138; out (3, 25, 25)", () => {
    const r = run('Deconvolution2D', deconv({ output_shape: [null, 3, 25, 25] }), [null, 5, 12, 12]);
    expect(r.note).toBeNull();
    expect(described(r)).toEqual([
      ['W', [3, 5, 3, 3], true],
      ['b', [3], true],
    ]);
    expect(r.outputShape).toEqual([null, 3, 25, 25]);
  });

  it("Deconvolution2D 'tf' stores W (r, c, in, f) = (3, 3, 5, 3), and its output is output_shape even where the arithmetic differs", () => {
    // Keras 1's docstring example: 3×3 valid stride 1 on 12×12; Theano GPU gave 13×13 and the user declared it.
    // The arithmetic would say 12 + 3 − 1 = 14; Keras 1 reported the declared 13.
    const r = run('Deconvolution2D', deconv({ dim_ordering: 'tf', subsample: [1, 1], output_shape: [null, 13, 13, 3] }), [null, 12, 12, 5]);
    expect(r.vars?.map((x) => x.shape)).toEqual([[3, 3, 5, 3], [3]]);
    expect(r.outputShape).toEqual([null, 13, 13, 3]);
  });

  it('Deconvolution2D with an unknown input: W (3, ?, 3, 3); output still (3, 25, 25) from output_shape', () => {
    const r = run('Deconvolution2D', deconv({ output_shape: [null, 3, 25, 25] }), null);
    expect(r.vars?.map((x) => x.shape)).toEqual([[3, null, 3, 3], [3]]);
    expect(r.outputShape).toEqual([null, 3, 25, 25]);
  });

  const sep = (extra: Cfg): Cfg => ({
    name: 'separableconvolution2d_1',
    nb_filter: 6,
    nb_row: 3,
    nb_col: 3,
    init: 'glorot_uniform',
    activation: 'linear',
    border_mode: 'valid',
    subsample: [1, 1],
    depth_multiplier: 2,
    dim_ordering: 'th',
    depthwise_regularizer: null,
    pointwise_regularizer: null,
    b_regularizer: null,
    activity_regularizer: null,
    depthwise_constraint: null,
    pointwise_constraint: null,
    b_constraint: null,
    bias: true,
    ...extra,
  });

  it("SeparableConvolution2D 'th' dm 2 on (4, 10, 10): depthwise (2, 4, 3, 3) = 72 + pointwise (6, 8, 1, 1) = 48 + b (6) → 126; out (6, 8, 8)", () => {
    const r = run('SeparableConvolution2D', sep({}), [null, 4, 10, 10]);
    expect(described(r)).toEqual([
      ['depthwise_kernel', [2, 4, 3, 3], true],
      ['pointwise_kernel', [6, 8, 1, 1], true],
      ['b', [6], true],
    ]);
    expect(total(r.vars)).toBe(126);
    expect(r.outputShape).toEqual([null, 6, 8, 8]);
  });

  it("SeparableConvolution2D 'tf' no bias: depthwise (3, 3, 4, 2) + pointwise (1, 1, 8, 6) = 120", () => {
    const r = run('SeparableConvolution2D', sep({ dim_ordering: 'tf', bias: false }), [null, 10, 10, 4]);
    expect(described(r)).toEqual([
      ['depthwise_kernel', [3, 3, 4, 2], true],
      ['pointwise_kernel', [1, 1, 8, 6], true],
    ]);
    expect(r.outputShape).toEqual([null, 8, 8, 6]);
  });
});

describe('Keras 1 global pooling (pooling.ts)', () => {
  it.each([
    ['GlobalAveragePooling2D', 'th', [null, 16, 7, 5], [null, 16]],
    ['GlobalMaxPooling2D', 'th', [null, 16, 7, 5], [null, 16]],
    ['GlobalAveragePooling2D', 'tf', [null, 7, 5, 16], [null, 16]],
    ['GlobalMaxPooling3D', 'th', [null, 3, 4, 5, 6], [null, 3]],
    ['GlobalAveragePooling3D', 'th', [null, 3, 4, 5, 6], [null, 3]],
  ] as const)("%s dim_ordering '%s' on %j keeps the channel axis: %j", (cls, ordering, input, out) => {
    const r = run(cls, { name: 'g', trainable: true, dim_ordering: ordering }, [...input]);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual(out);
  });

  it('GlobalMaxPooling1D (no dim_ordering in Keras 1) on (10, 4): (batch, 4)', () => {
    expect(run('GlobalMaxPooling1D', { name: 'g', trainable: true }, [null, 10, 4]).outputShape).toEqual([null, 4]);
  });
});

describe('Keras 1 padding, cropping and upsampling (reshape.ts)', () => {
  it.each([
    // (top, bottom, left, right) = (1, 2, 3, 4): rows 10 + 1 + 2 = 13, cols 10 + 3 + 4 = 17
    ['ZeroPadding2D 4-tuple tf', 'ZeroPadding2D', { padding: [1, 2, 3, 4], dim_ordering: 'tf' }, [null, 10, 10, 3], [null, 13, 17, 3]],
    // dict: rows 10 + 1 + 0 = 11, cols 10 + 2 + 2 = 14, channels first
    [
      'ZeroPadding2D dict th',
      'ZeroPadding2D',
      { padding: { top_pad: 1, bottom_pad: 0, left_pad: 2, right_pad: 2 }, dim_ordering: 'th' },
      [null, 3, 10, 10],
      [null, 3, 11, 14],
    ],
    // (1, 2): rows 10 + 2·1 = 12, cols 10 + 2·2 = 14
    ['ZeroPadding2D pair th', 'ZeroPadding2D', { padding: [1, 2], dim_ordering: 'th' }, [null, 3, 10, 10], [null, 3, 12, 14]],
    // (1, 1, 1) th on (2, 4, 5, 6): each spatial axis + 2
    ['ZeroPadding3D th', 'ZeroPadding3D', { padding: [1, 1, 1], dim_ordering: 'th' }, [null, 2, 4, 5, 6], [null, 2, 6, 7, 8]],
    ['ZeroPadding1D', 'ZeroPadding1D', { padding: 2 }, [null, 10, 4], [null, 14, 4]],
    // ((1, 1), (2, 0)) th on (3, 10, 10): rows 10 − 2 = 8, cols 10 − 2 = 8
    [
      'Cropping2D th',
      'Cropping2D',
      {
        cropping: [
          [1, 1],
          [2, 0],
        ],
        dim_ordering: 'th',
      },
      [null, 3, 10, 10],
      [null, 3, 8, 8],
    ],
    // ((1, 1), (0, 1), (2, 2)) th on (2, 6, 6, 6): 4, 5, 2
    [
      'Cropping3D th',
      'Cropping3D',
      {
        cropping: [
          [1, 1],
          [0, 1],
          [2, 2],
        ],
        dim_ordering: 'th',
      },
      [null, 2, 6, 6, 6],
      [null, 2, 4, 5, 2],
    ],
    ['Cropping1D', 'Cropping1D', { cropping: [1, 2] }, [null, 10, 4], [null, 7, 4]],
    // length 3: 5 · 3 = 15
    ['UpSampling1D length', 'UpSampling1D', { length: 3 }, [null, 5, 4], [null, 15, 4]],
    // size (2, 3) th on (3, 4, 5): 8, 15
    ['UpSampling2D th', 'UpSampling2D', { size: [2, 3], dim_ordering: 'th' }, [null, 3, 4, 5], [null, 3, 8, 15]],
    // size (2, 2, 2) th on (1, 2, 3, 4): 4, 6, 8
    ['UpSampling3D th', 'UpSampling3D', { size: [2, 2, 2], dim_ordering: 'th' }, [null, 1, 2, 3, 4], [null, 1, 4, 6, 8]],
  ] as const)('%s', (_name, cls, cfg, input, out) => {
    const r = run(cls, { name: 'l', trainable: true, ...cfg }, [...input]);
    expect(r.note).toBeNull();
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual(out);
  });
});

describe('TF.js and Keras 2 configs are never taken for Keras 1', () => {
  const cases: [string, () => tf.layers.Layer, number[]][] = [
    ['Dense', () => tf.layers.dense({ units: 3 }), [4]],
    ['Embedding', () => tf.layers.embedding({ inputDim: 20, outputDim: 4 }), [5]],
    ['Conv1D', () => tf.layers.conv1d({ filters: 2, kernelSize: 3 }), [8, 3]],
    ['Conv2D channels_first', () => tf.layers.conv2d({ filters: 4, kernelSize: 3, dataFormat: 'channelsFirst' }), [2, 8, 8]],
    ['Conv2DTranspose', () => tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2 }), [5, 5, 2]],
    ['SeparableConv2D', () => tf.layers.separableConv2d({ filters: 3, kernelSize: 3 }), [8, 8, 2]],
    ['GlobalAveragePooling2D channels_first', () => tf.layers.globalAveragePooling2d({ dataFormat: 'channelsFirst' }), [3, 5, 5]],
    [
      'ZeroPadding2D',
      () =>
        tf.layers.zeroPadding2d({
          padding: [
            [1, 2],
            [3, 4],
          ],
        }),
      [5, 5, 2],
    ],
    ['UpSampling2D', () => tf.layers.upSampling2d({ size: [2, 3] }), [4, 5, 2]],
  ];
  it.each(cases)('TF.js %s: not Keras 1, same weights and output as TF.js', (_name, make, shape) => {
    const c = oracleLayer(make(), shape);
    expect(isKeras1(c.entry.config)).toBe(false);
    expectLikeTfjs(c);
  });

  it('a Keras 2.0 Dense config (units, kernel_initializer, use_bias) keeps kernel/bias: (4·3) + 3 = 15', () => {
    const cfg = {
      name: 'fc1',
      trainable: true,
      units: 3,
      activation: 'relu',
      use_bias: true,
      kernel_initializer: { class_name: 'VarianceScaling', config: {} },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    };
    expect(described(run('Dense', cfg, [null, 4]))).toEqual([
      ['kernel', [4, 3], true],
      ['bias', [3], true],
    ]);
  });
});
