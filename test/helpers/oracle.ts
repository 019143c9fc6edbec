// TF.js as an independent oracle: build a real layer with @tensorflow/tfjs, serialize it the way
// `model.toJSON()` does, and read TF.js's own weights, counts and output shape for comparison.
import * as tf from '@tensorflow/tfjs';
import type { LayerEntry } from '../../src/layers/registry.js';
import type { Shape } from '../../src/model/types.js';

export { tf };

export interface OracleCase {
  /** The layer as it appears in the model's JSON config (snake_case keys, as a file stores it). */
  entry: LayerEntry;
  /** Input shapes of the call, batch axis (null) included. */
  inputShapes: Shape[];
  weights: { name: string; shape: number[]; trainable: boolean }[];
  params: number;
  trainable: number;
  nonTrainable: number;
  outputShape: Shape | Shape[];
}

/**
 * Builds `layer` on inputs of the given shapes (without batch axis) inside a functional model, and returns
 * the layer's serialized entry with TF.js's own numbers.
 */
export function oracleLayer(layer: tf.layers.Layer, ...inputShapes: number[][]): OracleCase {
  const inputs = inputShapes.map((s) => tf.input({ shape: s }));
  const out = layer.apply(inputs.length === 1 ? inputs[0]! : inputs) as tf.SymbolicTensor | tf.SymbolicTensor[];
  const model = tf.model({ inputs, outputs: out });
  const json = model.toJSON(undefined, false) as unknown as { config: { layers: LayerEntry[] } };
  const entry = json.config.layers.find((l) => (l.config as { name?: string }).name === layer.name);
  if (!entry) throw new Error(`layer ${layer.name} not found in its model's JSON`);
  const count = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);
  const outShape = Array.isArray(out) ? out.map((t) => t.shape as Shape) : (out.shape as Shape);
  return {
    entry,
    inputShapes: inputShapes.map((s) => [null, ...s]),
    weights: layer.weights.map((w) => ({
      name: w.originalName ?? w.name,
      shape: w.shape as number[],
      trainable: w.trainable,
    })),
    params: layer.countParams(),
    trainable: count(layer.trainableWeights),
    nonTrainable: count(layer.nonTrainableWeights),
    outputShape: outShape,
  };
}
