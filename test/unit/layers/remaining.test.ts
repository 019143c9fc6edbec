// The last built-in classes, none of which TF.js implements: Keras 3 adaptive pooling, ReversibleEmbedding and
// ReconstructPatches2D/3D; tf.keras 2 RandomFourierFeatures and the RNN cell wrappers. Checked by hand against
// the shapes the Keras sources give (keras/src/layers/…, tf_keras/layers/kernelized.py, rnn/cell_wrappers.py).
import { describe, expect, it } from 'vitest';
import { described, run } from './expect-tfjs.js';

const count = (r: ReturnType<typeof run>) => (r.vars ?? []).reduce((n, x) => n + x.shape.reduce<number>((m, d) => m * (d as number), 1), 0);

describe('adaptive pooling (Keras 3)', () => {
  it("'AdaptiveAveragePooling1D': (b, 64, 3) with output_size 32 -> (b, 32, 3); channels_first (b, 3, 64) -> (b, 3, 32)", () => {
    const r = run('AdaptiveAveragePooling1D', { output_size: 32, data_format: 'channels_last' }, [null, 64, 3]);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual([null, 32, 3]);
    // Keras' base class stores output_size normalized to a tuple: [32]
    expect(run('AdaptiveAveragePooling1D', { output_size: [32], data_format: 'channels_first' }, [null, 3, 64]).outputShape).toEqual([
      null,
      3,
      32,
    ]);
  });

  it("'AdaptiveMaxPooling1D': (b, 10, 8) with output_size 4 -> (b, 4, 8)", () => {
    const r = run('AdaptiveMaxPooling1D', { output_size: 4 }, [2, 10, 8]);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual([2, 4, 8]);
  });

  it("'AdaptiveAveragePooling2D': (b, 64, 64, 3) with output_size 7 -> (b, 7, 7, 3); [5, 6] channels_first (b, 3, 64, 60) -> (b, 3, 5, 6)", () => {
    expect(run('AdaptiveAveragePooling2D', { output_size: 7, data_format: 'channels_last' }, [null, 64, 64, 3]).outputShape).toEqual([
      null,
      7,
      7,
      3,
    ]);
    const r = run('AdaptiveAveragePooling2D', { output_size: [5, 6], data_format: 'channels_first' }, [null, 3, 64, 60]);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual([null, 3, 5, 6]);
  });

  it("'AdaptiveMaxPooling2D': unknown spatial axes still give the output size: (b, ?, ?, 16) -> (b, 2, 3, 16)", () => {
    expect(run('AdaptiveMaxPooling2D', { output_size: [2, 3] }, [null, null, null, 16]).outputShape).toEqual([null, 2, 3, 16]);
  });

  it("'AdaptiveAveragePooling3D' and 'AdaptiveMaxPooling3D': (b, 8, 9, 10, 4) with (2, 3, 4) -> (b, 2, 3, 4, 4); channels_first keeps C at axis 1", () => {
    for (const name of ['AdaptiveAveragePooling3D', 'AdaptiveMaxPooling3D']) {
      expect(run(name, { output_size: [2, 3, 4] }, [null, 8, 9, 10, 4]).outputShape).toEqual([null, 2, 3, 4, 4]);
      expect(run(name, { output_size: 2, data_format: 'channels_first' }, [null, 5, 8, 9, 10]).outputShape).toEqual([null, 5, 2, 2, 2]);
      expect(run(name, { output_size: 2 }, [null, 8, 9, 10, 4]).vars).toEqual([]);
    }
  });

  it('wrong input rank is a note, not a crash', () => {
    const r = run('AdaptiveMaxPooling2D', { output_size: 2 }, [null, 10, 3]);
    expect(r.outputShape).toBeNull();
    expect(r.note).toMatch(/rank-4/);
  });
});

describe("'ReconstructPatches2D' / 'ReconstructPatches3D' (Keras 3)", () => {
  it('2D: 20x20x3 image cut in 5x5 patches is a (4, 4, 5*5*3 = 75) grid; back to (b, 20, 20, 75 / 25 = 3)', () => {
    const r = run(
      'ReconstructPatches2D',
      { size: [5, 5], output_size: [20, 20], strides: null, padding: 'valid', data_format: 'channels_last' },
      [null, 4, 4, 75],
    );
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual([null, 20, 20, 3]);
  });

  it('2D channels_first: flat axis is axis 1: (b, 2*3*4 = 24, 5, 5) with size (2, 3) -> (b, 24 / 6 = 4, 10, 15)', () => {
    expect(
      run('ReconstructPatches2D', { size: [2, 3], output_size: [10, 15], data_format: 'channels_first' }, [null, 24, 5, 5]).outputShape,
    ).toEqual([null, 4, 10, 15]);
  });

  it('2D unknown flat axis: channels unknown, output_size still known', () => {
    expect(run('ReconstructPatches2D', { size: 4, output_size: [8, 8] }, [null, 2, 2, null]).outputShape).toEqual([null, 8, 8, null]);
  });

  it('3D: size 2 (volume 8), (b, 2, 3, 4, 8*5 = 40) -> (b, 4, 6, 8, 40 / 8 = 5); channels_first (b, 40, 2, 3, 4) -> (b, 5, 4, 6, 8)', () => {
    const r = run('ReconstructPatches3D', { size: 2, output_size: [4, 6, 8], data_format: 'channels_last' }, [null, 2, 3, 4, 40]);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual([null, 4, 6, 8, 5]);
    expect(
      run('ReconstructPatches3D', { size: [2, 2, 2], output_size: [4, 6, 8], data_format: 'channels_first' }, [null, 40, 2, 3, 4])
        .outputShape,
    ).toEqual([null, 5, 4, 6, 8]);
  });
});

describe("'ReversibleEmbedding' (Keras 3, keras.layers.ReversibleEmbedding)", () => {
  it('tied (default): only embeddings (100, 32) = 3200; (b, 10) tokens -> (b, 10, 32)', () => {
    const r = run('ReversibleEmbedding', { input_dim: 100, output_dim: 32, tie_weights: true }, [null, 10]);
    expect(described(r)).toEqual([['embeddings', [100, 32], true]]);
    expect(count(r)).toBe(3200);
    expect(r.outputShape).toEqual([null, 10, 32]);
    expect(described(run('ReversibleEmbedding', { input_dim: 100, output_dim: 32 }, [null, 10]))).toEqual([
      ['embeddings', [100, 32], true],
    ]);
  });

  it('untied: embeddings (100, 32) then reverse_embeddings (32, 100), both trainable: 2 * 3200 = 6400', () => {
    const r = run('ReversibleEmbedding', { input_dim: 100, output_dim: 32, tie_weights: false }, [null, 10]);
    expect(described(r)).toEqual([
      ['embeddings', [100, 32], true],
      ['reverse_embeddings', [32, 100], true],
    ]);
    expect(count(r)).toBe(6400);
  });

  it('int8 untied: embeddings int8 (10, 16) + embeddings_scale (10) + reverse_embeddings int8 (16, 10) + reverse_embeddings_scale (10), all non-trainable', () => {
    const r = run('ReversibleEmbedding', { input_dim: 10, output_dim: 16, tie_weights: false, dtype: 'int8_from_float32' }, [null, 3]);
    expect(described(r)).toEqual([
      ['embeddings', [10, 16], false],
      ['embeddings_scale', [10], false],
      ['reverse_embeddings', [16, 10], false],
      ['reverse_embeddings_scale', [10], false],
    ]);
    // 160 + 10 + 160 + 10
    expect(count(r)).toBe(340);
  });

  it('int4 untied: two int4 per int8 along output_dim: embeddings (10, ceil(15/2) = 8), reverse_embeddings (8, 10)', () => {
    const r = run('ReversibleEmbedding', { input_dim: 10, output_dim: 15, tie_weights: false, dtype: 'int4_from_float32' }, [null, 3]);
    expect(described(r)).toEqual([
      ['embeddings', [10, 8], false],
      ['embeddings_scale', [10], false],
      ['reverse_embeddings', [8, 10], false],
      ['reverse_embeddings_scale', [10], false],
    ]);
  });
});

describe("'RandomFourierFeatures' (tf.keras 2, keras.layers.experimental)", () => {
  it('784 -> 4096: unscaled_kernel (784, 4096) and bias (4096) non-trainable, kernel_scale (1) trainable', () => {
    const r = run('RandomFourierFeatures', { output_dim: 4096, kernel_initializer: 'gaussian', scale: 10, trainable: false }, [null, 784]);
    expect(described(r)).toEqual([
      ['unscaled_kernel', [784, 4096], false],
      ['bias', [4096], false],
      ['kernel_scale', [1], true],
    ]);
    // 784 * 4096 + 4096 + 1 = 3211264 + 4097
    expect(count(r)).toBe(3215361);
    expect(r.outputShape).toEqual([null, 4096]);
  });

  it('rank-3 input is refused as Keras does (output shape not computed)', () => {
    const r = run('RandomFourierFeatures', { output_dim: 8 }, [null, 5, 4]);
    expect(r.outputShape).toBeNull();
    expect(r.note).toMatch(/rank-2/);
  });
});

describe("RNN cell wrappers 'DropoutWrapper', 'ResidualWrapper', 'DeviceWrapper' (tf.keras 2)", () => {
  const simple = { class_name: 'SimpleRNNCell', config: { units: 4, use_bias: true } };
  const gru = { class_name: 'GRUCell', config: { units: 3, reset_after: true } };

  it('alone: the wrapped cell on 6 features: kernel (6, 4) + recurrent_kernel (4, 4) + bias (4) = 44; out (b, 4)', () => {
    for (const name of ['DropoutWrapper', 'ResidualWrapper', 'DeviceWrapper']) {
      const r = run(name, { cell: simple, input_keep_prob: 0.9, device: '/cpu:0' }, [null, 6]);
      expect(described(r)).toEqual([
        ['kernel', [6, 4], true],
        ['recurrent_kernel', [4, 4], true],
        ['bias', [4], true],
      ]);
      expect(count(r)).toBe(44);
      expect(r.outputShape).toEqual([null, 4]);
    }
  });

  it('RNN(DropoutWrapper(GRUCell 3, reset_after)) on (b, 7, 5): kernel (5, 9) + recurrent_kernel (3, 9) + bias (2, 9) = 45 + 27 + 18 = 90; return_state -> 1 state (b, 3)', () => {
    const r = run('RNN', { cell: { class_name: 'DropoutWrapper', config: { cell: gru, output_keep_prob: 0.5 } }, return_state: true }, [
      null,
      7,
      5,
    ]);
    expect(described(r)).toEqual([
      ['kernel', [5, 9], true],
      ['recurrent_kernel', [3, 9], true],
      ['bias', [2, 9], true],
    ]);
    expect(count(r)).toBe(90);
    expect(r.outputShape).toEqual([
      [null, 3],
      [null, 3],
    ]);
  });

  it('nested wrappers and an LSTMCell: DeviceWrapper(ResidualWrapper(LSTMCell 4)) on 4 features: 4*16 + 4*16 + 16 = 144; 2 states', () => {
    const lstm = { class_name: 'LSTMCell', config: { units: 4 } };
    const cell = {
      class_name: 'DeviceWrapper',
      config: { device: '/gpu:0', cell: { class_name: 'ResidualWrapper', config: { cell: lstm } } },
    };
    const r = run('RNN', { cell, return_sequences: true, return_state: true }, [null, 9, 4]);
    expect(count(r)).toBe(144);
    expect(r.outputShape).toEqual([
      [null, 9, 4],
      [null, 4],
      [null, 4],
    ]);
  });

  it('StackedRNNCells with a wrapped first cell: SimpleRNNCell 4 on 6 (44), then GRUCell 3 on 4: 4*9 + 3*9 + 2*9 = 81; total 125', () => {
    const cells = [{ class_name: 'ResidualWrapper', config: { cell: simple } }, gru];
    const r = run('RNN', { cell: { class_name: 'StackedRNNCells', config: { cells } } }, [null, 7, 6]);
    expect(count(r)).toBe(125);
    expect(r.outputShape).toEqual([null, 3]);
  });

  it('a wrapper without a serialized cell is a note', () => {
    const r = run('DropoutWrapper', { input_keep_prob: 0.5 }, [null, 6]);
    expect(r.vars).toBeNull();
    expect(r.note).toMatch(/config\.cell/);
  });
});
