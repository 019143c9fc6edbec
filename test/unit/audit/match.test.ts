// Pairing expected variables with stored tensors across writers. Expected lists come from the formula
// table's naming (`kernel`, `forward/kernel`, `<inner layer>/kernel`); stored names are as each writer
// stores them. Each case states the pairing a person would make.
import { describe, expect, it } from 'vitest';
import { matchVars } from '../../../src/audit/match.js';
import type { StoredTensor, VarSpec } from '../../../src/model/types.js';

const v = (name: string, shape: number[], trainable = true): VarSpec => ({ name, shape, trainable });
const t = (name: string, shape: number[]): StoredTensor => ({
  layerKey: 'x',
  name,
  shape,
  dtype: 'float32',
  bytes: 4 * shape.reduce((a, b) => a * b, 1),
});
const pairs = (exp: VarSpec[], st: StoredTensor[], own: string[]) =>
  matchVars(exp, st, new Set(own)).map((p) => [p.expected?.name ?? null, p.stored?.name ?? null]);

describe('matchVars', () => {
  it('tf.keras 2 names with :0 and a layer prefix, stored in another order', () => {
    expect(pairs([v('kernel', [3, 4]), v('bias', [4])], [t('dense_1/bias:0', [4]), t('dense_1/kernel:0', [3, 4])], ['dense_1'])).toEqual([
      ['kernel', 'dense_1/kernel:0'],
      ['bias', 'dense_1/bias:0'],
    ]);
  });

  it('a renamed layer whose weights keep the old name (group "output", weights "dense_3/…")', () => {
    expect(pairs([v('kernel', [8, 2]), v('bias', [2])], [t('dense_3/kernel:0', [8, 2]), t('dense_3/bias:0', [2])], ['output'])).toEqual([
      ['kernel', 'dense_3/kernel:0'],
      ['bias', 'dense_3/bias:0'],
    ]);
  });

  it('tf.keras 2 Bidirectional(LSTM): forward_lstm_4 / backward_lstm_4 scopes, cell token dropped', () => {
    const exp = ['forward', 'backward'].flatMap((d) => [
      v(`${d}/kernel`, [4, 16]),
      v(`${d}/recurrent_kernel`, [4, 16]),
      v(`${d}/bias`, [16]),
    ]);
    const st = ['backward_lstm_4', 'forward_lstm_4'].flatMap((d) => [
      t(`bidirectional_1/${d}/lstm_cell/kernel:0`, [4, 16]),
      t(`bidirectional_1/${d}/lstm_cell/recurrent_kernel:0`, [4, 16]),
      t(`bidirectional_1/${d}/lstm_cell/bias:0`, [16]),
    ]);
    const got = pairs(exp, st, ['bidirectional_1']);
    expect(got).toEqual([
      ['forward/kernel', 'bidirectional_1/forward_lstm_4/lstm_cell/kernel:0'],
      ['forward/recurrent_kernel', 'bidirectional_1/forward_lstm_4/lstm_cell/recurrent_kernel:0'],
      ['forward/bias', 'bidirectional_1/forward_lstm_4/lstm_cell/bias:0'],
      ['backward/kernel', 'bidirectional_1/backward_lstm_4/lstm_cell/kernel:0'],
      ['backward/recurrent_kernel', 'bidirectional_1/backward_lstm_4/lstm_cell/recurrent_kernel:0'],
      ['backward/bias', 'bidirectional_1/backward_lstm_4/lstm_cell/bias:0'],
    ]);
  });

  it('Keras 3 Bidirectional: numbered vars under forward_layer/backward_layer, HDF5 listing backward first', () => {
    // Forward and backward have different input widths here only to make a wrong pairing visible.
    const exp = [
      v('forward/kernel', [5, 12]),
      v('forward/recurrent_kernel', [3, 12]),
      v('forward/bias', [12]),
      v('backward/kernel', [5, 12]),
      v('backward/recurrent_kernel', [3, 12]),
      v('backward/bias', [12]),
    ];
    const st = [
      t('backward_layer/cell/vars/0', [5, 12]),
      t('backward_layer/cell/vars/1', [3, 12]),
      t('backward_layer/cell/vars/2', [12]),
      t('forward_layer/cell/vars/0', [5, 12]),
      t('forward_layer/cell/vars/1', [3, 12]),
      t('forward_layer/cell/vars/2', [12]),
    ];
    expect(pairs(exp, st, ['bidirectional'])).toEqual([
      ['forward/kernel', 'forward_layer/cell/vars/0'],
      ['forward/recurrent_kernel', 'forward_layer/cell/vars/1'],
      ['forward/bias', 'forward_layer/cell/vars/2'],
      ['backward/kernel', 'backward_layer/cell/vars/0'],
      ['backward/recurrent_kernel', 'backward_layer/cell/vars/1'],
      ['backward/bias', 'backward_layer/cell/vars/2'],
    ]);
  });

  it('Keras 3 MultiHeadAttention: sub-objects stored by attribute name (_key_dense … _value_dense, alphabetical)', () => {
    const exp = ['query', 'key', 'value']
      .flatMap((n) => [v(`${n}/kernel`, [16, 2, 4]), v(`${n}/bias`, [2, 4])])
      .concat([v('attention_output/kernel', [2, 4, 16]), v('attention_output/bias', [16])]);
    const st = ['_key_dense', '_output_dense', '_query_dense', '_value_dense'].flatMap((n) =>
      n === '_output_dense'
        ? [t(`${n}/vars/0`, [2, 4, 16]), t(`${n}/vars/1`, [16])]
        : [t(`${n}/vars/0`, [16, 2, 4]), t(`${n}/vars/1`, [2, 4])],
    );
    expect(pairs(exp, st, ['multi_head_attention'])).toEqual([
      ['query/kernel', '_query_dense/vars/0'],
      ['query/bias', '_query_dense/vars/1'],
      ['key/kernel', '_key_dense/vars/0'],
      ['key/bias', '_key_dense/vars/1'],
      ['value/kernel', '_value_dense/vars/0'],
      ['value/bias', '_value_dense/vars/1'],
      ['attention_output/kernel', '_output_dense/vars/0'],
      ['attention_output/bias', '_output_dense/vars/1'],
    ]);
  });

  it("SpectralNormalization: Keras 3 keeps vector_u as the wrapper's own vars/0 and the kernel under layer/", () => {
    const exp = [v('layer/kernel', [4, 8]), v('layer/bias', [8]), v('vector_u', [1, 8], false)];
    // Keras 3 (own variables first): vars/0 is vector_u.
    expect(pairs(exp, [t('vars/0', [1, 8]), t('layer/vars/0', [4, 8]), t('layer/vars/1', [8])], ['spectral_normalization'])).toEqual([
      ['layer/kernel', 'layer/vars/0'],
      ['layer/bias', 'layer/vars/1'],
      ['vector_u', 'vars/0'],
    ]);
    // tf.keras 2 HDF5: the wrapped Dense's weights under its own name, then vector_u.
    expect(
      pairs(
        exp,
        [t('dense/kernel:0', [4, 8]), t('dense/bias:0', [8]), t('spectral_normalization/vector_u:0', [1, 8])],
        ['spectral_normalization'],
      ),
    ).toEqual([
      ['layer/kernel', 'dense/kernel:0'],
      ['layer/bias', 'dense/bias:0'],
      ['vector_u', 'spectral_normalization/vector_u:0'],
    ]);
  });

  it('Keras 1 names <layer>_W, <layer>_b pair by name', () => {
    expect(pairs([v('W', [3, 4]), v('b', [4])], [t('dense_1_b', [4]), t('dense_1_W', [3, 4])], ['dense_1'])).toEqual([
      ['W', 'dense_1_W'],
      ['b', 'dense_1_b'],
    ]);
  });

  it('a nested model: inner layer names scope the weights', () => {
    const exp = [v('d1/kernel', [3, 6]), v('d1/bias', [6]), v('d2/kernel', [6, 2]), v('d2/bias', [2])];
    const st = [t('d2/kernel:0', [6, 2]), t('d2/bias:0', [2]), t('d1/kernel:0', [3, 6]), t('d1/bias:0', [6])];
    expect(pairs(exp, st, ['head'])).toEqual([
      ['d1/kernel', 'd1/kernel:0'],
      ['d1/bias', 'd1/bias:0'],
      ['d2/kernel', 'd2/kernel:0'],
      ['d2/bias', 'd2/bias:0'],
    ]);
  });

  it('Keras 3 numbered vars pair by position even when a shape is wrong (so the mismatch is reported)', () => {
    expect(pairs([v('kernel', [128, 32]), v('bias', [32])], [t('vars/0', [64, 32]), t('vars/1', [32])], ['dense'])).toEqual([
      ['kernel', 'vars/0'],
      ['bias', 'vars/1'],
    ]);
  });

  it('missing and extra tensors are left unpaired', () => {
    expect(pairs([v('kernel', [3, 4]), v('bias', [4])], [t('dense/kernel:0', [3, 4]), t('dense/extra:0', [7])], ['dense'])).toEqual([
      ['kernel', 'dense/kernel:0'],
      ['bias', null],
      [null, 'dense/extra:0'],
    ]);
    expect(pairs([v('kernel', [3, 4])], [t('dense/kernel:0', [3, 4]), t('dense/extra:0', [7])], ['dense'])).toEqual([
      ['kernel', 'dense/kernel:0'],
      [null, 'dense/extra:0'],
    ]);
  });
});
