// LocallyConnected1D/2D (tf.keras 2, Keras 1/2). TF.js does not implement them: hand arithmetic throughout.
// Output length = conv arithmetic; implementation 3 counts connected (input, output) position pairs the way
// Keras' conv_connected_inputs does: a window of k starting at o·stride (−⌊k/2⌋ for "same"), clipped to the input.
import { describe, expect, it } from 'vitest';
import type { Shape } from '../../../src/model/types.js';
import { described, run } from './expect-tfjs.js';

const size = (s: Shape) => s.reduce<number>((n, d) => n * (d as number), 1);
const total = (vars: { shape: Shape }[] | null) => (vars ?? []).reduce((n, x) => n + size(x.shape), 0);

describe('LocallyConnected1D', () => {
  const base = { filters: 4, kernel_size: [3], strides: [1], padding: 'valid', data_format: 'channels_last', use_bias: true };

  it('implementation 1: length 10, k 3 → 8; kernel (8, 3·3, 4) + bias (8, 4) = 288 + 32', () => {
    const r = run('LocallyConnected1D', { ...base, implementation: 1 }, [null, 10, 3]);
    expect(described(r)).toEqual([
      ['kernel', [8, 9, 4], true],
      ['bias', [8, 4], true],
    ]);
    expect(total(r.vars)).toBe(320);
    expect(r.outputShape).toEqual([null, 8, 4]);
  });

  it('implementation 2 channels_last: kernel (10, 3, 8, 4) = 960, dense by design', () => {
    const r = run('LocallyConnected1D', { ...base, implementation: 2 }, [null, 10, 3]);
    expect(r.vars?.map((x) => x.shape)).toEqual([
      [10, 3, 8, 4],
      [8, 4],
    ]);
  });

  it('implementation 2 channels_first: kernel (in 3, length 10, filters 4, out 8)', () => {
    const r = run('LocallyConnected1D', { ...base, implementation: 2, data_format: 'channels_first' }, [null, 3, 10]);
    expect(r.vars?.map((x) => x.shape)).toEqual([
      [3, 10, 4, 8],
      [8, 4],
    ]);
    expect(r.outputShape).toEqual([null, 4, 8]);
  });

  it('implementation 3 valid: 8 positions × 3 taps × 3 in × 4 filters = 288 (as implementation 1)', () => {
    const r = run('LocallyConnected1D', { ...base, implementation: 3 }, [null, 10, 3]);
    expect(r.vars?.map((x) => x.shape)).toEqual([[288], [8, 4]]);
  });

  it('implementation 3 same, strides 2 on length 5 (k 3): windows [0,2) [1,4) [3,5) = 2+3+2 = 7 pairs; 7·2·3 = 42', () => {
    const r = run('LocallyConnected1D', { ...base, filters: 3, strides: [2], padding: 'same', implementation: 3 }, [null, 5, 2]);
    expect(r.vars?.map((x) => x.shape)).toEqual([[42], [3, 3]]);
    expect(r.outputShape).toEqual([null, 3, 3]);
  });

  it('use_bias false leaves the kernel only', () => {
    expect(run('LocallyConnected1D', { ...base, use_bias: false }, [null, 10, 3]).vars?.map((x) => x.name)).toEqual(['kernel']);
  });

  it('Keras 1 arguments (nb_filter, filter_length, subsample_length, border_mode): as implementation 1', () => {
    const r = run('LocallyConnected1D', { nb_filter: 4, filter_length: 3, subsample_length: 2, border_mode: 'valid', bias: true }, [
      null,
      11,
      3,
    ]);
    // (11 - 3 + 1) / 2 rounded up = 5 positions: kernel (5, 9, 4), bias (5, 4)
    expect(r.vars?.map((x) => x.shape)).toEqual([
      [5, 9, 4],
      [5, 4],
    ]);
    expect(r.outputShape).toEqual([null, 5, 4]);
  });
});

describe('LocallyConnected2D', () => {
  const base = { filters: 3, kernel_size: [3, 2], strides: [1, 1], padding: 'valid', use_bias: true };

  it('implementation 1: 6×5 input, k 3×2 → 4×4; kernel (16, 3·2·2, 3) + bias (4, 4, 3) = 576 + 48', () => {
    const r = run('LocallyConnected2D', { ...base, implementation: 1 }, [null, 6, 5, 2]);
    expect(described(r)).toEqual([
      ['kernel', [16, 12, 3], true],
      ['bias', [4, 4, 3], true],
    ]);
    expect(total(r.vars)).toBe(624);
    expect(r.outputShape).toEqual([null, 4, 4, 3]);
  });

  it('implementation 2 channels_last: kernel (6, 5, 2, 4, 4, 3) = 2880', () => {
    const r = run('LocallyConnected2D', { ...base, implementation: 2 }, [null, 6, 5, 2]);
    expect(r.vars?.map((x) => x.shape)).toEqual([
      [6, 5, 2, 4, 4, 3],
      [4, 4, 3],
    ]);
    expect(total(r.vars)).toBe(2880 + 48);
  });

  it('implementation 2 channels_first: kernel (2, 6, 5, 3, 4, 4)', () => {
    const r = run('LocallyConnected2D', { ...base, implementation: 2, data_format: 'channels_first' }, [null, 2, 6, 5]);
    expect(r.vars?.map((x) => x.shape)).toEqual([
      [2, 6, 5, 3, 4, 4],
      [4, 4, 3],
    ]);
    expect(r.outputShape).toEqual([null, 3, 4, 4]);
  });

  it('implementation 3 same strides 2 on 5×4 (k 3×3): rows 2+3+2 = 7, cols [0,2) [1,4) = 5; 35 pairs × 1 in × 2 filters', () => {
    const r = run('LocallyConnected2D', { ...base, filters: 2, kernel_size: [3, 3], strides: [2, 2], padding: 'same', implementation: 3 }, [
      null,
      5,
      4,
      1,
    ]);
    expect(r.vars?.map((x) => x.shape)).toEqual([[70], [3, 2, 2]]);
    expect(r.outputShape).toEqual([null, 3, 2, 2]);
  });

  it('Keras 1 arguments with dim_ordering th: channels first, W (16, 12, 3), b (4, 4, 3)', () => {
    const r = run(
      'LocallyConnected2D',
      { nb_filter: 3, nb_row: 3, nb_col: 2, subsample: [1, 1], border_mode: 'valid', dim_ordering: 'th' },
      [null, 2, 6, 5],
    );
    expect(r.vars?.map((x) => x.shape)).toEqual([
      [16, 12, 3],
      [4, 4, 3],
    ]);
    expect(r.outputShape).toEqual([null, 3, 4, 4]);
  });

  it('an unknown spatial size leaves a note', () => {
    const r = run('LocallyConnected2D', { ...base, implementation: 3 }, [null, null, 5, 2]);
    expect(r.vars).toBeNull();
    expect(r.note).toMatch(/must be known/);
  });
});
