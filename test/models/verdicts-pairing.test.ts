// Issue 21, points 1 and 2: a valid file is never called broken, a shared nested model is never left unshaped.
// fixtures/verdicts/ is made by scripts/fixtures/verdicts.mjs; every count here is worked out by hand.
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/index.js';
import { buildGraph } from '../../src/graph/index.js';
import type { LoadedModel, Report, StoredTensor } from '../../src/model/types.js';
import { exitStatus, inspect } from '../../src/index.js';
import { tf } from '../helpers/oracle.js';

const F = (p: string) => `fixtures/verdicts/${p}`;
const rows = (r: Report) => r.layers.map((l) => [l.name, l.params.expected, l.params.stored, l.status]);

describe('tf.keras 2.13 `.keras` (groups under _layer_checkpoint_dependencies\\, generated names skip numbers)', () => {
  it('pairs conv2d_4/5/6 with the stored conv2d, conv2d_2, conv2d_4 and finds nothing wrong', async () => {
    const r = await inspect(F('tfkeras213.keras'));
    expect(rows(r)).toEqual([
      ['input_7', 0, 0, 'ok'],
      ['conv2d_4', 40, 40, 'ok'], // 3·3·1·4 + 4
      ['max_pooling2d_2', 0, 0, 'ok'],
      ['conv2d_5', 222, 222, 'ok'], // 3·3·4·6 + 6
      ['conv2d_6', 56, 56, 'ok'], // 1·1·6·8 + 8
      ['flatten_2', 0, 0, 'ok'],
      ['dense_7', 365, 365, 'ok'], // 72·5 + 5
      ['dense_8', 18, 18, 'ok'], // 5·3 + 3
    ]);
    expect(r.totals).toMatchObject({ params: 701, stored: 701 });
    expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(exitStatus(r.findings)).toBe(0);
  });
});

/** A Keras 3 style model from dense layers on a [null, 4] input, with the given stored groups. */
function denseModel(units: number[], groups: [string, number[][]][]): LoadedModel {
  let width = 4;
  const layers = units.map((u, i) => {
    const l = {
      module: 'keras.layers',
      class_name: 'Dense',
      config: { name: `d${i}`, units: u, use_bias: true, activation: 'linear' },
      build_config: { input_shape: [null, width] },
    };
    width = u;
    return l;
  });
  const tensors: StoredTensor[] = groups.flatMap(([key, shapes]) =>
    shapes.map((shape, i) => ({ layerKey: key, name: `vars/${i}`, shape, dtype: 'float32', bytes: 4 * shape.reduce((a, b) => a * b, 1) })),
  );
  const config = { module: 'keras', class_name: 'Sequential', config: { name: 's', layers }, build_config: { input_shape: [null, 4] } };
  return {
    file: 'm.keras',
    format: 'keras-v3',
    kerasVersion: '3.6.0',
    backend: null,
    config,
    trainingConfig: null,
    tensors,
    optimizer: [],
    files: [],
    problems: [],
    matchBy: 'order',
    meta: {},
  };
}

describe('pairing stored groups by shape where names are ambiguous', () => {
  it('keeps the Keras 3 rule when it fits (dense, dense_1, dense_2)', () => {
    const r = audit(
      denseModel(
        [3, 2, 5],
        [
          ['dense', [[4, 3], [3]]],
          ['dense_1', [[3, 2], [2]]],
          ['dense_2', [[2, 5], [5]]],
        ],
      ),
    );
    expect(r.findings.map((f) => f.code)).toEqual([]);
  });

  it('numbers with gaps no rule explains: the one assignment whose shapes fit (4·3+3, 3·2+2, 2·5+5)', () => {
    // Neither the Keras 3 numbering (dense, dense_1, dense_2) nor the order of the numbers fits; shapes do.
    const r = audit(
      denseModel(
        [3, 2, 5],
        [
          ['dense', [[4, 3], [3]]],
          ['dense_3', [[2, 5], [5]]],
          ['dense_7', [[3, 2], [2]]],
        ],
      ),
    );
    expect(r.findings.map((f) => f.code)).toEqual([]);
    expect(r.layers.map((l) => [l.name, l.params.stored, l.status])).toEqual([
      ['d0', 15, 'ok'],
      ['d1', 8, 'ok'],
      ['d2', 15, 'ok'],
    ]);
  });

  it('still reports a real mismatch that no assignment avoids (a 4×4 kernel nobody needs)', () => {
    const r = audit(
      denseModel(
        [3, 2],
        [
          ['dense', [[4, 3], [3]]],
          ['dense_1', [[4, 4], [2]]],
        ],
      ),
    );
    expect(r.findings.map((f) => [f.code, f.layer])).toEqual([['shape-mismatch', 'd1']]);
  });
});

describe('a siamese model: one nested Functional model called on two inputs, then Subtract', () => {
  it('every layer has its shape and every count is checked (tf.keras numbers the calls 1 and 2)', async () => {
    const r = await inspect(F('siamese.h5'));
    expect(r.layers.map((l) => [l.name, l.outputShape, l.params.expected, l.params.stored, l.status])).toEqual([
      ['input_1', [null, 8], 0, 0, 'ok'],
      ['input_2', [null, 8], 0, 0, 'ok'],
      ['encoder', [null, 3], 51, 51, 'ok'], // 8·4 + 4 + 4·3 + 3
      ['subtract', [null, 3], 0, 0, 'ok'],
      ['dense_2', [null, 1], 4, 4, 'ok'], // 3·1 + 1
    ]);
    expect(r.totals.params).toBe(55);
    expect(r.findings).toEqual([]);
  });

  it('matches what TF.js builds and counts for the same model (Add for Subtract), from TF.js’s own config', () => {
    const inner = tf.input({ shape: [8], name: 'input_3' });
    const h = tf.layers.dense({ units: 4, name: 'dense' }).apply(inner) as tf.SymbolicTensor;
    const o = tf.layers.dense({ units: 3, name: 'dense_1' }).apply(h) as tf.SymbolicTensor;
    const encoder = tf.model({ inputs: inner, outputs: o, name: 'encoder' });
    const a = tf.input({ shape: [8], name: 'input_1' });
    const b = tf.input({ shape: [8], name: 'input_2' });
    // TF.js has no Subtract layer; Add merges the two calls with the same shape rule.
    const d = tf.layers.add({ name: 'merge' }).apply([encoder.apply(a), encoder.apply(b)] as tf.SymbolicTensor[]) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 1, name: 'dense_2' }).apply(d) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [a, b], outputs: out, name: 'siamese' });
    expect(model.countParams()).toBe(55);
    const graph = buildGraph(model.toJSON(undefined, false));
    const shapes = Object.fromEntries(graph.layers.map((n) => [n.name, n.outputShape]));
    for (const l of model.layers) expect(shapes[l.name]).toEqual(l.outputShape);
  });
});
