// Shared assertions for the layer-family tests: compare the formula table with TF.js's own layer
// (weights in order with names, shapes and trainable flags, counts, output shape), or run a hand case.
import { expect } from 'vitest';
import { applyLayer } from '../../../src/layers/index.js';
import type { Cfg, LayerResult } from '../../../src/layers/registry.js';
import type { Shape } from '../../../src/model/types.js';
import type { OracleCase } from '../../helpers/oracle.js';

const size = (s: Shape) => s.reduce<number>((n, d) => n * (d as number), 1);

/** Applies the table to TF.js's serialized layer (optionally under another class name) and compares. */
export function expectLikeTfjs(c: OracleCase, className = c.entry.class_name): void {
  const r = applyLayer({ ...c.entry, class_name: className }, c.inputShapes);
  expect(r.note).toBeNull();
  const vars = r.vars ?? [];
  expect(vars.map((x) => x.name)).toEqual(c.weights.map((w) => w.name.split('/').pop()));
  expect(vars.map((x) => x.shape)).toEqual(c.weights.map((w) => w.shape));
  expect(vars.map((x) => x.trainable)).toEqual(c.weights.map((w) => w.trainable));
  expect(vars.reduce((n, x) => n + size(x.shape), 0)).toBe(c.params);
  expect(vars.filter((x) => x.trainable).reduce((n, x) => n + size(x.shape), 0)).toBe(c.trainable);
  expect(vars.filter((x) => !x.trainable).reduce((n, x) => n + size(x.shape), 0)).toBe(c.nonTrainable);
  expect(r.outputShape).toEqual(c.outputShape);
}

/** Applies the table to a hand-written layer entry. */
export function run(className: string, config: Cfg, ...inputShapes: (Shape | null)[]): LayerResult {
  return applyLayer({ class_name: className, config }, inputShapes);
}

/** Name, shape and trainable flag of each variable, for compact expectations. */
export function described(r: LayerResult): [string, Shape, boolean][] | null {
  return r.vars ? r.vars.map((x) => [x.name, x.shape, x.trainable]) : null;
}
