// TF-op layers that tf.keras 2 writes into saved configs when a model calls TensorFlow functions on Keras
// tensors: TFOpLambda (`function`: "math.add", "nn.relu6", "reshape", …), SlicingOpLambda (`x[...]`),
// TensorFlowOpLayer (tf.keras 2.0–2.3, `node_def.op`), and the ragged/sparse ClassMethod, InstanceMethod,
// InstanceProperty. None has weights. Output shapes are given only where they are cheap and certain.
//
// A TF-op layer's inbound node carries the first argument's tensors as its refs and every other argument in a
// kwargs dict (`{"y": 3.0}`, `{"y": ["other", 0, 0]}`, `{"axis": -1}`, `{"slice_spec": …}`). Formulas read that
// dict from `ctx.callArgs` when the graph supplies it; the shapes of tensors named in it are expected after the
// first argument's in `ctx.inputShapes`, in the dict's depth-first order. Without `callArgs`, only unary
// element-wise ops and multi-tensor first arguments get a shape.
import { elements, knownElements } from '../model/shape.js';
import type { Shape } from '../model/types.js';
import { type Cfg, type LayerContext, type LayerDef, ShapeUnknown, input0, str } from './registry.js';
import { broadcast } from './shapes.js';

type Dim = number | null;

const UNARY = new Set([
  'identity',
  'stop_gradient',
  'cast',
  'math.abs',
  'math.negative',
  'math.sign',
  'math.square',
  'math.sqrt',
  'math.rsqrt',
  'math.exp',
  'math.log',
  'math.log1p',
  'math.expm1',
  'math.reciprocal',
  'math.round',
  'math.floor',
  'math.ceil',
  'math.sin',
  'math.cos',
  'math.tan',
  'math.erf',
  'math.tanh',
  'math.sigmoid',
  'math.log_sigmoid',
  'math.softplus',
  'math.softsign',
  'math.logical_not',
  'math.is_nan',
  'math.l2_normalize',
  'nn.relu',
  'nn.relu6',
  'nn.elu',
  'nn.selu',
  'nn.gelu',
  'nn.silu',
  'nn.swish',
  'nn.leaky_relu',
  'nn.sigmoid',
  'nn.tanh',
  'nn.softplus',
  'nn.softsign',
  'nn.softmax',
  'nn.log_softmax',
  'nn.l2_normalize',
  'math.softmax',
  'math.log_softmax',
  'nn.crelu',
]);

const BINARY = new Set([
  '__operators__.add',
  'math.add',
  'math.subtract',
  'math.multiply',
  'math.multiply_no_nan',
  'math.divide',
  'math.truediv',
  'math.divide_no_nan',
  'math.floordiv',
  'math.floormod',
  'math.pow',
  'math.maximum',
  'math.minimum',
  'math.squared_difference',
  'math.greater',
  'math.greater_equal',
  'math.less',
  'math.less_equal',
  'math.equal',
  'math.not_equal',
  'math.logical_and',
  'math.logical_or',
  'math.logical_xor',
  'math.add_n',
  'where',
  'clip_by_value',
]);

const REDUCE = new Set([
  'math.reduce_mean',
  'math.reduce_sum',
  'math.reduce_max',
  'math.reduce_min',
  'math.reduce_prod',
  'math.reduce_any',
  'math.reduce_all',
  'math.reduce_std',
  'math.reduce_variance',
  'math.reduce_logsumexp',
]);

/** TF 1 graph op names (TensorFlowOpLayer `node_def.op`) that act element by element on broadcast inputs. */
const ELEMENTWISE_OPS = new Set([
  'Add',
  'AddV2',
  'Sub',
  'Mul',
  'RealDiv',
  'Div',
  'DivNoNan',
  'FloorDiv',
  'FloorMod',
  'Maximum',
  'Minimum',
  'Pow',
  'SquaredDifference',
  'Greater',
  'GreaterEqual',
  'Less',
  'LessEqual',
  'Equal',
  'NotEqual',
  'LogicalAnd',
  'LogicalOr',
  'Relu',
  'Relu6',
  'Elu',
  'Selu',
  'Sigmoid',
  'Tanh',
  'Softplus',
  'Softsign',
  'Exp',
  'Log',
  'Log1p',
  'Sqrt',
  'Rsqrt',
  'Square',
  'Neg',
  'Abs',
  'Sign',
  'Reciprocal',
  'Identity',
  'Cast',
  'Floor',
  'Ceil',
  'Round',
  'Sin',
  'Cos',
  'Erf',
  'LeakyRelu',
  'Softmax',
  'LogSoftmax',
  'StopGradient',
  'LogicalNot',
  'Select',
  'SelectV2',
]);

/** "compat.v1.math.add" and "math.add" name the same op. */
function opName(ctx: LayerContext): string {
  return str(ctx.config, 'function', '').replace(/^compat\.v[12]\./, '');
}

/** `["layer", 0, 0]`: a Keras 2 reference to another layer's output inside a call's kwargs. */
function isTensorRef(x: unknown): boolean {
  return Array.isArray(x) && x.length >= 3 && typeof x[0] === 'string' && typeof x[1] === 'number' && typeof x[2] === 'number';
}

function countRefs(x: unknown): number {
  if (isTensorRef(x)) return 1;
  if (Array.isArray(x)) return x.reduce((n: number, y) => n + countRefs(y), 0);
  if (x && typeof x === 'object') return Object.values(x).reduce((n: number, y) => n + countRefs(y), 0);
  return 0;
}

/** The shape of a numeric constant (number, boolean or nested numeric list), or null if it is not one. */
function constantShape(x: unknown): Shape | null {
  if (typeof x === 'number' || typeof x === 'boolean') return [];
  if (!Array.isArray(x)) return null;
  if (x.length === 0) return [0];
  const inner = x.map(constantShape);
  const first = inner[0];
  if (!first || inner.some((s) => !s || s.length !== first.length || s.some((d, i) => d !== first[i]))) return null;
  return [x.length, ...first];
}

/** Splits the input shapes into the first argument's and those of the tensors named in callArgs. */
function split(ctx: LayerContext): { first: (Shape | null)[]; fromArgs: (Shape | null)[] } {
  const n = ctx.callArgs ? countRefs(ctx.callArgs) : 0;
  const cut = Math.max(ctx.inputShapes.length - n, 0);
  return { first: ctx.inputShapes.slice(0, cut), fromArgs: ctx.inputShapes.slice(cut) };
}

function known(shapes: (Shape | null)[], what: string): Shape[] {
  if (shapes.length === 0) throw new ShapeUnknown(`${what}: no input tensors`);
  return shapes.map((s) => {
    if (!s) throw new ShapeUnknown(`${what}: an input shape is unknown`);
    return s;
  });
}

function broadcastAll(shapes: Shape[]): Shape {
  return shapes.reduce((a, b) => broadcast(a, b));
}

/** Every operand of an element-wise op: the first argument's tensors, then each kwarg (tensor or constant). */
function elementwise(ctx: LayerContext, op: string): Shape {
  const { first, fromArgs } = split(ctx);
  const shapes = known(first, op);
  if (!ctx.callArgs) {
    if (shapes.length < 2) throw new ShapeUnknown(`${op}: the other operand is in the call's kwargs, which were not supplied`);
    return broadcastAll(shapes);
  }
  let next = 0;
  for (const [key, value] of Object.entries(ctx.callArgs)) {
    if (key === 'name') continue;
    if (isTensorRef(value)) {
      const s = fromArgs[next++];
      if (!s) throw new ShapeUnknown(`${op}: the shape of argument ${key} is unknown`);
      shapes.push(s);
      continue;
    }
    if (value === null) continue;
    const c = constantShape(value);
    if (!c) throw new ShapeUnknown(`${op}: argument ${key} is not a tensor or numeric constant`);
    shapes.push(c);
  }
  return broadcastAll(shapes);
}

function args(ctx: LayerContext, op: string): Cfg {
  if (!ctx.callArgs) throw new ShapeUnknown(`${op}: its arguments are in the call's kwargs, which were not supplied`);
  return ctx.callArgs;
}

function axisIndex(a: number, rank: number): number {
  const i = a < 0 ? a + rank : a;
  if (!Number.isInteger(i) || i < 0 || i >= rank) throw new Error(`axis ${a} is out of range for rank ${rank}`);
  return i;
}

function reshape(ctx: LayerContext, op: string): Shape {
  const s = input0(ctx);
  const target = args(ctx, op).shape;
  if (!Array.isArray(target) || !target.every((d) => typeof d === 'number')) throw new ShapeUnknown(`${op}: shape is not a constant list`);
  const dims = target as number[];
  const total = knownElements(s);
  const rest = elements(dims.filter((d) => d !== -1));
  return dims.map((d) => (d !== -1 ? d : total === null || rest === 0 ? null : total / rest));
}

function concat(ctx: LayerContext, op: string): Shape {
  const { first } = split(ctx);
  const shapes = known(first, op);
  const axis = args(ctx, op).axis;
  if (typeof axis !== 'number') throw new ShapeUnknown(`${op}: axis is not a constant`);
  const s0 = shapes[0]!; // known() throws on an empty list
  const rank = s0.length;
  const i = axisIndex(axis, rank);
  return s0.map((_, k) => {
    if (k === i) return shapes.reduce<Dim>((n, s) => (n === null || s[k] === null ? null : n + (s[k] as number)), 0);
    return shapes.map((s) => s[k]).find((d) => d !== null) ?? null;
  });
}

function reduce(ctx: LayerContext, op: string): Shape {
  const s = input0(ctx);
  const a = args(ctx, op);
  const raw = a.axis ?? null;
  const axes =
    raw === null
      ? s.map((_, i) => i)
      : typeof raw === 'number'
        ? [raw]
        : Array.isArray(raw) && raw.every((x) => typeof x === 'number')
          ? (raw as number[])
          : null;
  if (!axes) throw new ShapeUnknown(`${op}: axis is not a constant`);
  const drop = new Set(axes.map((x) => axisIndex(x, s.length)));
  const keep = a.keepdims === true || a.keep_dims === true;
  return keep ? s.map((d, i) => (drop.has(i) ? 1 : d)) : s.filter((_, i) => !drop.has(i));
}

function expandDims(ctx: LayerContext, op: string): Shape {
  const s = input0(ctx);
  const axis = args(ctx, op).axis;
  if (typeof axis !== 'number') throw new ShapeUnknown(`${op}: axis is not a constant`);
  const i = axis < 0 ? axis + s.length + 1 : axis;
  return [...s.slice(0, i), 1, ...s.slice(i)];
}

function transpose(ctx: LayerContext, op: string): Shape {
  const s = input0(ctx);
  const perm = args(ctx, op).perm ?? null;
  if (perm === null) return [...s].reverse();
  if (!Array.isArray(perm) || perm.length !== s.length) throw new ShapeUnknown(`${op}: perm is not a constant list`);
  return (perm as number[]).map((p) => s[axisIndex(p, s.length)]!); // axisIndex() returns an index in range
}

/** Python slice length for a known axis size. */
function sliceLength(n: number, start: number | null, stop: number | null, step: number | null): number {
  const st = step ?? 1;
  if (st === 0) throw new Error('slice step 0');
  const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);
  let a: number;
  let b: number;
  if (st > 0) {
    a = start === null ? 0 : clamp(start < 0 ? start + n : start, 0, n);
    b = stop === null ? n : clamp(stop < 0 ? stop + n : stop, 0, n);
    return Math.max(0, Math.ceil((b - a) / st));
  }
  a = start === null ? n - 1 : clamp(start < 0 ? start + n : start, -1, n - 1);
  b = stop === null ? -1 : clamp(stop < 0 ? stop + n : stop, -1, n - 1);
  return Math.max(0, Math.ceil((a - b) / -st));
}

type SliceDict = { start: number | null; stop: number | null; step: number | null };

function isSliceDict(x: unknown): x is SliceDict {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return false;
  const o = x as Record<string, unknown>;
  return ['start', 'stop', 'step'].every((k) => k in o && (o[k] === null || typeof o[k] === 'number')) && Object.keys(o).length === 3;
}

/** x[spec] with a spec of ints and constant slices only (no Ellipsis, newaxis or tensor indices). */
function getitem(ctx: LayerContext, op: string): Shape {
  const s = input0(ctx);
  const raw = args(ctx, op).slice_spec;
  const spec = Array.isArray(raw) ? raw : [raw];
  if (spec.length > s.length) throw new ShapeUnknown(`${op}: more indices than axes`);
  const out: Dim[] = [];
  spec.forEach((item, i) => {
    const n = s[i]!; // spec.length <= s.length, checked above
    if (typeof item === 'number') return; // an integer index drops the axis
    if (!isSliceDict(item)) throw new ShapeUnknown(`${op}: slice spec item ${JSON.stringify(item)} is not a plain index or slice`);
    const full = item.start === null && item.stop === null && (item.step === null || item.step === 1);
    out.push(full ? n : n === null ? null : sliceLength(n, item.start, item.stop, item.step));
  });
  return [...out, ...s.slice(spec.length)];
}

function tfOpLambda(ctx: LayerContext): Shape {
  const op = opName(ctx);
  if (UNARY.has(op)) return input0(ctx);
  if (BINARY.has(op)) return elementwise(ctx, op);
  if (REDUCE.has(op)) return reduce(ctx, op);
  switch (op) {
    case 'reshape':
      return reshape(ctx, op);
    case 'concat':
      return concat(ctx, op);
    case 'expand_dims':
      return expandDims(ctx, op);
    case 'transpose':
      return transpose(ctx, op);
    case '__operators__.getitem':
      return getitem(ctx, op);
  }
  throw new ShapeUnknown(`the output shape of tf.${op || '?'} is not inferred`);
}

/** tf.keras 2.0–2.3 TensorFlowOpLayer: element-wise graph ops broadcast their inputs and `constants`. */
function tensorFlowOpLayer(ctx: LayerContext): Shape {
  const node = ctx.config.node_def as Cfg | undefined;
  const op = node && typeof node.op === 'string' ? node.op : '?';
  if (!ELEMENTWISE_OPS.has(op)) throw new ShapeUnknown(`the output shape of TF op ${op} is not inferred`);
  const shapes = known(ctx.inputShapes, op);
  const constants = ctx.config.constants;
  if (constants && typeof constants === 'object') {
    for (const c of Object.values(constants)) {
      const cs = constantShape(c);
      if (!cs) throw new ShapeUnknown(`${op}: a constant input is not numeric`);
      shapes.push(cs);
    }
  }
  return broadcastAll(shapes);
}

function unknownOutput(what: string) {
  return (): Shape => {
    throw new ShapeUnknown(what);
  };
}

export const defs: LayerDef[] = [
  {
    classNames: ['TFOpLambda', 'SlicingOpLambda'],
    notes:
      'no weights; element-wise ops: broadcast of the operands; reshape, concat, reduce_*, expand_dims, transpose, ' +
      'simple getitem slices from the call arguments; others unknown',
    verifiedBy: 'hand',
    outputShape: tfOpLambda,
  },
  {
    classNames: ['TensorFlowOpLayer'],
    notes: 'no weights; element-wise node_def ops: broadcast of inputs and constants',
    verifiedBy: 'hand',
    outputShape: tensorFlowOpLayer,
  },
  {
    classNames: ['ClassMethod', 'InstanceMethod', 'InstanceProperty'],
    notes: 'no weights; ragged/sparse tensor methods, output shape not inferred',
    verifiedBy: 'hand',
    outputShape: unknownOutput('ragged/sparse tensor method output is not inferred'),
  },
];
