import { describe, expect, it } from 'vitest';
import { oracleLayer, tf } from '../../helpers/oracle.js';
import { expectLikeTfjs, run } from './expect-tfjs.js';

type Case = [string, () => tf.layers.Layer, number[][]];

const tfjsCases: Case[] = [
  [
    'Add',
    () => tf.layers.add(),
    [
      [4, 5],
      [4, 5],
    ],
  ],
  ['Add three inputs', () => tf.layers.add(), [[3], [3], [3]]],
  [
    'Add broadcast 1',
    () => tf.layers.add(),
    [
      [4, 1],
      [4, 5],
    ],
  ],
  ['Average', () => tf.layers.average(), [[6], [6]]],
  [
    'Maximum',
    () => tf.layers.maximum(),
    [
      [2, 3],
      [2, 3],
    ],
  ],
  [
    'Minimum',
    () => tf.layers.minimum(),
    [
      [2, 3],
      [2, 3],
    ],
  ],
  [
    'Multiply',
    () => tf.layers.multiply(),
    [
      [5, 1, 3],
      [5, 4, 3],
    ],
  ],
  [
    'Concatenate last axis',
    () => tf.layers.concatenate(),
    [
      [4, 5],
      [4, 7],
    ],
  ],
  [
    'Concatenate axis 1',
    () => tf.layers.concatenate({ axis: 1 }),
    [
      [4, 5],
      [2, 5],
      [3, 5],
    ],
  ],
  ['Dot axes 1', () => tf.layers.dot({ axes: 1 }), [[8], [8]]],
  [
    'Dot axes [2, 2] normalize',
    () => tf.layers.dot({ axes: [2, 2], normalize: true }),
    [
      [3, 8],
      [5, 8],
    ],
  ],
  [
    'Dot axes [1, 2]',
    () => tf.layers.dot({ axes: [1, 2] }),
    [
      [4, 6],
      [6, 4],
    ],
  ],
];

describe('merge family against TF.js', () => {
  it.each(tfjsCases)('%s', (_name, make, shapes) => expectLikeTfjs(oracleLayer(make(), ...shapes)));
});

describe('merge family by hand', () => {
  it('Subtract: no weights, output = broadcast of (4, 1) and (4, 5) = (4, 5)', () => {
    const r = run('Subtract', {}, [null, 4, 1], [null, 4, 5]);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual([null, 4, 5]);
  });

  it('elementwise merges broadcast inputs of different rank and keep unknown axes null', () => {
    expect(run('Add', {}, [null, 3, 4], [null, 4]).outputShape).toEqual([null, 3, 4]);
    expect(run('Multiply', {}, [null, null, 4], [null, 5, 4]).outputShape).toEqual([null, null, 4]);
  });

  it('Concatenate with an unknown axis size gives null on that axis', () => {
    expect(run('Concatenate', { axis: -1 }, [null, 4, null], [null, 4, 3]).outputShape).toEqual([null, 4, null]);
  });

  it('an unknown input leaves the output unknown', () => {
    expect(run('Add', {}, [null, 4], null).outputShape).toBeNull();
  });
});
