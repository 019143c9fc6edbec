// The Keras 3 config dialect: `__keras_tensor__` inbound nodes (args and kwargs), dict-named outputs,
// a nested Functional model called as a layer, and `build_config` where the graph cannot give a shape.
import { describe, expect, it } from 'vitest';
import { buildGraph, expectedCounts } from '../../../src/graph/index.js';

const kt = (layer: string, shape: (number | null)[]) => ({
  class_name: '__keras_tensor__',
  config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] },
});
const dense = (name: string, units: number, inbound: unknown[]) => ({
  module: 'keras.layers',
  class_name: 'Dense',
  registered_name: null,
  config: {
    name,
    units,
    use_bias: true,
    trainable: true,
    dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' } },
  },
  inbound_nodes: inbound,
});
const input = (name: string, shape: (number | null)[]) => ({
  module: 'keras.layers',
  class_name: 'InputLayer',
  registered_name: null,
  config: { name, batch_shape: shape, dtype: 'float32', sparse: false },
  inbound_nodes: [],
});

describe('Keras 3 functional configs', () => {
  it('dict outputs, kwargs tensors and a nested Functional: counts by hand', () => {
    const inner = {
      module: 'keras',
      class_name: 'Functional',
      registered_name: 'Functional',
      config: {
        name: 'inner',
        trainable: true,
        layers: [input('inner_in', [null, 6]), dense('inner_d', 3, [{ args: [kt('inner_in', [null, 6])], kwargs: {} }])],
        input_layers: [['inner_in', 0, 0]],
        output_layers: [['inner_d', 0, 0]],
      },
      inbound_nodes: [{ args: [kt('a', [null, 6])], kwargs: {} }],
    };
    const config = {
      module: 'keras',
      class_name: 'Functional',
      registered_name: 'Functional',
      config: {
        name: 'outer',
        trainable: true,
        layers: [
          input('x', [null, 4]),
          dense('a', 6, [{ args: [kt('x', [null, 4])], kwargs: {} }]),
          inner,
          // A tensor passed by keyword still counts as an input of the call.
          dense('b', 2, [{ args: [], kwargs: { inputs: kt('inner', [null, 3]) } }]),
        ],
        input_layers: { x: ['x', 0, 0] },
        output_layers: { logits: ['b', 0, 0], features: ['inner', 0, 0] },
      },
    };
    const g = buildGraph(config);
    const rows = g.layers.map((n) => [n.name, JSON.stringify(n.outputShape), expectedCounts(n)?.params]);
    expect(rows).toEqual([
      ['x', '[null,4]', 0],
      ['a', '[null,6]', 4 * 6 + 6], // 30
      ['inner', '[null,3]', 6 * 3 + 3], // 21, its inner Dense on the caller's 6-wide input
      ['b', '[null,2]', 3 * 2 + 2], // 8
    ]);
    expect(g.layers[2]!.children.map((c) => c.name)).toEqual(['inner_in', 'inner_d']);
  });

  it('build_config gives the input shape when the graph cannot', () => {
    const config = {
      module: 'keras',
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          { module: 'keras.layers', class_name: 'Dense', config: { name: 'd', units: 5 }, build_config: { input_shape: [null, 7] } },
        ],
      },
    };
    const [d] = buildGraph(config).layers;
    expect(expectedCounts(d!)).toEqual({ params: 7 * 5 + 5, trainable: 40, nonTrainable: 0 });
  });
});

describe('unknown shapes say where they come from', () => {
  it('Dense layers after a custom layer name it in their note; their known axes stay checked', () => {
    const config = {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          { class_name: 'Dense', config: { name: 'd0', units: 4, batch_input_shape: [null, 3] } },
          { class_name: 'MyCustom', config: { name: 'custom' } },
          { class_name: 'Dense', config: { name: 'd1', units: 5 } },
          { class_name: 'Dense', config: { name: 'd2', units: 2 } },
        ],
      },
    };
    const [d0, custom, d1, d2] = buildGraph(config).layers;
    expect(expectedCounts(d0!)!.params).toBe(3 * 4 + 4);
    expect(custom!.vars).toBeNull();
    // d1's kernel is (?, 5): its width is unknown, its units are not.
    expect(d1!.vars!.map((v) => v.shape)).toEqual([[null, 5], [5]]);
    expect(d1!.note).toContain('depends on custom (MyCustom)');
    expect(d2!.note).toContain('depends on custom (MyCustom)');
  });
});
