import { describe, expect, it } from 'vitest';
import { oracleLayer, tf } from '../../helpers/oracle.js';
import { described, expectLikeTfjs, run } from './expect-tfjs.js';

type Case = [string, () => tf.layers.Layer, number[]];

const tfjsCases: Case[] = [
  ['Dense', () => tf.layers.dense({ units: 4 }), [3]],
  ['Dense rank 3 no bias', () => tf.layers.dense({ units: 7, useBias: false }), [5, 6]],
  ['Embedding', () => tf.layers.embedding({ inputDim: 100, outputDim: 16 }), [12]],
  ['Embedding rank 2 ids', () => tf.layers.embedding({ inputDim: 30, outputDim: 4 }), [3, 5]],
  ['Masking', () => tf.layers.masking({ maskValue: 0 }), [10, 3]],
  ['Dropout', () => tf.layers.dropout({ rate: 0.5 }), [10]],
  ['SpatialDropout1D', () => tf.layers.spatialDropout1d({ rate: 0.2 }), [10, 4]],
  ['GaussianNoise', () => tf.layers.gaussianNoise({ stddev: 0.1 }), [6]],
  ['GaussianDropout', () => tf.layers.gaussianDropout({ rate: 0.1 }), [6]],
  ['AlphaDropout', () => tf.layers.alphaDropout({ rate: 0.1 }), [6]],
];

describe('core family against TF.js', () => {
  it.each(tfjsCases)('%s', (_name, make, shape) => expectLikeTfjs(oracleLayer(make(), shape)));

  it('InputLayer (batch_input_shape as TF.js writes it) matches TF.js', () => {
    const input = tf.input({ shape: [5, 3] });
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor });
    const json = model.toJSON(undefined, false) as unknown as {
      config: { layers: { class_name: string; config: Record<string, unknown> }[] };
    };
    const entry = json.config.layers.find((l) => l.class_name === 'InputLayer');
    expect(entry).toBeDefined();
    const r = run('InputLayer', entry?.config ?? {});
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual(input.shape);
  });

  it('InputLayer in Keras 3 (batch_shape) and with only shape', () => {
    expect(run('InputLayer', { batch_shape: [null, 28, 28, 1] }).outputShape).toEqual([null, 28, 28, 1]);
    expect(run('InputLayer', { shape: [7] }).outputShape).toEqual([null, 7]);
  });
});

describe('core family by hand', () => {
  it('Identity, ActivityRegularization, SpatialDropout2D, SpatialDropout3D: no weights, same shape', () => {
    expect(run('Identity', {}, [null, 3]).outputShape).toEqual([null, 3]);
    expect(run('ActivityRegularization', { l1: 0.01 }, [null, 3]).vars).toEqual([]);
    expect(run('SpatialDropout2D', { rate: 0.2 }, [null, 8, 8, 3]).outputShape).toEqual([null, 8, 8, 3]);
    expect(run('SpatialDropout3D', { rate: 0.2 }, [null, 4, 8, 8, 3]).outputShape).toEqual([null, 4, 8, 8, 3]);
  });

  it('Lambda: output_shape list (without batch) gives the shape; none or a function is unknown', () => {
    expect(run('Lambda', { output_shape: [4, 2] }, [null, 8]).outputShape).toEqual([null, 4, 2]);
    expect(run('Lambda', { output_shape: [[4], [2, 3]] }, [null, 8]).outputShape).toEqual([
      [null, 4],
      [null, 2, 3],
    ]);
    const r = run('Lambda', { function: 'x', output_shape: null }, [null, 8]);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toBeNull();
    expect(r.note).toMatch(/output_shape/);
  });

  it('Dense with an unknown input: kernel (null, units) still checks the units axis', () => {
    expect(described(run('Dense', { units: 5 }, null))).toEqual([
      ['kernel', [null, 5], true],
      ['bias', [5], true],
    ]);
  });

  it('Keras 3 int8 Dense (dtype policy int8_from_float32): kernel int8 (6, 4) + bias (4) + kernel_scale (4)', () => {
    const dtype = { module: 'keras', class_name: 'QuantizedDTypePolicy', config: { name: 'int8_from_float32' } };
    const r = run('Dense', { units: 4, dtype }, [null, 6]);
    expect(described(r)).toEqual([
      ['kernel', [6, 4], false],
      ['bias', [4], true],
      ['kernel_scale', [4], false],
    ]);
  });

  it('Keras 3 int4 Dense (mode/source_name policy): packed kernel (ceil(7/2) = 4, 3) + bias + kernel_scale (3)', () => {
    const dtype = { module: 'keras', class_name: 'QuantizedDTypePolicy', config: { mode: 'int4', source_name: 'float32' } };
    expect(described(run('Dense', { units: 3, dtype }, [null, 7]))).toEqual([
      ['kernel', [4, 3], false],
      ['bias', [3], true],
      ['kernel_scale', [3], false],
    ]);
  });

  it('newer Keras 3 int4 Dense (quantization_config key): kernel packed along units (5, ceil(7/2) = 4)', () => {
    const dtype = { class_name: 'QuantizedDTypePolicy', config: { mode: 'int4', source_name: 'float32' } };
    expect(described(run('Dense', { units: 7, dtype, quantization_config: null }, [null, 5]))).toEqual([
      ['kernel', [5, 4], false],
      ['bias', [7], true],
      ['kernel_scale', [7], false],
    ]);
  });

  it('int4 Dense with Int4DTypePolicy block_size 4 on in 10: scale and zero (ceil(10/4) = 3, units) + g_idx (10)', () => {
    const dtype = { class_name: 'Int4DTypePolicy', config: { mode: 'int4', source_name: 'float32', block_size: 4 } };
    expect(described(run('Dense', { units: 6, use_bias: false, dtype }, [null, 10]))).toEqual([
      ['kernel', [10, 3], false],
      ['kernel_scale', [3, 6], false],
      ['kernel_zero', [3, 6], false],
      ['g_idx', [10], false],
    ]);
  });

  it('Keras 3 float8 Dense: kernel + bias + 3 scalar scales and 3 amax histories of amax_history_length', () => {
    const dtype = { class_name: 'QuantizedFloat8DTypePolicy', config: { name: 'float8_from_float32', amax_history_length: 16 } };
    expect(described(run('Dense', { units: 2, use_bias: false, dtype }, [null, 3]))).toEqual([
      ['kernel', [3, 2], true],
      ['inputs_scale', [], true],
      ['inputs_amax_history', [16], true],
      ['kernel_scale', [], true],
      ['kernel_amax_history', [16], true],
      ['outputs_grad_scale', [], true],
      ['outputs_grad_amax_history', [16], true],
    ]);
    // Default history length 1024 when the policy does not say.
    const r = run('Dense', { units: 2, quantization_mode: 'float8' }, [null, 3]);
    expect(r.vars?.[3]?.shape).toEqual([1024]);
  });

  it('an unmodeled quantization mode is reported, not guessed', () => {
    const r = run('Dense', { units: 2, quantization_mode: 'gptq' }, [null, 3]);
    expect(r.vars).toBeNull();
    expect(r.note).toMatch(/gptq/);
  });

  it('Keras 3 int8 / int4 Embedding: embeddings (100, 16) or packed (100, 8) + embeddings_scale (100)', () => {
    expect(described(run('Embedding', { input_dim: 100, output_dim: 16, dtype: 'int8_from_float32' }, [null, 5]))).toEqual([
      ['embeddings', [100, 16], false],
      ['embeddings_scale', [100], false],
    ]);
    expect(described(run('Embedding', { input_dim: 100, output_dim: 15, quantization_mode: 'int4' }, [null, 5]))).toEqual([
      ['embeddings', [100, 8], false],
      ['embeddings_scale', [100], false],
    ]);
    // block_size 4 over output_dim 10: 3 groups per row
    const dtype = { class_name: 'Int4DTypePolicy', config: { mode: 'int4', source_name: 'float32', block_size: 4 } };
    expect(described(run('Embedding', { input_dim: 50, output_dim: 10, dtype }, [null, 5]))).toEqual([
      ['embeddings', [50, 5], false],
      ['embeddings_scale', [50, 3], false],
      ['embeddings_zero', [50, 3], false],
      ['g_idx', [10], false],
    ]);
  });
});

describe('EinsumDense by hand', () => {
  it('"ab,bc->ac", output 64, bias c: kernel (32, 64) + bias (64)', () => {
    const r = run('EinsumDense', { equation: 'ab,bc->ac', output_shape: 64, bias_axes: 'c' }, [null, 32]);
    expect(described(r)).toEqual([
      ['kernel', [32, 64], true],
      ['bias', [64], true],
    ]);
    expect(r.outputShape).toEqual([null, 64]);
  });

  it('"abc,cd->abd", output (None, 64), bias d: kernel (128, 64); output takes 32 from the input', () => {
    const r = run('EinsumDense', { equation: 'abc,cd->abd', output_shape: [null, 64], bias_axes: 'd' }, [null, 32, 128]);
    expect(described(r)).toEqual([
      ['kernel', [128, 64], true],
      ['bias', [64], true],
    ]);
    expect(r.outputShape).toEqual([null, 32, 64]);
  });

  it('"...x,xy->...y" (left ellipsis) on (batch, 32, 128): kernel (128, 64), no bias', () => {
    const r = run('EinsumDense', { equation: '...x,xy->...y', output_shape: 64, bias_axes: null }, [null, 32, 128]);
    expect(described(r)).toEqual([['kernel', [128, 64], true]]);
    expect(r.outputShape).toEqual([null, 32, 64]);
  });

  it('attention-style "abc,cde->abde" with bias "de": kernel (16, 2, 8) + bias (2, 8)', () => {
    const r = run('EinsumDense', { equation: 'abc,cde->abde', output_shape: [null, 2, 8], bias_axes: 'de' }, [null, 10, 16]);
    expect(described(r)).toEqual([
      ['kernel', [16, 2, 8], true],
      ['bias', [2, 8], true],
    ]);
    expect(r.outputShape).toEqual([null, 10, 2, 8]);
  });

  it('bias on a middle axis "abc,cd->abd" bias "b": bias (b, 1 for d) = (10, 1)', () => {
    const r = run('EinsumDense', { equation: 'abc,cd->abd', output_shape: [10, 4], bias_axes: 'b' }, [null, 10, 3]);
    expect(described(r)).toEqual([
      ['kernel', [3, 4], true],
      ['bias', [10, 1], true],
    ]);
  });

  it('right ellipsis "ab...,bc->ac...": bias gets a trailing 1 per elided axis', () => {
    const r = run('EinsumDense', { equation: 'ab...,bc->ac...', output_shape: [4], bias_axes: 'c' }, [null, 3, 7]);
    // input spec "ab" covers (batch, 3); the elided axis 7 is appended to the output; kernel (b=3, c=4)
    expect(described(r)).toEqual([
      ['kernel', [3, 4], true],
      ['bias', [4, 1], true],
    ]);
    expect(r.outputShape).toEqual([null, 4, 7]);
  });

  it('int8 "ab,bc->ac": kernel int8 (32, 64) + bias (64) + kernel_scale (1, 64)', () => {
    // Keras reduces the kernel's contracted axis b to 1 and keeps the output order a, c: (1, 64).
    const r = run('EinsumDense', { equation: 'ab,bc->ac', output_shape: 64, bias_axes: 'c', dtype: 'int8_from_float32' }, [null, 32]);
    expect(described(r)).toEqual([
      ['kernel', [32, 64], false],
      ['bias', [64], true],
      ['kernel_scale', [1, 64], false],
    ]);
  });

  it('int8 "abc,cde->abde": kernel_scale (1, 1, 2, 8)', () => {
    // reduced c -> 1 placed at the first axis missing from the kernel (a); b missing too -> inserted 1.
    const r = run('EinsumDense', { equation: 'abc,cde->abde', output_shape: [null, 2, 8], quantization_mode: 'int8' }, [null, 10, 16]);
    expect(r.vars?.map((x) => x.shape)).toEqual([
      [16, 2, 8],
      [1, 1, 2, 8],
    ]);
  });

  it('float8 EinsumDense adds the six float8 variables after kernel and bias', () => {
    const r = run('EinsumDense', { equation: 'ab,bc->ac', output_shape: 8, bias_axes: 'c', quantization_mode: 'float8' }, [null, 4]);
    expect(r.vars?.map((x) => x.name)).toEqual([
      'kernel',
      'bias',
      'inputs_scale',
      'inputs_amax_history',
      'kernel_scale',
      'kernel_amax_history',
      'outputs_grad_scale',
      'outputs_grad_amax_history',
    ]);
  });

  it('unknown input: axes taken from the input are null, output-side axes known', () => {
    const r = run('EinsumDense', { equation: 'abc,cd->abd', output_shape: [null, 64], bias_axes: 'd' }, null);
    expect(described(r)).toEqual([
      ['kernel', [null, 64], true],
      ['bias', [64], true],
    ]);
    expect(r.outputShape).toBeNull();
  });
});
