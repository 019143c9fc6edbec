import { describe, expect, it } from 'vitest';
import { oracleLayer, tf } from '../../helpers/oracle.js';
import { described, expectLikeTfjs, run } from './expect-tfjs.js';

type Case = [string, () => tf.layers.Layer, number[]];

const tfjsCases: Case[] = [
  ['Activation', () => tf.layers.activation({ activation: 'relu' }), [4, 5]],
  ['ReLU', () => tf.layers.reLU({ maxValue: 6 }), [7]],
  ['LeakyReLU', () => tf.layers.leakyReLU({ alpha: 0.1 }), [3, 3]],
  ['ELU', () => tf.layers.elu(), [8]],
  ['Softmax', () => tf.layers.softmax({ axis: 1 }), [4, 6]],
  ['ThresholdedReLU', () => tf.layers.thresholdedReLU({ theta: 0.5 }), [9]],
  ['PReLU full', () => tf.layers.prelu(), [8, 8, 3]],
  ['PReLU shared [1, 2]', () => tf.layers.prelu({ sharedAxes: [1, 2] }), [8, 8, 3]],
  ['PReLU shared 1', () => tf.layers.prelu({ sharedAxes: 1 }), [10, 4]],
];

describe('activation family against TF.js', () => {
  it.each(tfjsCases)('%s', (_name, make, shape) => expectLikeTfjs(oracleLayer(make(), shape)));
});

describe('activation family by hand', () => {
  it('PReLU on (batch, 5, 6, 7) sharing axis 3: alpha (5, 6, 1) = 30 parameters', () => {
    expect(described(run('PReLU', { shared_axes: [3] }, [null, 5, 6, 7]))).toEqual([['alpha', [5, 6, 1], true]]);
  });

  it('PReLU with an unknown input cannot know the rank of alpha', () => {
    const r = run('PReLU', {}, null);
    expect(r.vars).toBeNull();
    expect(r.note).toMatch(/unknown/);
  });
});
