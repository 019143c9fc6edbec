// Multiply-accumulate rules of the formula table (`macs` beside each family's weight and shape rules),
// checked against hand arithmetic written here: Keras 2/3 classes, their Keras 1 spellings (read through the
// Keras 1 argument mapping), wrappers and nested models. Shapes are written by hand too (batch axis first).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCardMarkdown } from '../../../src/card/markdown.js';
import { inspectModel } from '../../../src/node/inspect.js';
import { applyLayer, estimateMacs, FAMILIES, type MacNode as Node } from '../../../src/layers/index.js';
import type { Shape } from '../../../src/model/types.js';

function node(className: string, config: Record<string, unknown>, inputShapes: Shape[], outputShape: Shape | Shape[] | null): Node {
  return { className, config, inputShapes, outputShape, children: [] };
}
const macs = (n: Node) => estimateMacs(n).macs;

describe('core: Dense and Embedding', () => {
  it('Dense: positions·in·units', () => {
    // 128 → 10: 128·10 = 1280.
    expect(macs(node('Dense', { units: 10 }, [[null, 128]], [null, 10]))).toBe(1280);
    // (None, 5, 7, 12) → 3 units: 5·7 positions · 12 · 3 = 1260.
    expect(macs(node('Dense', { units: 3 }, [[null, 5, 7, 12]], [null, 5, 7, 3]))).toBe(1260);
  });

  it('Keras 1 Dense (output_dim): the same rule through the argument mapping', () => {
    // 128 → output_dim 10: 1280.
    const e = estimateMacs(
      node('Dense', { output_dim: 10, input_dim: 128, init: 'glorot_uniform', bias: true }, [[null, 128]], [null, 10]),
    );
    expect(e).toEqual({ macs: 1280, rule: 'positions·in·units = 1·128·10' });
  });

  it('Embedding is a lookup: 0', () => {
    expect(macs(node('Embedding', { input_dim: 50, output_dim: 8 }, [[null, 6]], [null, 6, 8]))).toBe(0);
  });

  it('an unknown feature axis is not guessed', () => {
    expect(estimateMacs(node('Dense', { units: 4 }, [[null, null]], [null, 4]))).toEqual({ macs: null, rule: 'a shape unknown' });
  });
});

describe('conv: out_h·out_w·k_h·k_w·(c_in/groups)·filters and the other kinds', () => {
  it('Conv2D, grouped and channels_first', () => {
    // 32×32×3 'valid' 3×3 → 30×30×16: 30·30·3·3·3·16 = 388800.
    expect(macs(node('Conv2D', { filters: 16, kernel_size: [3, 3] }, [[null, 32, 32, 3]], [null, 30, 30, 16]))).toBe(
      30 * 30 * 3 * 3 * 3 * 16,
    );
    // groups 4, 8 → 12 channels, 3×3 'same' on 6×6: 6·6·3·3·(8/4)·12 = 7776.
    expect(macs(node('Conv2D', { filters: 12, kernel_size: 3, groups: 4, padding: 'same' }, [[null, 6, 6, 8]], [null, 6, 6, 12]))).toBe(
      7776,
    );
    // channels_first (None, 3, 10, 10) → (None, 4, 8, 8): 8·8·3·3·3·4 = 6912.
    expect(
      macs(node('Conv2D', { filters: 4, kernel_size: [3, 3], data_format: 'channels_first' }, [[null, 3, 10, 10]], [null, 4, 8, 8])),
    ).toBe(6912);
  });

  it('Conv1D and Conv3D', () => {
    // 20 steps × 4 → kernel 5 'valid' → 16 × 6: 16·5·4·6 = 1920.
    expect(macs(node('Conv1D', { filters: 6, kernel_size: 5 }, [[null, 20, 4]], [null, 16, 6]))).toBe(1920);
    // 4×4×4×2 → 2×2×2 kernel 'valid' → 3×3×3×5: 27·8·2·5 = 2160.
    expect(macs(node('Conv3D', { filters: 5, kernel_size: 2 }, [[null, 4, 4, 4, 2]], [null, 3, 3, 3, 5]))).toBe(2160);
  });

  it('Keras 1 Convolution2D (nb_filter, nb_row, nb_col, dim_ordering)', () => {
    // 'tf': 32×32×3 → 30×30×16 with 3×3: 388800, as Conv2D.
    const tf = { nb_filter: 16, nb_row: 3, nb_col: 3, border_mode: 'valid', subsample: [1, 1], dim_ordering: 'tf' };
    expect(estimateMacs(node('Convolution2D', tf, [[null, 32, 32, 3]], [null, 30, 30, 16]))).toEqual({
      macs: 388800,
      rule: 'kernel·(in/groups)·filters·out_positions = 9·3·16·900',
    });
    // 'th' (channels first): (None, 3, 10, 10) → (None, 4, 8, 8): 8·8·3·3·3·4 = 6912.
    const th = { nb_filter: 4, nb_row: 3, nb_col: 3, border_mode: 'valid', dim_ordering: 'th' };
    expect(macs(node('Convolution2D', th, [[null, 3, 10, 10]], [null, 4, 8, 8]))).toBe(6912);
  });

  it('Keras 1 Convolution1D (filter_length) and AtrousConvolution2D (atrous_rate)', () => {
    // 20 × 4 → filter_length 3 'valid' → 18 × 8: 18·3·4·8 = 1728.
    expect(macs(node('Convolution1D', { nb_filter: 8, filter_length: 3, border_mode: 'valid' }, [[null, 20, 4]], [null, 18, 8]))).toBe(
      1728,
    );
    // 16×16×4, 3×3 at rate 2 (spans 5) 'valid' → 12×12×8: 144·9·4·8 = 41472.
    const atrous = { nb_filter: 8, nb_row: 3, nb_col: 3, atrous_rate: [2, 2], border_mode: 'valid', dim_ordering: 'tf' };
    expect(macs(node('AtrousConvolution2D', atrous, [[null, 16, 16, 4]], [null, 12, 12, 8]))).toBe(41472);
  });

  it('transposed: in_positions·kernel·in·filters (Keras 1 Deconvolution2D too)', () => {
    // 10×10×2 → 3×3 kernel, 4 filters: 100·9·2·4 = 7200.
    expect(macs(node('Conv2DTranspose', { filters: 4, kernel_size: 3 }, [[null, 10, 10, 2]], [null, 12, 12, 4]))).toBe(7200);
    const k1 = { nb_filter: 4, nb_row: 3, nb_col: 3, output_shape: [null, 12, 12, 4], border_mode: 'valid', dim_ordering: 'tf' };
    expect(macs(node('Deconvolution2D', k1, [[null, 10, 10, 2]], [null, 12, 12, 4]))).toBe(7200);
    // Conv1DTranspose: 7 steps × 3 → kernel 2, 5 filters: 7·2·3·5 = 210.
    expect(macs(node('Conv1DTranspose', { filters: 5, kernel_size: 2 }, [[null, 7, 3]], [null, 8, 5]))).toBe(210);
  });

  it('depthwise: out_positions·kernel·in·depth_multiplier', () => {
    // 5×5 kernel on 4 channels, multiplier 2, 2×2 out: 4·25·4·2 = 800.
    expect(macs(node('DepthwiseConv2D', { kernel_size: 5, depth_multiplier: 2 }, [[null, 6, 6, 4]], [null, 2, 2, 8]))).toBe(800);
    // DepthwiseConv1D: 10 × 3, kernel 3 'valid' → 8 × 3: 8·3·3 = 72.
    expect(macs(node('DepthwiseConv1D', { kernel_size: 3 }, [[null, 10, 3]], [null, 8, 3]))).toBe(72);
  });

  it('separable: depthwise plus 1×1 pointwise (Keras 1 SeparableConvolution2D too)', () => {
    // 3×3 on 8 channels to 16 filters, 10×10 out: 100·9·8 + 100·8·16 = 7200 + 12800 = 20000.
    expect(macs(node('SeparableConv2D', { filters: 16, kernel_size: [3, 3] }, [[null, 12, 12, 8]], [null, 10, 10, 16]))).toBe(20000);
    const k1 = { nb_filter: 16, nb_row: 3, nb_col: 3, depth_multiplier: 1, border_mode: 'valid', dim_ordering: 'tf' };
    expect(macs(node('SeparableConvolution2D', k1, [[null, 12, 12, 8]], [null, 10, 10, 16]))).toBe(20000);
    // SeparableConv1D, multiplier 2: 6 × 2 → kernel 3 → 4 × 3: 4·3·2·2 + 4·(2·2)·3 = 48 + 48 = 96.
    expect(macs(node('SeparableConv1D', { filters: 3, kernel_size: 3, depth_multiplier: 2 }, [[null, 6, 2]], [null, 4, 3]))).toBe(96);
  });
});

describe('rnn: steps·gates·(in·units + units·units)', () => {
  it('SimpleRNN, GRU, LSTM and the CuDNN layers', () => {
    // SimpleRNN: 4 steps × 3 features, 2 units: 4·1·(6 + 4) = 40.
    expect(macs(node('SimpleRNN', { units: 2 }, [[null, 4, 3]], [null, 2]))).toBe(40);
    // GRU: 5·3·(3·2 + 2·2) = 150. LSTM: 10·4·(6·64 + 64·64) = 179200.
    expect(macs(node('GRU', { units: 2 }, [[null, 5, 3]], [null, 2]))).toBe(150);
    expect(macs(node('LSTM', { units: 64 }, [[null, 10, 6]], [null, 64]))).toBe(179200);
    expect(macs(node('CuDNNLSTM', { units: 64 }, [[null, 10, 6]], [null, 64]))).toBe(179200);
    expect(macs(node('CuDNNGRU', { units: 2 }, [[null, 5, 3]], [null, 2]))).toBe(150);
  });

  it('Keras 1 LSTM and GRU (output_dim)', () => {
    expect(macs(node('LSTM', { output_dim: 64, consume_less: 'cpu', inner_init: 'orthogonal' }, [[null, 10, 6]], [null, 64]))).toBe(179200);
    expect(macs(node('GRU', { output_dim: 2, consume_less: 'gpu' }, [[null, 5, 3]], [null, 2]))).toBe(150);
  });

  it('an unknown number of steps is not guessed', () => {
    expect(estimateMacs(node('LSTM', { units: 4 }, [[null, null, 2]], [null, 4]))).toEqual({
      macs: null,
      rule: 'the number of time steps unknown',
    });
  });
});

describe('wrappers, attention, nested models', () => {
  it('Bidirectional doubles the wrapped layer (Keras 1 LSTM inside too)', () => {
    // LSTM(4) on 7 steps × 2: 2·7·4·(8 + 16) = 1344.
    expect(macs(node('Bidirectional', { layer: { class_name: 'LSTM', config: { units: 4 } } }, [[null, 7, 2]], [null, 8]))).toBe(1344);
    expect(macs(node('Bidirectional', { layer: { class_name: 'LSTM', config: { output_dim: 4 } } }, [[null, 7, 2]], [null, 8]))).toBe(1344);
    // A wrapped class without a rule: not estimated.
    expect(macs(node('Bidirectional', { layer: { class_name: 'Frobnicate', config: {} } }, [[null, 7, 2]], null))).toBeNull();
  });

  it('MultiHeadAttention: projections, scores, weighted sum, output', () => {
    // Self-attention, T 10, d 16, 2 heads of 8: 3·(10·16·2·8) + 2·10·10·8 + 2·10·10·8 + 10·2·8·16 = 13440.
    const self: Shape[] = [
      [null, 10, 16],
      [null, 10, 16],
    ];
    expect(macs(node('MultiHeadAttention', { num_heads: 2, key_dim: 8 }, self, [null, 10, 16]))).toBe(7680 + 1600 + 1600 + 2560);
  });

  it('a nested model is the sum of its layers; a class without a rule gives null', () => {
    const inner = [
      node('Dense', { units: 4 }, [[null, 3]], [null, 4]), // 12
      node('BatchNormalization', {}, [[null, 4]], [null, 4]), // no rule
      node('Dense', { units: 2 }, [[null, 4]], [null, 2]), // 8
    ];
    expect(estimateMacs({ ...node('Sequential', {}, [[null, 3]], [null, 2]), children: inner })).toEqual({
      macs: 20,
      rule: 'sum of its layers that have a rule',
    });
    expect(estimateMacs(inner[1]!)).toEqual({ macs: null, rule: 'no rule for BatchNormalization' });
  });

  it('shapes from the table itself: a Keras 1 Convolution2D then Dense, as the graph would infer them', () => {
    const conv = { class_name: 'Convolution2D', config: { nb_filter: 8, nb_row: 3, nb_col: 3, border_mode: 'same', dim_ordering: 'tf' } };
    const c = applyLayer(conv, [[null, 6, 6, 2]]);
    expect(c.outputShape).toEqual([null, 6, 6, 8]);
    // 'same' keeps 6×6: 36·9·2·8 = 5184.
    expect(macs(node(conv.class_name, conv.config, [[null, 6, 6, 2]], c.outputShape))).toBe(5184);
    const dense = { class_name: 'Dense', config: { output_dim: 5 } };
    const d = applyLayer(dense, [[null, 288]]);
    // 288 → 5: 1440.
    expect(macs(node(dense.class_name, dense.config, [[null, 288]], d.outputShape))).toBe(1440);
  });
});

describe('a Keras 1 model on the card', () => {
  it('a Keras 1.2 Sequential architecture (Convolution2D, Flatten, Dense with output_dim) gets its MACs', async () => {
    const layer = (class_name: string, config: Record<string, unknown>) => ({ class_name, config });
    const model = {
      class_name: 'Sequential',
      keras_version: '1.2.2',
      config: [
        layer('Convolution2D', {
          name: 'conv',
          nb_filter: 16,
          nb_row: 3,
          nb_col: 3,
          border_mode: 'valid',
          subsample: [1, 1],
          dim_ordering: 'tf',
          init: 'glorot_uniform',
          batch_input_shape: [null, 32, 32, 3],
        }),
        layer('Flatten', { name: 'flat' }),
        layer('Dense', { name: 'fc', output_dim: 10, init: 'glorot_uniform', bias: true }),
      ],
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-macs-'));
    try {
      const file = path.join(dir, 'keras1.json');
      fs.writeFileSync(file, JSON.stringify(model));
      const card = renderCardMarkdown(await inspectModel(file), { details: true });
      // conv: 30·30 positions · 3·3·3 · 16 = 388800; fc: 30·30·16 = 14400 inputs · 10 = 144000; total 532800.
      expect(card).toContain('| conv (Convolution2D) | 388,800 |');
      expect(card).toContain('| fc (Dense) | 144,000 | positions·in·units = 1·14400·10 |');
      expect(card).toContain('**≈ 532,800**');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the table is the one place for MAC rules', () => {
  it('the classes with a rule: the conv, dense, recurrent, attention and embedding entries and their Keras 1 spellings', () => {
    const withRule = Object.values(FAMILIES)
      .flat()
      .filter((d) => d.macs)
      .flatMap((d) => d.classNames)
      .sort();
    expect(withRule).toEqual(
      [
        ...['Conv1D', 'Conv2D', 'Conv3D', 'Convolution1D', 'Convolution2D', 'Convolution3D'],
        ...['Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose', 'Convolution1DTranspose', 'Convolution2DTranspose'],
        ...['Convolution3DTranspose', 'Deconvolution2D', 'Deconvolution3D'],
        ...['SeparableConv1D', 'SeparableConv2D', 'SeparableConvolution1D', 'SeparableConvolution2D', 'DepthwiseConv1D', 'DepthwiseConv2D'],
        ...['AtrousConvolution1D', 'AtrousConvolution2D'],
        ...['Dense', 'Embedding', 'SimpleRNN', 'LSTM', 'GRU', 'CuDNNLSTM', 'CuDNNGRU', 'Bidirectional', 'MultiHeadAttention'],
      ].sort(),
    );
  });
});
