// The graph keeps its edges: each layer node lists, per call, the layers whose outputs it takes. Checked
// against TF.js's own inbound nodes for the same model, and for Sequential models against the layer order.
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/graph/index.js';
import { tf } from '../../helpers/oracle.js';

/** TF.js's view: per layer, per inbound node, the names of the layers it takes input from. */
function tfEdges(model: tf.LayersModel): Record<string, string[][]> {
  const out: Record<string, string[][]> = {};
  for (const layer of model.layers) {
    out[layer.name] = layer.inboundNodes.map((n) => n.inboundLayers.map((l) => l.name)).filter((c) => c.length > 0);
  }
  return out;
}

describe('inbound edges', () => {
  it('a functional model with two branches, a merge and a shared layer matches TF.js', () => {
    const a = tf.input({ shape: [8], name: 'a' });
    const b = tf.input({ shape: [8], name: 'b' });
    const shared = tf.layers.dense({ units: 4, name: 'shared' });
    const left = shared.apply(a) as tf.SymbolicTensor;
    const right = shared.apply(b) as tf.SymbolicTensor;
    const merged = tf.layers.concatenate({ name: 'merge' }).apply([left, right]) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 1, name: 'out' }).apply(merged) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [a, b], outputs: out });
    const graph = buildGraph(model.toJSON(undefined, false));
    const ours = Object.fromEntries(graph.layers.map((n) => [n.name, n.inbound.map((c) => c.map((e) => e.layer))]));
    expect(ours).toEqual(tfEdges(model));
    // The shared layer's second call reads input b; the merge reads call 0 and call 1 of the shared layer.
    const merge = graph.layers.find((n) => n.name === 'merge')!;
    expect(merge.inbound).toEqual([
      [
        { layer: 'shared', call: 0, tensor: 0 },
        { layer: 'shared', call: 1, tensor: 0 },
      ],
    ]);
    expect(graph.inputs.map((e) => e.layer)).toEqual(['a', 'b']);
    expect(graph.outputs.map((e) => e.layer)).toEqual(['out']);
  });

  it('a Sequential model chains each layer to the one before it', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 4, inputShape: [3], name: 'd0' }),
        tf.layers.dense({ units: 4, name: 'd1' }),
        tf.layers.dense({ units: 1, name: 'd2' }),
      ],
    });
    const graph = buildGraph(model.toJSON(undefined, false));
    expect(graph.layers.map((n) => [n.name, n.inbound])).toEqual([
      ['d0', []],
      ['d1', [[{ layer: 'd0', call: 0, tensor: 0 }]]],
      ['d2', [[{ layer: 'd1', call: 0, tensor: 0 }]]],
    ]);
    expect(graph.inputs[0]!.layer).toBe('d0');
    expect(graph.outputs[0]!.layer).toBe('d2');
  });
});
