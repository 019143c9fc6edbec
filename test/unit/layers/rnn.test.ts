import h5wasm from 'h5wasm/node';
import { describe, expect, it } from 'vitest';
import { applyLayer } from '../../../src/layers/index.js';
import type { LayerEntry } from '../../../src/layers/registry.js';
import type { Shape } from '../../../src/model/types.js';
import { type OracleCase, oracleLayer, tf } from '../../helpers/oracle.js';
import { realModelFiles, realModels } from '../../helpers/real-models.js';
import { described, expectLikeTfjs, run } from './expect-tfjs.js';

type Case = [string, () => tf.layers.Layer, number[]];
const size = (s: Shape) => s.reduce<number>((n, d) => n * (d as number), 1);

// SimpleRNN, LSTM, GRU (TF.js' GRU has no reset_after: bias (3u)), RNN over SimpleRNNCell / LSTMCell / GRUCell
// and over a list of cells (TF.js serializes it as StackedRNNCells), ConvLSTM2D, TimeDistributed.
const tfjsCases: Case[] = [
  ['SimpleRNN', () => tf.layers.simpleRNN({ units: 4 }), [5, 3]],
  ['SimpleRNN return_sequences no bias', () => tf.layers.simpleRNN({ units: 2, returnSequences: true, useBias: false }), [7, 6]],
  ['SimpleRNN return_state', () => tf.layers.simpleRNN({ units: 3, returnState: true }), [4, 2]],
  ['LSTM', () => tf.layers.lstm({ units: 3 }), [6, 2]],
  ['LSTM return_sequences + return_state', () => tf.layers.lstm({ units: 5, returnSequences: true, returnState: true }), [4, 7]],
  ['LSTM no bias', () => tf.layers.lstm({ units: 2, useBias: false }), [3, 9]],
  ['GRU', () => tf.layers.gru({ units: 5 }), [4, 3]],
  ['GRU return_state', () => tf.layers.gru({ units: 2, returnState: true, returnSequences: true }), [8, 4]],
  ['GRU no bias', () => tf.layers.gru({ units: 3, useBias: false }), [5, 5]],
  ['RNN(SimpleRNNCell)', () => tf.layers.rnn({ cell: tf.layers.simpleRNNCell({ units: 3 }), returnSequences: true }), [5, 4]],
  ['RNN(LSTMCell) return_state', () => tf.layers.rnn({ cell: tf.layers.lstmCell({ units: 4 }), returnState: true }), [6, 3]],
  ['RNN(GRUCell)', () => tf.layers.rnn({ cell: tf.layers.gruCell({ units: 2 }) }), [5, 6]],
  [
    'RNN([LSTMCell, GRUCell]) = StackedRNNCells, return_state',
    () => tf.layers.rnn({ cell: [tf.layers.lstmCell({ units: 3 }), tf.layers.gruCell({ units: 2 })], returnState: true }),
    [5, 4],
  ],
  [
    'RNN([LSTMCell, SimpleRNNCell, GRUCell]) = StackedRNNCells, sequences + states',
    () =>
      tf.layers.rnn({
        cell: [tf.layers.lstmCell({ units: 3 }), tf.layers.simpleRNNCell({ units: 2 }), tf.layers.gruCell({ units: 4 })],
        returnState: true,
        returnSequences: true,
      }),
    [5, 4],
  ],
  ['ConvLSTM2D', () => tf.layers.convLstm2d({ filters: 3, kernelSize: 2 }), [5, 6, 6, 2]],
  ['ConvLSTM2D return_state', () => tf.layers.convLstm2d({ filters: 3, kernelSize: 2, returnState: true }), [5, 6, 6, 2]],
  [
    'ConvLSTM2D same strides 2 return_sequences',
    () => tf.layers.convLstm2d({ filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same', returnSequences: true }),
    [4, 9, 7, 3],
  ],
  [
    'ConvLSTM2D channels_first no bias',
    () =>
      tf.layers.convLstm2d({
        filters: 3,
        kernelSize: [2, 3],
        strides: 2,
        padding: 'same',
        returnSequences: true,
        dataFormat: 'channelsFirst',
        useBias: false,
      }),
    [5, 2, 7, 6],
  ],
  ['ConvLSTM2D dilation 2', () => tf.layers.convLstm2d({ filters: 2, kernelSize: 3, dilationRate: 2 }), [3, 9, 10, 1]],
  ['TimeDistributed(Dense)', () => tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3 }) }), [5, 4]],
  ['TimeDistributed(Conv2D)', () => tf.layers.timeDistributed({ layer: tf.layers.conv2d({ filters: 3, kernelSize: 2 }) }), [4, 6, 6, 2]],
  ['TimeDistributed(LSTM)', () => tf.layers.timeDistributed({ layer: tf.layers.lstm({ units: 2 }) }), [3, 5, 4]],
];

/**
 * Bidirectional: TF.js names the variables `…/forward_<layer>/kernel`; the table names them `forward/kernel`.
 * Compares names, shapes, trainable flags, counts and output shape(s).
 */
function expectBidirectionalLikeTfjs(c: OracleCase): void {
  const r = applyLayer(c.entry, c.inputShapes);
  expect(r.note).toBeNull();
  const vars = r.vars ?? [];
  const tfjsNames = c.weights.map((w) => {
    const [dir, name] = w.name.split('/').slice(-2);
    return `${dir?.split('_')[0]}/${name}`;
  });
  expect(vars.map((x) => x.name)).toEqual(tfjsNames);
  expect(vars.map((x) => x.shape)).toEqual(c.weights.map((w) => w.shape));
  expect(vars.map((x) => x.trainable)).toEqual(c.weights.map((w) => w.trainable));
  expect(vars.reduce((n, x) => n + size(x.shape), 0)).toBe(c.params);
  expect(r.outputShape).toEqual(c.outputShape);
}

const bidiCases: Case[] = [
  [
    'Bidirectional(LSTM) concat',
    () => tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3 }) as tf.RNN, mergeMode: 'concat' }),
    [5, 4],
  ],
  [
    'Bidirectional(LSTM) concat sequences',
    () => tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3, returnSequences: true }) as tf.RNN }),
    [5, 4],
  ],
  ['Bidirectional(GRU) sum', () => tf.layers.bidirectional({ layer: tf.layers.gru({ units: 4 }) as tf.RNN, mergeMode: 'sum' }), [6, 2]],
  [
    'Bidirectional(SimpleRNN) mul',
    () => tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: 2 }) as tf.RNN, mergeMode: 'mul' }),
    [3, 5],
  ],
  [
    'Bidirectional(SimpleRNN) ave',
    () => tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: 3 }) as tf.RNN, mergeMode: 'ave' }),
    [5, 4],
  ],
  [
    'Bidirectional(GRU) merge_mode None',
    () =>
      tf.layers.bidirectional({
        layer: tf.layers.gru({ units: 3, returnSequences: true }) as tf.RNN,
        mergeMode: null as unknown as 'concat',
      }),
    [5, 4],
  ],
  [
    'Bidirectional(LSTM) concat return_state',
    () => tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3, returnState: true }) as tf.RNN, mergeMode: 'concat' }),
    [5, 4],
  ],
  [
    'Bidirectional(LSTM) None return_state sequences',
    () =>
      tf.layers.bidirectional({
        layer: tf.layers.lstm({ units: 3, returnState: true, returnSequences: true }) as tf.RNN,
        mergeMode: null as unknown as 'concat',
      }),
    [5, 4],
  ],
];

describe('rnn family against TF.js', () => {
  it.each(tfjsCases)('%s', (_name, make, shape) => {
    expectLikeTfjs(oracleLayer(make(), shape));
  });
  it.each(bidiCases)('%s', (_name, make, shape) => {
    expectBidirectionalLikeTfjs(oracleLayer(make(), shape));
  });
});

describe('rnn family by hand', () => {
  it('GRU reset_after=true (Keras 3 / tf.keras 2 default): kernel (3, 12) + recurrent_kernel (4, 12) + bias (2, 12) = 108', () => {
    const r = run('GRU', { units: 4, reset_after: true }, [null, 10, 3]);
    expect(described(r)).toEqual([
      ['kernel', [3, 12], true],
      ['recurrent_kernel', [4, 12], true],
      ['bias', [2, 12], true],
    ]);
    expect(3 * 12 + 4 * 12 + 2 * 12).toBe(108);
    expect(r.outputShape).toEqual([null, 4]);
  });

  it('GRUCell reset_after=true inside RNN (Keras 3 entry with module): bias (2, 6) for units 2 on 5 features', () => {
    const cell = { module: 'keras.layers', class_name: 'GRUCell', config: { units: 2, reset_after: true }, registered_name: null };
    const r = run('RNN', { cell, return_sequences: true }, [null, 7, 5]);
    // kernel (5, 6) + recurrent_kernel (2, 6) + bias (2, 6) = 30 + 12 + 12 = 54
    expect(described(r)).toEqual([
      ['kernel', [5, 6], true],
      ['recurrent_kernel', [2, 6], true],
      ['bias', [2, 6], true],
    ]);
    expect(r.outputShape).toEqual([null, 7, 2]);
  });

  it('RNN with a Keras StackedRNNCells entry orders the states first cell first (Keras), unlike TF.js', () => {
    const cell = {
      class_name: 'StackedRNNCells',
      config: {
        cells: [
          { class_name: 'LSTMCell', config: { units: 3 } },
          { class_name: 'SimpleRNNCell', config: { units: 2, use_bias: false } },
        ],
      },
    };
    const r = run('RNN', { cell, return_state: true }, [null, 5, 4]);
    // LSTMCell on 4: (4, 12), (3, 12), (12); SimpleRNNCell on 3 without bias: (3, 2), (2, 2)
    expect(described(r)).toEqual([
      ['kernel', [4, 12], true],
      ['recurrent_kernel', [3, 12], true],
      ['bias', [12], true],
      ['kernel', [3, 2], true],
      ['recurrent_kernel', [2, 2], true],
    ]);
    // output (last cell, 2), then LSTM h (3), c (3), then SimpleRNN h (2)
    expect(r.outputShape).toEqual([
      [null, 2],
      [null, 3],
      [null, 3],
      [null, 2],
    ]);
  });

  it('RNN with config.cell as a list of cells (old Keras 2) stacks them', () => {
    const cells = [
      { class_name: 'GRUCell', config: { units: 4 } },
      { class_name: 'GRUCell', config: { units: 1, reset_after: true } },
    ];
    const r = run('RNN', { cell: cells }, [null, 3, 2]);
    // GRU(4) on 2: (2, 12), (4, 12), (12); GRU(1, reset_after) on 4: (4, 3), (1, 3), (2, 3)
    expect(r.vars?.map((x) => x.shape)).toEqual([[2, 12], [4, 12], [12], [4, 3], [1, 3], [2, 3]]);
    expect(r.outputShape).toEqual([null, 1]);
  });

  it('StackedRNNCells on its own: cells applied on (batch, features)', () => {
    const r = run(
      'StackedRNNCells',
      {
        cells: [
          { class_name: 'SimpleRNNCell', config: { units: 5 } },
          { class_name: 'LSTMCell', config: { units: 2 } },
        ],
      },
      [null, 3],
    );
    // SimpleRNN(5) on 3: (3, 5), (5, 5), (5); LSTM(2) on 5: (5, 8), (2, 8), (8)
    expect(r.vars?.map((x) => x.shape)).toEqual([[3, 5], [5, 5], [5], [5, 8], [2, 8], [8]]);
    expect(r.outputShape).toEqual([null, 2]);
  });

  it.each([
    ['SimpleRNNCell', { units: 3 }, [[4, 3], [3, 3], [3]]],
    [
      'LSTMCell',
      { units: 2, use_bias: false },
      [
        [4, 8],
        [2, 8],
      ],
    ],
    ['GRUCell', { units: 3 }, [[4, 9], [3, 9], [9]]],
  ] as const)('%s on its own: weights on (batch, 4) and output (batch, units)', (cls, cfg, shapes) => {
    const r = run(cls, { ...cfg }, [null, 4]);
    expect(r.vars?.map((x) => x.shape)).toEqual(shapes);
    expect(r.outputShape).toEqual([null, cfg.units]);
  });

  it('an unknown cell class leaves the RNN unknown with a note', () => {
    const r = run('RNN', { cell: { class_name: 'MyCell', config: { units: 3 } } }, [null, 5, 4]);
    expect(r.vars).toBeNull();
    expect(r.note).toMatch(/MyCell/);
  });

  it('CuDNNLSTM: kernel (6, 4·5) + recurrent_kernel (5, 20) + bias (8·5) = 120 + 100 + 40 = 260', () => {
    const r = run('CuDNNLSTM', { units: 5, return_sequences: true }, [null, 9, 6]);
    expect(described(r)).toEqual([
      ['kernel', [6, 20], true],
      ['recurrent_kernel', [5, 20], true],
      ['bias', [40], true],
    ]);
    expect(r.vars?.reduce((n, x) => n + size(x.shape), 0)).toBe(260);
    expect(r.outputShape).toEqual([null, 9, 5]);
  });

  it('CuDNNGRU: kernel (3, 3·4) + recurrent_kernel (4, 12) + bias (6·4) = 36 + 48 + 24 = 108; states with return_state', () => {
    const r = run('CuDNNGRU', { units: 4, return_state: true }, [null, 9, 3]);
    expect(r.vars?.map((x) => x.shape)).toEqual([[3, 12], [4, 12], [24]]);
    expect(r.vars?.reduce((n, x) => n + size(x.shape), 0)).toBe(108);
    expect(r.outputShape).toEqual([
      [null, 4],
      [null, 4],
    ]);
  });

  it('ConvLSTM1D: kernel (3, 2, 4·5) + recurrent_kernel (3, 5, 20) + bias (20); length 10 valid k3 → 8', () => {
    const r = run('ConvLSTM1D', { filters: 5, kernel_size: [3], padding: 'valid', return_sequences: true }, [null, 6, 10, 2]);
    expect(described(r)).toEqual([
      ['kernel', [3, 2, 20], true],
      ['recurrent_kernel', [3, 5, 20], true],
      ['bias', [20], true],
    ]);
    expect(r.outputShape).toEqual([null, 6, 8, 5]);
  });

  it('ConvLSTM3D channels_first same strides 2 return_state: spatial 7, 6, 4 → 4, 3, 2', () => {
    const r = run(
      'ConvLSTM3D',
      {
        filters: 2,
        kernel_size: [3, 3, 3],
        strides: [2, 2, 2],
        padding: 'same',
        data_format: 'channels_first',
        return_state: true,
        use_bias: false,
      },
      [null, 4, 3, 7, 6, 4],
    );
    // same: ceil(7/2)=4, ceil(6/2)=3, ceil(4/2)=2; kernel (3, 3, 3, 3, 8), recurrent (3, 3, 3, 2, 8)
    expect(r.vars?.map((x) => x.shape)).toEqual([
      [3, 3, 3, 3, 8],
      [3, 3, 3, 2, 8],
    ]);
    expect(r.outputShape).toEqual([
      [null, 2, 4, 3, 2],
      [null, 2, 4, 3, 2],
      [null, 2, 4, 3, 2],
    ]);
  });

  it('Bidirectional with a different backward_layer (Keras 3) and merge_mode None + return_state', () => {
    const layer = { class_name: 'LSTM', config: { units: 3, return_sequences: true, return_state: true } };
    const backward = {
      class_name: 'LSTM',
      config: { units: 3, return_sequences: true, return_state: true, go_backwards: true, use_bias: false },
    };
    const r = run('Bidirectional', { layer, backward_layer: backward, merge_mode: null }, [null, 5, 2]);
    expect(described(r)).toEqual([
      ['forward/kernel', [2, 12], true],
      ['forward/recurrent_kernel', [3, 12], true],
      ['forward/bias', [12], true],
      ['backward/kernel', [2, 12], true],
      ['backward/recurrent_kernel', [3, 12], true],
    ]);
    expect(r.outputShape).toEqual([
      [null, 5, 3],
      [null, 5, 3],
      [null, 3],
      [null, 3],
      [null, 3],
      [null, 3],
    ]);
  });

  it('Bidirectional(GRU reset_after) concat: 2 × (kernel (4, 6) + recurrent (2, 6) + bias (2, 6)) = 2 × 48', () => {
    const r = run('Bidirectional', { layer: { class_name: 'GRU', config: { units: 2, reset_after: true } }, merge_mode: 'concat' }, [
      null,
      7,
      4,
    ]);
    expect(r.vars?.reduce((n, x) => n + size(x.shape), 0)).toBe(96);
    expect(r.outputShape).toEqual([null, 4]);
  });

  it('TimeDistributed(Bidirectional(LSTM)) nests wrappers', () => {
    const inner = { class_name: 'Bidirectional', config: { layer: { class_name: 'LSTM', config: { units: 2 } }, merge_mode: 'sum' } };
    const r = run('TimeDistributed', { layer: inner }, [null, 3, 5, 4]);
    // 2 × (4·8 + 2·8 + 8) = 2 × 56 = 112; per step (batch, 2) → (batch, 3, 2)
    expect(r.vars?.reduce((n, x) => n + size(x.shape), 0)).toBe(112);
    expect(r.outputShape).toEqual([null, 3, 2]);
  });

  it('time_major LSTM keeps time first', () => {
    const r = run('LSTM', { units: 3, time_major: true, return_sequences: true, return_state: true }, [7, null, 2]);
    expect(r.outputShape).toEqual([
      [7, null, 3],
      [null, 3],
      [null, 3],
    ]);
  });

  it('unknown input gives partly known weights (kernel in-axis null) and a note-free result', () => {
    const r = run('LSTM', { units: 3 }, null);
    expect(r.vars?.map((x) => x.shape)).toEqual([[null, 12], [3, 12], [12]]);
    expect(r.outputShape).toBeNull();
  });

  describe('Keras 1 recurrent layers (config with output_dim) keep Keras 1 weights', () => {
    it('LSTM stores 12 tensors W_i, U_i, b_i, W_c, U_c, b_c, W_f, U_f, b_f, W_o, U_o, b_o', () => {
      const r = run('LSTM', { output_dim: 4, consume_less: 'cpu', return_sequences: false, input_dim: 3 }, [null, 10, 3]);
      const triple = (g: string) => [
        [`W_${g}`, [3, 4], true],
        [`U_${g}`, [4, 4], true],
        [`b_${g}`, [4], true],
      ];
      expect(described(r)).toEqual(['i', 'c', 'f', 'o'].flatMap(triple));
      // same count as Keras 2: 4·(3·4 + 4·4 + 4) = 128 = 3·16 + 4·16 + 16
      expect(r.vars?.reduce((n, x) => n + size(x.shape), 0)).toBe(128);
      expect(r.outputShape).toEqual([null, 4]);
    });

    it('LSTM consume_less=gpu stores fused W (in, 4u), U (u, 4u), b (4u)', () => {
      const r = run('LSTM', { output_dim: 4, consume_less: 'gpu', return_sequences: true }, [null, 10, 3]);
      expect(described(r)).toEqual([
        ['W', [3, 16], true],
        ['U', [4, 16], true],
        ['b', [16], true],
      ]);
      expect(r.outputShape).toEqual([null, 10, 4]);
    });

    it('GRU stores W_z, U_z, b_z, W_r, U_r, b_r, W_h, U_h, b_h', () => {
      const r = run('GRU', { output_dim: 2 }, [null, 6, 5]);
      expect(r.vars?.map((x) => x.name)).toEqual(['W_z', 'U_z', 'b_z', 'W_r', 'U_r', 'b_r', 'W_h', 'U_h', 'b_h']);
      // 3·(5·2 + 2·2 + 2) = 48
      expect(r.vars?.reduce((n, x) => n + size(x.shape), 0)).toBe(48);
    });

    it('SimpleRNN stores W (in, u), U (u, u), b (u)', () => {
      const r = run('SimpleRNN', { output_dim: 3, return_sequences: true }, [null, 6, 5]);
      expect(described(r)).toEqual([
        ['W', [5, 3], true],
        ['U', [3, 3], true],
        ['b', [3], true],
      ]);
      expect(r.outputShape).toEqual([null, 6, 3]);
    });

    it('Keras 1 Bidirectional(LSTM) prefixes the Keras 1 per-gate weights', () => {
      const entry: LayerEntry = {
        class_name: 'Bidirectional',
        config: { layer: { class_name: 'LSTM', config: { output_dim: 2 } }, merge_mode: 'concat' },
      };
      const r = applyLayer(entry, [[null, 4, 3]]);
      expect(r.vars?.length).toBe(24);
      expect(r.vars?.[0]?.name).toBe('forward/W_i');
      expect(r.vars?.[12]?.name).toBe('backward/W_i');
      expect(r.outputShape).toEqual([null, 4]);
    });
  });
});

// A real Keras 2.2.5 file (frugally-deep's LSTM/Bidirectional test model): the table, run over the file's own
// config (first inbound node of each layer), must give TF.js' countParams per layer as recorded in EXPECTED.json.
const fdeep = realModelFiles('the rnn family on a real file', 'fdeep_lstm_bidirectional/lstm.h5');
const expected = fdeep && realModels('the rnn family on a real file');
describe.skipIf(!fdeep || !expected)('rnn family on a real file (fdeep_lstm_bidirectional, Keras 2.2.5)', () => {
  it('every LSTM and Bidirectional layer counts what TF.js counts', async () => {
    await h5wasm.ready;
    const model = expected!.find((m) => m.id === 'fdeep_lstm_bidirectional');
    if (!model) throw new Error('fdeep_lstm_bidirectional missing from EXPECTED.json');
    const file = new h5wasm.File(fdeep![0]!, 'r');
    const config = JSON.parse(file.attrs.model_config?.json_value as string) as {
      config: { layers: (LayerEntry & { inbound_nodes: [string, number, number][][] })[] };
    };
    file.close();
    const outputs = new Map<string, Shape[]>();
    let checked = 0;
    for (const layer of config.config.layers) {
      const name = layer.config.name as string;
      const ins = (layer.inbound_nodes[0] ?? []).map(([from, , tensor]) => outputs.get(from)?.[tensor] ?? null);
      const r = applyLayer(layer, ins);
      expect(r.note, name).toBeNull();
      const out = r.outputShape;
      outputs.set(name, out === null ? [] : Array.isArray(out[0]) ? (out as Shape[]) : [out as Shape]);
      const want = model.layers.find((l) => l.name === name);
      if (!want || layer.class_name === 'InputLayer') continue;
      expect(
        r.vars?.reduce((n, x) => n + size(x.shape), 0),
        name,
      ).toBe(want.params);
      checked++;
    }
    expect(checked).toBe(15); // 9 LSTM + 6 Bidirectional
  });
});
