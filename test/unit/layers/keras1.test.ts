// Keras 1 configs: the Keras 1-only classes (keras1.ts), keras1Args() translating Keras 1 argument names for
// the Keras 2 entries (Convolution*D, Deconvolution2D, SeparableConvolution2D in conv.ts; pooling; Dense), and
// Keras 1's own kernel layouts (keras1ConvVars). TF.js reads no Keras 1 configs: hand arithmetic throughout.
import { describe, expect, it } from 'vitest';
import { applyLayer } from '../../../src/layers/index.js';
import { isKeras1, keras1Args } from '../../../src/layers/keras1-args.js';
import { keras1ConvVars } from '../../../src/layers/keras1.js';
import type { Shape } from '../../../src/model/types.js';
import { described, run } from './expect-tfjs.js';

const size = (s: Shape) => s.reduce<number>((n, d) => n * (d as number), 1);
const total = (vars: { shape: Shape }[] | null) => (vars ?? []).reduce((n, x) => n + size(x.shape), 0);

describe('keras1Args', () => {
  it('translates convolution arguments', () => {
    const cfg = {
      nb_filter: 8,
      nb_row: 3,
      nb_col: 5,
      border_mode: 'same',
      subsample: [2, 1],
      dim_ordering: 'th',
      bias: false,
      init: 'he_normal',
      W_regularizer: null,
    };
    expect(keras1Args(cfg)).toMatchObject({
      filters: 8,
      kernel_size: [3, 5],
      padding: 'same',
      strides: [2, 1],
      data_format: 'channels_first',
      use_bias: false,
      kernel_initializer: 'he_normal',
      kernel_regularizer: null,
    });
    expect(keras1Args({ ...cfg, dim_ordering: 'tf' }).data_format).toBe('channels_last');
    // 'default' meant keras.json's image_dim_ordering ('tf' unless changed): left unset = channels_last
    expect(keras1Args({ ...cfg, dim_ordering: 'default' }).data_format).toBeUndefined();
  });

  it('translates 1D and 3D kernel spellings and atrous_rate', () => {
    expect(keras1Args({ nb_filter: 2, filter_length: 4, subsample_length: 3, atrous_rate: 2 })).toMatchObject({
      kernel_size: [4],
      strides: 3,
      dilation_rate: 2,
    });
    expect(keras1Args({ nb_filter: 2, kernel_dim1: 1, kernel_dim2: 2, kernel_dim3: 3 }).kernel_size).toEqual([1, 2, 3]);
  });

  it('translates Dense / RNN / pooling / dropout / noise arguments', () => {
    expect(keras1Args({ output_dim: 10, bias: true })).toMatchObject({ units: 10, use_bias: true });
    expect(
      keras1Args({ output_dim: 4, inner_init: 'orthogonal', consume_less: 'gpu', dropout_W: 0.2, dropout_U: 0.1, U_regularizer: null }),
    ).toMatchObject({
      units: 4,
      recurrent_initializer: 'orthogonal',
      implementation: 2,
      dropout: 0.2,
      recurrent_dropout: 0.1,
      recurrent_regularizer: null,
    });
    expect(keras1Args({ pool_length: 3, stride: 2, border_mode: 'valid' })).toMatchObject({ pool_size: 3, strides: 2, padding: 'valid' });
    expect(keras1Args({ p: 0.5 }).rate).toBe(0.5);
    expect(keras1Args({ sigma: 0.1 }).stddev).toBe(0.1);
    expect(keras1Args({ length: 2 }).size).toBe(2);
  });

  it('turns a Keras 1 ZeroPadding2D (top, bottom, left, right) or dict into ((t, b), (l, r))', () => {
    expect(keras1Args({ padding: [1, 2, 3, 4], dim_ordering: 'tf' }).padding).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(keras1Args({ padding: { top_pad: 1, left_pad: 2 } }).padding).toEqual([
      [1, 0],
      [2, 0],
    ]);
    expect(keras1Args({ padding: [1, 1] }).padding).toEqual([1, 1]);
  });

  it('leaves Keras 2 configs (and Embedding output_dim) as they are', () => {
    const k2 = { filters: 3, kernel_size: [3, 3], padding: 'same', strides: [1, 1], data_format: 'channels_last', use_bias: true };
    expect(keras1Args(k2)).toEqual(k2);
    expect(keras1Args({ input_dim: 100, output_dim: 8 })).toMatchObject({ input_dim: 100, output_dim: 8 });
    expect(isKeras1(k2)).toBe(false);
    expect(isKeras1({ input_dim: 100, output_dim: 8, embeddings_initializer: 'uniform' })).toBe(false);
    expect(isKeras1({ nb_filter: 3, nb_row: 3, nb_col: 3 })).toBe(true);
  });

  it('a Keras 1 Dense config, translated, counts as Keras 2 Dense: kernel (4, 10) + bias (10) = 50', () => {
    const cfg = keras1Args({ output_dim: 10, init: 'glorot_uniform', activation: 'relu', bias: true, input_dim: 4 });
    const r = applyLayer({ class_name: 'Dense', config: cfg }, [[null, 4]]);
    expect(total(r.vars)).toBe(50);
    expect(r.outputShape).toEqual([null, 10]);
    const noBias = applyLayer({ class_name: 'Dense', config: keras1Args({ output_dim: 10, bias: false }) }, [[null, 4]]);
    expect(total(noBias.vars)).toBe(40);
  });
});

describe('Keras 2 entries on Keras 1 configs (through keras1Args)', () => {
  it('Convolution2D th, 3×3, same, subsample 2: 8·3·3·3 + 8 = 224; (3, 32, 32) → (8, 16, 16)', () => {
    const r = run(
      'Convolution2D',
      { nb_filter: 8, nb_row: 3, nb_col: 3, border_mode: 'same', subsample: [2, 2], dim_ordering: 'th', bias: true },
      [null, 3, 32, 32],
    );
    expect(total(r.vars)).toBe(224);
    expect(r.outputShape).toEqual([null, 8, 16, 16]);
  });

  it('Convolution1D filter_length 4, subsample_length 2: 4·6·5 + 5 = 125; length 20 → ceil(17/2) = 9', () => {
    const r = run('Convolution1D', { nb_filter: 5, filter_length: 4, border_mode: 'valid', subsample_length: 2, bias: true }, [
      null,
      20,
      6,
    ]);
    expect(total(r.vars)).toBe(125);
    expect(r.outputShape).toEqual([null, 9, 5]);
  });

  it('Convolution3D kernel_dim 2×3×3 tf: 2·3·3·2·4 + 4 = 148; (5, 6, 7) → (4, 4, 5)', () => {
    const r = run(
      'Convolution3D',
      { nb_filter: 4, kernel_dim1: 2, kernel_dim2: 3, kernel_dim3: 3, border_mode: 'valid', subsample: [1, 1, 1], dim_ordering: 'tf' },
      [null, 5, 6, 7, 2],
    );
    expect(total(r.vars)).toBe(148);
    expect(r.outputShape).toEqual([null, 4, 4, 5, 4]);
  });

  it('SeparableConvolution2D dm 2, no bias: depthwise 3·3·4·2 + pointwise 8·6 = 120; (10, 10) → (8, 8)', () => {
    const r = run(
      'SeparableConvolution2D',
      { nb_filter: 6, nb_row: 3, nb_col: 3, depth_multiplier: 2, border_mode: 'valid', subsample: [1, 1], dim_ordering: 'tf', bias: false },
      [null, 10, 10, 4],
    );
    expect(total(r.vars)).toBe(120);
    expect(r.outputShape).toEqual([null, 8, 8, 6]);
  });

  it('Deconvolution2D 3×3 valid on 12×12×5 → 14×14×3: 3·3·5·3 + 3 = 138', () => {
    const cfg = {
      nb_filter: 3,
      nb_row: 3,
      nb_col: 3,
      output_shape: [null, 14, 14, 3],
      border_mode: 'valid',
      subsample: [1, 1],
      dim_ordering: 'tf',
    };
    const r = run('Deconvolution2D', cfg, [null, 12, 12, 5]);
    expect(total(r.vars)).toBe(138);
    expect(r.outputShape).toEqual([null, 14, 14, 3]);
  });

  it('MaxPooling1D pool_length 3, stride 2 on length 11: (11 − 3 + 1) / 2 rounded up = 5', () => {
    const r = run('MaxPooling1D', { pool_length: 3, stride: 2, border_mode: 'valid' }, [null, 11, 4]);
    expect(r.outputShape).toEqual([null, 5, 4]);
  });

  it('MaxPooling2D border_mode same, dim_ordering th on (3, 7, 7): ceil(7/2) = 4', () => {
    const r = run('MaxPooling2D', { pool_size: [2, 2], strides: null, border_mode: 'same', dim_ordering: 'th' }, [null, 3, 7, 7]);
    expect(r.outputShape).toEqual([null, 3, 4, 4]);
  });
});

describe('Keras 1-only classes', () => {
  it('AtrousConvolution2D th, atrous_rate 2: W (4, 2, 3, 3) + b (4) = 76; effective kernel 5 → 16 − 4 = 12', () => {
    const r = run(
      'AtrousConvolution2D',
      { nb_filter: 4, nb_row: 3, nb_col: 3, atrous_rate: [2, 2], border_mode: 'valid', subsample: [1, 1], dim_ordering: 'th' },
      [null, 2, 16, 16],
    );
    expect(described(r)).toEqual([
      ['W', [4, 2, 3, 3], true],
      ['b', [4], true],
    ]);
    expect(total(r.vars)).toBe(76);
    expect(r.outputShape).toEqual([null, 4, 12, 12]);
  });

  it('AtrousConvolution1D atrous_rate 2 same: W (3, 1, 4, 3) + b (3) = 39; length kept', () => {
    const r = run('AtrousConvolution1D', { nb_filter: 3, filter_length: 3, atrous_rate: 2, border_mode: 'same', subsample_length: 1 }, [
      null,
      10,
      4,
    ]);
    expect(described(r)).toEqual([
      ['W', [3, 1, 4, 3], true],
      ['b', [3], true],
    ]);
    expect(r.outputShape).toEqual([null, 10, 3]);
  });

  it('Highway on 5 features: W (5, 5) + W_carry (5, 5) + b (5) + b_carry (5) = 60', () => {
    const r = run('Highway', { init: 'glorot_uniform', activation: 'relu', bias: true }, [null, 5]);
    expect(r.vars?.map((x) => [x.name, x.shape])).toEqual([
      ['W', [5, 5]],
      ['W_carry', [5, 5]],
      ['b', [5]],
      ['b_carry', [5]],
    ]);
    expect(total(r.vars)).toBe(60);
    expect(r.outputShape).toEqual([null, 5]);
  });

  it('MaxoutDense nb_feature 4, output_dim 3 on 6: W (4, 6, 3) + b (4, 3) = 84', () => {
    const r = run('MaxoutDense', { output_dim: 3, nb_feature: 4, bias: true }, [null, 6]);
    expect(r.vars?.map((x) => x.shape)).toEqual([
      [4, 6, 3],
      [4, 3],
    ]);
    expect(total(r.vars)).toBe(84);
    expect(r.outputShape).toEqual([null, 3]);
  });

  it('TimeDistributedDense output_dim 7 on (5, 3): W (3, 7) + b (7) = 28', () => {
    const r = run('TimeDistributedDense', { output_dim: 7, bias: true }, [null, 5, 3]);
    expect(total(r.vars)).toBe(28);
    expect(r.outputShape).toEqual([null, 5, 7]);
  });

  it.each([
    [
      'concat (axis −1)',
      { mode: 'concat', concat_axis: -1 },
      [
        [null, 3],
        [null, 4],
      ],
      [null, 7],
    ],
    [
      'concat axis 1',
      { mode: 'concat', concat_axis: 1 },
      [
        [null, 2, 5],
        [null, 3, 5],
      ],
      [null, 5, 5],
    ],
    [
      'sum',
      { mode: 'sum' },
      [
        [null, 4],
        [null, 4],
      ],
      [null, 4],
    ],
    [
      'ave',
      { mode: 'ave' },
      [
        [null, 2, 4],
        [null, 2, 4],
      ],
      [null, 2, 4],
    ],
    // dot of two vectors: both feature axes removed, (batch) → (batch, 1)
    [
      'dot of vectors',
      { mode: 'dot', dot_axes: [1, 1] },
      [
        [null, 4],
        [null, 4],
      ],
      [null, 1],
    ],
    // (3, 4)·(5, 4) over axis 2: (batch, 3) + (5) = (batch, 3, 5)
    [
      'dot over axis 2',
      { mode: 'dot', dot_axes: 2 },
      [
        [null, 3, 4],
        [null, 5, 4],
      ],
      [null, 3, 5],
    ],
    [
      'cos (dot_axes −1)',
      { mode: 'cos', dot_axes: -1 },
      [
        [null, 4],
        [null, 4],
      ],
      [null, 1],
    ],
    [
      'callable with output_shape',
      { mode: 'lambda-bytes', mode_type: 'lambda', output_shape: [6] },
      [
        [null, 3],
        [null, 3],
      ],
      [null, 6],
    ],
  ] as const)('Merge %s has no weights', (_name, cfg, ins, out) => {
    const r = run('Merge', { ...cfg }, ...ins.map((s) => [...s]));
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual(out);
  });
});

describe("keras1ConvVars: Keras 1's stored kernel layouts", () => {
  it('Convolution1D stores W (k, 1, in, f)', () => {
    expect(keras1ConvVars('conv', 1, { nb_filter: 5, filter_length: 4 }, 6).map((x) => x.shape)).toEqual([[4, 1, 6, 5], [5]]);
  });
  it("Convolution2D: 'tf' W (r, c, in, f), 'th' W (f, in, r, c)", () => {
    const cfg = { nb_filter: 8, nb_row: 3, nb_col: 2, dim_ordering: 'tf' };
    expect(keras1ConvVars('conv', 2, cfg, 3).map((x) => x.shape)).toEqual([[3, 2, 3, 8], [8]]);
    expect(keras1ConvVars('conv', 2, { ...cfg, dim_ordering: 'th', bias: false }, 3).map((x) => x.shape)).toEqual([[8, 3, 3, 2]]);
  });
  it("Convolution3D 'th' W (f, in, k1, k2, k3)", () => {
    expect(
      keras1ConvVars('conv', 3, { nb_filter: 4, kernel_dim1: 2, kernel_dim2: 3, kernel_dim3: 1, dim_ordering: 'th' }, 2)[0]?.shape,
    ).toEqual([4, 2, 2, 3, 1]);
  });
  it("SeparableConvolution2D: 'tf' (r, c, in, dm) + (1, 1, in·dm, f); 'th' (dm, in, r, c) + (f, in·dm, 1, 1)", () => {
    const cfg = { nb_filter: 6, nb_row: 3, nb_col: 3, depth_multiplier: 2 };
    expect(keras1ConvVars('separable', 2, { ...cfg, dim_ordering: 'tf' }, 4).map((x) => [x.name, x.shape])).toEqual([
      ['depthwise_kernel', [3, 3, 4, 2]],
      ['pointwise_kernel', [1, 1, 8, 6]],
      ['b', [6]],
    ]);
    expect(keras1ConvVars('separable', 2, { ...cfg, dim_ordering: 'th' }, 4).map((x) => x.shape)).toEqual([
      [2, 4, 3, 3],
      [6, 8, 1, 1],
      [6],
    ]);
  });
});
