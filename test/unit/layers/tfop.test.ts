// TF-op layers tf.keras 2 writes into configs (TFOpLambda, SlicingOpLambda, TensorFlowOpLayer, ClassMethod,
// InstanceMethod, InstanceProperty): never weights; output shapes by hand from the op's semantics.
import { describe, expect, it } from 'vitest';
import { applyLayer, lookupLayer } from '../../../src/layers/index.js';
import type { Cfg } from '../../../src/layers/registry.js';
import type { Shape } from '../../../src/model/types.js';
import { run } from './expect-tfjs.js';

/** Applies a TF-op formula with the call's kwargs, as the graph would pass them (`ctx.callArgs`). */
function withArgs(className: string, fn: string, callArgs: Cfg, ...inputShapes: (Shape | null)[]): Shape | Shape[] | null {
  const def = lookupLayer(className)!;
  return def.outputShape!({ className, config: { name: 'op', function: fn }, inputShapes, inner: applyLayer, callArgs } as Parameters<
    NonNullable<typeof def.outputShape>
  >[0]);
}

describe("'TFOpLambda' by hand", () => {
  it('unary element-wise ops keep the shape, even without call kwargs: nn.relu6, math.sigmoid, compat.v1.nn.relu', () => {
    for (const fn of ['nn.relu6', 'math.sigmoid', 'compat.v1.nn.relu']) {
      const r = run('TFOpLambda', { function: fn }, [null, 7, 7, 32]);
      expect(r.vars).toEqual([]);
      expect(r.outputShape).toEqual([null, 7, 7, 32]);
    }
  });

  it('x + 3.0 (MobileNetV3 hard-sigmoid): a scalar constant broadcasts to x: (None, 14, 14, 16)', () => {
    expect(withArgs('TFOpLambda', '__operators__.add', { y: 3.0, name: null }, [null, 14, 14, 16])).toEqual([null, 14, 14, 16]);
    expect(withArgs('TFOpLambda', 'math.multiply', { y: 1 / 6, name: null }, [null, 14, 14, 16])).toEqual([null, 14, 14, 16]);
  });

  it('x * y with y a tensor from kwargs: (None, 1, 1, 16) * (None, 14, 14, 16) broadcasts to (None, 14, 14, 16)', () => {
    expect(withArgs('TFOpLambda', 'math.multiply', { y: ['gate', 0, 0], name: null }, [null, 1, 1, 16], [null, 14, 14, 16])).toEqual([
      null,
      14,
      14,
      16,
    ]);
  });

  it('a constant vector operand (3,) on (None, 5, 3) keeps (None, 5, 3); (4,) does not broadcast and is reported', () => {
    expect(withArgs('TFOpLambda', 'math.subtract', { y: [1, 2, 3] }, [null, 5, 3])).toEqual([null, 5, 3]);
    expect(() => withArgs('TFOpLambda', 'math.subtract', { y: [1, 2, 3, 4] }, [null, 5, 3])).toThrow(/broadcast/);
  });

  it('a binary op without call kwargs cannot know its other operand: output not inferred, still no weights', () => {
    const r = run('TFOpLambda', { function: 'math.add' }, [null, 8]);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toBeNull();
    expect(r.note).toMatch(/kwargs/);
  });

  it('reshape (None, 7, 7, 64) to [-1, 49, 64]: -1 stays unknown with an unknown batch; known input gives 2', () => {
    expect(withArgs('TFOpLambda', 'reshape', { shape: [-1, 49, 64] }, [null, 7, 7, 64])).toEqual([null, 49, 64]);
    // 2 * 7 * 7 * 64 = 6272 elements; 6272 / (49 * 64) = 2
    expect(withArgs('TFOpLambda', 'reshape', { shape: [-1, 49, 64] }, [2, 7, 7, 64])).toEqual([2, 49, 64]);
  });

  it('concat of (None, 4, 8) and (None, 4, 3) on axis -1 is (None, 4, 11)', () => {
    expect(withArgs('TFOpLambda', 'concat', { axis: -1, name: null }, [null, 4, 8], [null, 4, 3])).toEqual([null, 4, 11]);
  });

  it('reduce_mean of (None, 7, 7, 32) over [1, 2]: keepdims (None, 1, 1, 32), else (None, 32)', () => {
    expect(withArgs('TFOpLambda', 'math.reduce_mean', { axis: [1, 2], keepdims: true }, [null, 7, 7, 32])).toEqual([null, 1, 1, 32]);
    expect(withArgs('TFOpLambda', 'math.reduce_mean', { axis: [1, 2], keepdims: false }, [null, 7, 7, 32])).toEqual([null, 32]);
  });

  it('expand_dims axis -1 on (None, 10) is (None, 10, 1); transpose perm [0, 2, 1] on (None, 4, 5) is (None, 5, 4)', () => {
    expect(withArgs('TFOpLambda', 'expand_dims', { axis: -1 }, [null, 10])).toEqual([null, 10, 1]);
    expect(withArgs('TFOpLambda', 'transpose', { perm: [0, 2, 1] }, [null, 4, 5])).toEqual([null, 5, 4]);
  });

  it('an op outside the table has an uninferred output shape (and no weights)', () => {
    const r = run('TFOpLambda', { function: 'image.resize' }, [null, 8, 8, 3]);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toBeNull();
  });
});

describe("'SlicingOpLambda' by hand (__operators__.getitem)", () => {
  const all = { start: null, stop: null, step: null };
  it('x[:, 0] on (None, 10, 4) drops axis 1: (None, 4)', () => {
    expect(withArgs('SlicingOpLambda', '__operators__.getitem', { slice_spec: [all, 0] }, [null, 10, 4])).toEqual([null, 4]);
  });
  it('x[:, 2:8:2] on (None, 10, 4): len(range(2, 8, 2)) = 3 -> (None, 3, 4); x[:, -3:] -> (None, 3, 4)', () => {
    expect(
      withArgs('SlicingOpLambda', '__operators__.getitem', { slice_spec: [all, { start: 2, stop: 8, step: 2 }] }, [null, 10, 4]),
    ).toEqual([null, 3, 4]);
    expect(
      withArgs('SlicingOpLambda', '__operators__.getitem', { slice_spec: [all, { start: -3, stop: null, step: null }] }, [null, 10, 4]),
    ).toEqual([null, 3, 4]);
  });
  it('x[:, ::-1] keeps 10; an Ellipsis (serialized as an object) is not inferred', () => {
    expect(
      withArgs('SlicingOpLambda', '__operators__.getitem', { slice_spec: [all, { start: null, stop: null, step: -1 }] }, [null, 10, 4]),
    ).toEqual([null, 10, 4]);
    expect(() =>
      withArgs('SlicingOpLambda', '__operators__.getitem', { slice_spec: [{ class_name: '__ellipsis__' }, 0] }, [null, 10, 4]),
    ).toThrow(/not a plain index/);
  });
});

describe("'TensorFlowOpLayer' by hand (tf.keras 2.0–2.3)", () => {
  it('AddV2 of two (None, 8) inputs is (None, 8); Mul with a scalar constant keeps the input shape', () => {
    expect(run('TensorFlowOpLayer', { node_def: { op: 'AddV2' }, constants: {} }, [null, 8], [null, 8]).outputShape).toEqual([null, 8]);
    const r = run('TensorFlowOpLayer', { node_def: { op: 'Mul' }, constants: { 1: 0.5 } }, [null, 6, 6, 4]);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual([null, 6, 6, 4]);
  });
  it('a non-element-wise op (ResizeBilinear) has no weights and an uninferred shape', () => {
    const r = run('TensorFlowOpLayer', { node_def: { op: 'ResizeBilinear' }, constants: {} }, [null, 6, 6, 4]);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toBeNull();
  });
});

describe('ragged/sparse method layers', () => {
  for (const name of ['ClassMethod', 'InstanceMethod', 'InstanceProperty']) {
    it(`'${name}' has no weights; output not inferred`, () => {
      const r = run(name, { attr_name: 'flat_values' }, [null, null]);
      expect(r.vars).toEqual([]);
      expect(r.outputShape).toBeNull();
    });
  }
});
