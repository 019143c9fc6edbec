import { describe, expect, it } from 'vitest';
import { applyLayer } from '../../../src/layers/index.js';
import { oracleLayer, tf } from '../../helpers/oracle.js';

describe('oracle helper', () => {
  it('Dense on 3 inputs matches TF.js and hand arithmetic (3*4+4 = 16)', () => {
    const c = oracleLayer(tf.layers.dense({ units: 4 }), [3]);
    expect(c.params).toBe(16);
    const r = applyLayer(c.entry, c.inputShapes);
    expect(r.vars?.map((x) => x.shape)).toEqual(c.weights.map((w) => w.shape));
    expect(r.outputShape).toEqual(c.outputShape);
  });
});
