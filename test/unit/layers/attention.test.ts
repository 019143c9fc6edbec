// TF.js has no attention layers: every case is hand arithmetic from the Keras einsum projections.
import { describe, expect, it } from 'vitest';
import type { Shape } from '../../../src/model/types.js';
import { described, run } from './expect-tfjs.js';

const size = (s: Shape) => s.reduce<number>((n, d) => n * (d as number), 1);
const total = (vars: { shape: Shape }[] | null) => (vars ?? []).reduce((n, x) => n + size(x.shape), 0);

describe('MultiHeadAttention', () => {
  it('self-attention heads 2, key_dim 4 on dim 16: 3 × (16·2·4 + 2·4) + (2·4·16 + 16) = 3·136 + 144 = 552', () => {
    const r = run(
      'MultiHeadAttention',
      { num_heads: 2, key_dim: 4, value_dim: null, output_shape: null, use_bias: true },
      [null, 10, 16],
      [null, 10, 16],
    );
    expect(described(r)).toEqual([
      ['query/kernel', [16, 2, 4], true],
      ['query/bias', [2, 4], true],
      ['key/kernel', [16, 2, 4], true],
      ['key/bias', [2, 4], true],
      ['value/kernel', [16, 2, 4], true],
      ['value/bias', [2, 4], true],
      ['attention_output/kernel', [2, 4, 16], true],
      ['attention_output/bias', [16], true],
    ]);
    expect(total(r.vars)).toBe(552);
    expect(r.outputShape).toEqual([null, 10, 16]);
  });

  it('cross-attention with key, value_dim 3, output_shape 5: query dim 6, value dim 7, key dim 8, heads 3, key_dim 2', () => {
    const r = run(
      'MultiHeadAttention',
      { num_heads: 3, key_dim: 2, value_dim: 3, output_shape: 5 },
      [null, 4, 6],
      [null, 9, 7],
      [null, 9, 8],
    );
    expect(r.vars?.map((x) => [x.name, x.shape])).toEqual([
      ['query/kernel', [6, 3, 2]],
      ['query/bias', [3, 2]],
      ['key/kernel', [8, 3, 2]],
      ['key/bias', [3, 2]],
      ['value/kernel', [7, 3, 3]],
      ['value/bias', [3, 3]],
      ['attention_output/kernel', [3, 3, 5]],
      ['attention_output/bias', [5]],
    ]);
    // 36+6 + 48+6 + 63+9 + 45+5 = 218
    expect(total(r.vars)).toBe(218);
    expect(r.outputShape).toEqual([null, 4, 5]);
  });

  it('use_bias false and a tuple output_shape [2, 3]: output kernel (heads, value_dim, 2, 3)', () => {
    const r = run('MultiHeadAttention', { num_heads: 2, key_dim: 4, use_bias: false, output_shape: [2, 3] }, [null, 5, 8], [null, 5, 8]);
    expect(r.vars?.map((x) => [x.name, x.shape])).toEqual([
      ['query/kernel', [8, 2, 4]],
      ['key/kernel', [8, 2, 4]],
      ['value/kernel', [8, 2, 4]],
      ['attention_output/kernel', [2, 4, 2, 3]],
    ]);
    expect(r.outputShape).toEqual([null, 5, 2, 3]);
  });

  it('one input shape (query only) is used as value and key; rank-4 query keeps its axes', () => {
    const r = run('MultiHeadAttention', { num_heads: 1, key_dim: 2 }, [null, 3, 4, 6]);
    // query/key/value: (6, 1, 2) + (1, 2); output: (1, 2, 6) + (6) → 3·14 + 18 = 60
    expect(total(r.vars)).toBe(60);
    expect(r.outputShape).toEqual([null, 3, 4, 6]);
  });
});

describe('GroupedQueryAttention (Keras 3)', () => {
  it('head_dim 4, 8 query heads, 2 key/value heads on dim 32', () => {
    const r = run(
      'GroupedQueryAttention',
      { head_dim: 4, num_query_heads: 8, num_key_value_heads: 2, use_bias: true },
      [null, 10, 32],
      [null, 12, 32],
    );
    expect(described(r)).toEqual([
      ['query/kernel', [32, 8, 4], true],
      ['query/bias', [8, 4], true],
      ['key/kernel', [32, 2, 4], true],
      ['key/bias', [2, 4], true],
      ['value/kernel', [32, 2, 4], true],
      ['value/bias', [2, 4], true],
      ['attention_output/kernel', [8, 4, 32], true],
      ['attention_output/bias', [32], true],
    ]);
    // 1024+32 + 256+8 + 256+8 + 1024+32 = 2640
    expect(total(r.vars)).toBe(2640);
    expect(r.outputShape).toEqual([null, 10, 32]);
  });

  it('use_bias false: kernels only', () => {
    const r = run(
      'GroupedQueryAttention',
      { head_dim: 2, num_query_heads: 4, num_key_value_heads: 1, use_bias: false },
      [null, 3, 6],
      [null, 3, 6],
    );
    expect(r.vars?.map((x) => x.shape)).toEqual([
      [6, 4, 2],
      [6, 1, 2],
      [6, 1, 2],
      [4, 2, 6],
    ]);
  });
});

describe('Attention and AdditiveAttention', () => {
  it.each([
    ['dot, no scale', { use_scale: false, score_mode: 'dot' }, []],
    ['dot, use_scale', { use_scale: true, score_mode: 'dot' }, [['scale', [], true]]],
    ['concat, no scale', { use_scale: false, score_mode: 'concat' }, [['concat_score_weight', [], true]]],
    [
      'concat, use_scale',
      { use_scale: true, score_mode: 'concat' },
      [
        ['scale', [], true],
        ['concat_score_weight', [], true],
      ],
    ],
  ] as const)('Attention %s', (_name, cfg, vars) => {
    const r = run('Attention', { ...cfg }, [null, 4, 8], [null, 6, 5]);
    expect(described(r)).toEqual(vars);
    // (batch, Tq, value dim)
    expect(r.outputShape).toEqual([null, 4, 5]);
  });

  it('AdditiveAttention use_scale (default true): scale (query dim 8); [query, value, key] inputs', () => {
    const r = run('AdditiveAttention', {}, [null, 4, 8], [null, 6, 8], [null, 6, 8]);
    expect(described(r)).toEqual([['scale', [8], true]]);
    expect(r.outputShape).toEqual([null, 4, 8]);
    expect(run('AdditiveAttention', { use_scale: false }, [null, 4, 8], [null, 6, 8]).vars).toEqual([]);
  });
});
