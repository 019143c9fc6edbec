// tf.keras call kwargs in a Keras 2 config: TF-op layers keep their operands there, and MultiHeadAttention's
// `value` is written as a kwarg tensor. Shapes and counts by hand.
import { describe, expect, it } from 'vitest';
import { buildGraph, expectedCounts } from '../../../src/graph/index.js';

const layer = (class_name: string, name: string, config: Record<string, unknown>, inbound_nodes: unknown[]) => ({
  class_name,
  name,
  config: { name, trainable: true, dtype: 'float32', ...config },
  inbound_nodes,
});
const input = (name: string, shape: (number | null)[]) => layer('InputLayer', name, { batch_input_shape: shape }, []);
const model = (layers: unknown[], inputs: string[], outputs: string[]) => ({
  class_name: 'Functional',
  config: { name: 'm', layers, input_layers: inputs.map((n) => [n, 0, 0]), output_layers: outputs.map((n) => [n, 0, 0]) },
  keras_version: '2.11.0',
});

describe('Keras 2 call kwargs', () => {
  it('TF-op layers: x*2 + x with the operand in kwargs, then Dense(3) on the 8-wide result', () => {
    const g = buildGraph(
      model(
        [
          input('x', [null, 4]),
          layer('Dense', 'dense', { units: 8, use_bias: true }, [[['x', 0, 0, {}]]]),
          // tf.keras writes a TF-op layer's node as one bare reference with the call's kwargs.
          layer('TFOpLambda', 'tf.math.multiply', { function: 'math.multiply' }, [['dense', 0, 0, { y: 2.0, name: null }]]),
          layer('TFOpLambda', 'tf.__operators__.add', { function: '__operators__.add' }, [
            ['tf.math.multiply', 0, 0, { y: ['dense', 0, 0], name: null }],
          ]),
          layer('Dense', 'out', { units: 3, use_bias: true }, [[['tf.__operators__.add', 0, 0, {}]]]),
        ],
        ['x'],
        ['out'],
      ),
    );
    const rows = g.layers.map((n) => [n.name, JSON.stringify(n.outputShape), expectedCounts(n)?.params ?? null]);
    expect(rows).toEqual([
      ['x', '[null,4]', 0],
      ['dense', '[null,8]', 4 * 8 + 8],
      ['tf.math.multiply', '[null,8]', 0],
      ['tf.__operators__.add', '[null,8]', 0],
      ['out', '[null,3]', 8 * 3 + 3],
    ]);
  });

  it('MultiHeadAttention(num_heads=2, key_dim=4) with value as a kwarg and a mask that is not an input', () => {
    const g = buildGraph(
      model(
        [
          input('q', [null, 5, 16]),
          input('v', [null, 7, 12]),
          input('mask', [null, 5, 7]),
          layer('MultiHeadAttention', 'mha', { num_heads: 2, key_dim: 4, value_dim: null, use_bias: true, output_shape: null }, [
            [['q', 0, 0, { value: ['v', 0, 0], attention_mask: ['mask', 0, 0] }]],
          ]),
        ],
        ['q', 'v', 'mask'],
        ['mha'],
      ),
    );
    const mha = g.layers.find((n) => n.name === 'mha')!;
    // query kernel (16, 2, 4) + bias (2, 4) = 136; key and value kernels (12, 2, 4) + bias (2, 4) = 104 each;
    // output kernel (2, 4, 16) + bias (16,) = 144 → 488.
    expect(mha.vars!.map((v) => [v.name, v.shape])).toEqual([
      ['query/kernel', [16, 2, 4]],
      ['query/bias', [2, 4]],
      ['key/kernel', [12, 2, 4]],
      ['key/bias', [2, 4]],
      ['value/kernel', [12, 2, 4]],
      ['value/bias', [2, 4]],
      ['attention_output/kernel', [2, 4, 16]],
      ['attention_output/bias', [16]],
    ]);
    expect(expectedCounts(mha)!.params).toBe(488);
    expect(mha.outputShape).toEqual([null, 5, 16]);
  });
});
