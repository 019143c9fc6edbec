// Merge layers: no weights. Elementwise merges broadcast their inputs; Concatenate sums one axis; Dot contracts.
import type { Shape } from '../model/types.js';
import { type LayerContext, type LayerDef, ShapeUnknown, num } from './registry.js';
import { broadcast } from './shapes.js';

type Dim = number | null;

function inputs(ctx: LayerContext): Shape[] {
  if (ctx.inputShapes.length === 0) throw new ShapeUnknown(`${ctx.className} has no inputs`);
  return ctx.inputShapes.map((s, i) => {
    if (!s) throw new ShapeUnknown(`input ${i} of ${ctx.className} is unknown`);
    return s;
  });
}

/** The batch axis every input agrees on, or null. */
function batchOf(shapes: Shape[]): Dim {
  const known = new Set(shapes.map((s) => s[0] ?? null).filter((d) => d !== null));
  return known.size === 1 ? [...known][0]! : null;
}

function elementwise(ctx: LayerContext): Shape {
  const shapes = inputs(ctx);
  const rest = shapes.map((s) => s.slice(1)).reduce((a, b) => broadcast(a, b));
  return [batchOf(shapes), ...rest];
}

function concatenate(ctx: LayerContext): Shape {
  const shapes = inputs(ctx);
  const first = shapes[0]!; // inputs() throws on an empty list
  const rank = first.length;
  const axis = ((num(ctx.config, 'axis', -1) % rank) + rank) % rank;
  const out: Dim[] = [...first];
  for (let i = 0; i < rank; i++) {
    if (i === axis) out[i] = shapes.reduce<Dim>((n, s) => (n === null || s[i] == null ? null : n + (s[i] as number)), 0);
    else out[i] = shapes.map((s) => s[i] ?? null).find((d) => d !== null) ?? null;
  }
  return out;
}

function dot(ctx: LayerContext): Shape {
  const [a, b] = inputs(ctx);
  if (!a || !b) throw new Error(`Dot needs two inputs, got ${ctx.inputShapes.length}`);
  const raw = ctx.config.axes;
  const axes = typeof raw === 'number' ? [raw, raw] : Array.isArray(raw) ? raw : [-1, -1];
  if (axes.length !== 2 || !axes.every((x) => typeof x === 'number')) throw new Error('config key "axes" is not an int or a pair of ints');
  const [a0, a1] = axes as [number, number];
  const ax = (x: number, rank: number) => (x < 0 ? x + rank : x);
  const left = a.filter((_, i) => i !== ax(a0, a.length));
  const right = b.filter((_, i) => i !== ax(a1, b.length)).slice(1);
  const out = [...left, ...right];
  return out.length === 1 ? [...out, 1] : out;
}

const ELEMENTWISE = 'no weights; out = broadcast of the inputs';

export const defs: LayerDef[] = [
  { classNames: ['Add', 'Average', 'Maximum', 'Minimum', 'Multiply'], notes: ELEMENTWISE, verifiedBy: 'tfjs', outputShape: elementwise },
  { classNames: ['Subtract'], notes: ELEMENTWISE, verifiedBy: 'hand', outputShape: elementwise },
  {
    classNames: ['Concatenate'],
    notes: 'no weights; out = inputs joined along axis (sizes summed)',
    verifiedBy: 'tfjs',
    outputShape: concatenate,
  },
  { classNames: ['Dot'], notes: 'no weights; out = both inputs without their contracted axes', verifiedBy: 'tfjs', outputShape: dot },
];
