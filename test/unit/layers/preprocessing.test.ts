import { describe, expect, it } from 'vitest';
import { oracleLayer, tf } from '../../helpers/oracle.js';
import { described, expectLikeTfjs, run } from './expect-tfjs.js';

type Case = [string, () => tf.layers.Layer, number[]];

const tfjsCases: Case[] = [
  ['CategoryEncoding multi_hot', () => tf.layers.categoryEncoding({ numTokens: 6 }), [3]],
  ['CategoryEncoding one_hot', () => tf.layers.categoryEncoding({ numTokens: 5, outputMode: 'oneHot' }), [3]],
  ['CategoryEncoding one_hot on (1)', () => tf.layers.categoryEncoding({ numTokens: 5, outputMode: 'oneHot' }), [1]],
  ['CategoryEncoding count', () => tf.layers.categoryEncoding({ numTokens: 4, outputMode: 'count' }), [7]],
  ['Rescaling', () => tf.layers.rescaling({ scale: 1 / 255 }), [32, 32, 3]],
  ['CenterCrop', () => tf.layers.centerCrop({ height: 20, width: 24 }), [32, 30, 3]],
];

describe('preprocessing against TF.js', () => {
  it.each(tfjsCases)('%s', (_name, make, shape) => expectLikeTfjs(oracleLayer(make(), shape)));
});

describe('Normalization by hand', () => {
  it('adapted, axis -1 on (batch, 8): mean (8) + variance (8) + count () = 17 non-trainable', () => {
    expect(described(run('Normalization', { axis: [-1], mean: null, variance: null }, [null, 8]))).toEqual([
      ['mean', [8], false],
      ['variance', [8], false],
      ['count', [], false],
    ]);
  });

  it('axis (1, -1) on (batch, 4, 5, 6) keeps axes 1 and 3: mean (4, 6)', () => {
    expect(run('Normalization', { axis: [1, -1] }, [null, 4, 5, 6]).vars?.map((x) => x.shape)).toEqual([[4, 6], [4, 6], []]);
  });

  it('axis None (stored as [] or null): one mean and variance for everything, shape ()', () => {
    expect(run('Normalization', { axis: [] }, [null, 4]).vars?.map((x) => x.shape)).toEqual([[], [], []]);
    expect(run('Normalization', { axis: null }, [null, 4]).vars?.map((x) => x.shape)).toEqual([[], [], []]);
  });

  it('mean and variance given in the config: no weights', () => {
    const r = run('Normalization', { axis: [-1], mean: [0.5, 1.5], variance: [1, 2] }, [null, 2]);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual([null, 2]);
  });
});

describe('lookup and encoding layers by hand', () => {
  it('Discretization: no variables; int keeps the shape; one_hot with 3 boundaries has 4 bins', () => {
    expect(run('Discretization', { bin_boundaries: [0, 1, 2] }, [null, 5]).vars).toEqual([]);
    expect(run('Discretization', { bin_boundaries: [0, 1, 2] }, [null, 5]).outputShape).toEqual([null, 5]);
    expect(run('Discretization', { bin_boundaries: [0, 1, 2], output_mode: 'one_hot' }, [null, 5]).outputShape).toEqual([null, 5, 4]);
  });

  it('Hashing: int keeps the shape; multi_hot ends in num_bins', () => {
    expect(run('Hashing', { num_bins: 10 }, [null, 3]).outputShape).toEqual([null, 3]);
    expect(run('Hashing', { num_bins: 10, output_mode: 'multi_hot' }, [null, 3]).outputShape).toEqual([null, 10]);
    expect(run('Hashing', { num_bins: 10 }, [null, 3]).vars).toEqual([]);
  });

  it('HashedCrossing: int keeps the first input; one_hot is (batch, num_bins)', () => {
    expect(run('HashedCrossing', { num_bins: 7 }, [null, 1], [null, 1]).outputShape).toEqual([null, 1]);
    expect(run('HashedCrossing', { num_bins: 7, output_mode: 'one_hot' }, [null], [null]).outputShape).toEqual([null, 7]);
  });

  for (const name of ['StringLookup', 'IntegerLookup']) {
    it(`${name}: no weights; int keeps the shape; multi_hot padded to max_tokens 20 is (batch, 20)`, () => {
      expect(run(name, { output_mode: 'int' }, [null, 4]).vars).toEqual([]);
      expect(run(name, { output_mode: 'int' }, [null, 4]).outputShape).toEqual([null, 4]);
      expect(run(name, { output_mode: 'multi_hot', max_tokens: 20, pad_to_max_tokens: true }, [null, 4]).outputShape).toEqual([null, 20]);
      expect(run(name, { output_mode: 'multi_hot' }, [null, 4]).outputShape).toEqual([null, null]);
    });
  }

  it('TextVectorization: int with output_sequence_length 50 is (batch, 50); tf_idf padded to 1000', () => {
    expect(run('TextVectorization', { output_mode: 'int', output_sequence_length: 50 }, [null, 1]).outputShape).toEqual([null, 50]);
    expect(run('TextVectorization', { output_mode: 'int' }, [null]).outputShape).toEqual([null, null]);
    expect(run('TextVectorization', { output_mode: 'tf_idf', max_tokens: 1000, pad_to_max_tokens: true }, [null]).outputShape).toEqual([
      null,
      1000,
    ]);
    expect(run('TextVectorization', {}, [null]).vars).toEqual([]);
  });
});

describe('image augmentation by hand (no weights: the seed generator state is not a weight)', () => {
  const img = [null, 32, 30, 3];

  for (const name of ['RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomContrast', 'RandomBrightness', 'RandomTranslation']) {
    it(`${name} keeps the shape`, () => {
      const r = run(name, { seed: null }, img);
      expect(r.vars).toEqual([]);
      expect(r.outputShape).toEqual(img);
    });
  }

  it('RandomCrop sets height and width (channels_last and channels_first)', () => {
    expect(run('RandomCrop', { height: 24, width: 20 }, img).outputShape).toEqual([null, 24, 20, 3]);
    expect(run('RandomCrop', { height: 24, width: 20, data_format: 'channels_first' }, [null, 3, 32, 30]).outputShape).toEqual([
      null,
      3,
      24,
      20,
    ]);
    expect(run('RandomCrop', { height: 24, width: 20 }, img).vars).toEqual([]);
  });

  it('RandomHeight / RandomWidth make that axis unknown', () => {
    expect(run('RandomHeight', { factor: 0.2 }, img).outputShape).toEqual([null, null, 30, 3]);
    expect(run('RandomWidth', { factor: 0.2 }, img).outputShape).toEqual([null, 32, null, 3]);
    expect(run('RandomWidth', { factor: 0.2 }, img).vars).toEqual([]);
  });

  it('Resizing sets height and width: (32, 30) -> (16, 12) (TF.js symbolic shape [16, 12, 30] is a TF.js bug)', () => {
    const c = oracleLayer(tf.layers.resizing({ height: 16, width: 12 }), [32, 30, 3]);
    const r = run('Resizing', c.entry.config, ...c.inputShapes);
    expect(c.params).toBe(0);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual([null, 16, 12, 3]);
    expect(run('Resizing', { height: 16, width: 12, data_format: 'channels_first' }, [null, 3, 32, 30]).outputShape).toEqual([
      null,
      3,
      16,
      12,
    ]);
  });

  it('RandomWidth from TF.js: no weights as TF.js says (its symbolic output shape [null, -1, 8] is a TF.js bug)', () => {
    const c = oracleLayer(tf.layers.randomWidth({ factor: 0.2 }), [8, 8, 3]);
    const r = run('RandomWidth', c.entry.config, ...c.inputShapes);
    expect(c.params).toBe(0);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual([null, 8, null, 3]);
  });
});
