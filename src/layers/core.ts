// Core layers: Dense, EinsumDense, Embedding, InputLayer, Lambda and the weightless layers with no family of
// their own (Identity, Masking, regularization, dropout and noise).
// Keras 3 quantized Dense/EinsumDense/Embedding store a different variable set, in the order of their
// `save_own_variables`: see `quantized` below.
import type { Shape, VarSpec } from '../model/types.js';
import type { Cfg, LayerContext, LayerDef, MacContext, MacEstimate } from './registry.js';
import { ShapeUnknown, bool, input0, inputDim, num, v } from './registry.js';
import { analyzeEinsum, int8KernelScaleShape, parseEquation } from './einsum.js';
import { type Expr, type Size, ceilDiv, fv, sym } from './expr.js';
import { isKeras1, keras1Args } from './keras1-args.js';
import { macNum, prod, unknownMacs } from './macs.js';

type Dim = number | null;

/** Keras 3 quantization mode of a layer (`int8`, `int4`, `float8`, …) from its config or dtype policy, or null. */
export function quantizationMode(cfg: Cfg): string | null {
  if (typeof cfg.quantization_mode === 'string') return cfg.quantization_mode;
  const dtype = cfg.dtype;
  let name: unknown = dtype;
  if (dtype && typeof dtype === 'object') {
    const c = ((dtype as Cfg).config ?? {}) as Cfg;
    if (typeof c.mode === 'string') return c.mode;
    name = c.name;
  }
  if (typeof name === 'string' && name.includes('_from_')) return name.slice(0, name.indexOf('_from_'));
  return null;
}

/** `amax_history_length` of a float8 dtype policy (Keras' default 1024). */
function amaxHistoryLength(cfg: Cfg): number {
  const c = (cfg.dtype && typeof cfg.dtype === 'object' ? ((cfg.dtype as Cfg).config ?? {}) : {}) as Cfg;
  return num(c, 'amax_history_length', 1024);
}

/** The six float8 scaling variables (scalars and amax histories; Keras creates them trainable). */
function float8Vars(cfg: Cfg): VarSpec[] {
  const h = sym('amax_history_length', amaxHistoryLength(cfg));
  return ['inputs', 'kernel', 'outputs_grad'].flatMap((p) => [fv(`${p}_scale`, []), fv(`${p}_amax_history`, [h])]);
}

function unsupported(mode: string, className: string): never {
  throw new Error(`${className} quantization mode "${mode}" is not modeled`);
}

const half = (d: Size) => ceilDiv(d, 2);
const groupsOf = (d: Size, block: number) => ceilDiv(d, sym('block_size', block));

/**
 * int4 layout. Newer Keras 3 (configs with `quantization_config`, or an `Int4DTypePolicy`) packs along the
 * output axis and may quantize in blocks (`block_size` > 0: per-group scale and zero point plus `g_idx`);
 * earlier Keras 3 packs Dense kernels along the input axis with one scale per unit.
 */
function int4Layout(cfg: Cfg): { packOutput: boolean; block: number | null } {
  const dtype = (cfg.dtype && typeof cfg.dtype === 'object' ? cfg.dtype : {}) as Cfg;
  const qc = (cfg.quantization_config && typeof cfg.quantization_config === 'object' ? cfg.quantization_config : {}) as Cfg;
  const fromPolicy = dtype.class_name === 'Int4DTypePolicy' ? ((dtype.config ?? {}) as Cfg).block_size : undefined;
  const raw = fromPolicy ?? ((qc.config ?? {}) as Cfg).block_size;
  const block = typeof raw === 'number' && raw > 0 ? raw : null;
  return { packOutput: dtype.class_name === 'Int4DTypePolicy' || 'quantization_config' in cfg, block };
}

// ── Dense ────────────────────────────────────────────────────────────────────────────────────────────

/** Keras 1 Dense (`output_dim`, `bias`) stored `W` (in, out) and `b` (out): read through keras1Args. */
function denseWeights(ctx: LayerContext): VarSpec[] {
  const cfg = keras1Args(ctx.config);
  const units = sym('units', num(cfg, 'units'));
  const inDim = sym('in', inputDim(ctx));
  const useBias = bool(cfg, 'use_bias', true);
  if (isKeras1(ctx.config)) return [fv('W', [inDim, units]), ...(useBias ? [fv('b', [units])] : [])];
  const bias = useBias ? [fv('bias', [units])] : [];
  const mode = quantizationMode(ctx.config);
  switch (mode) {
    case null:
      return [fv('kernel', [inDim, units]), ...bias];
    case 'int8': // kernel int8
      return [fv('kernel', [inDim, units], false), ...bias, fv('kernel_scale', [units], false)];
    case 'int4': {
      // two int4 values packed per int8
      const { packOutput, block } = int4Layout(ctx.config);
      if (!packOutput) return [fv('kernel', [half(inDim), units], false), ...bias, fv('kernel_scale', [units], false)];
      const kernel = fv('kernel', [inDim, half(units)], false);
      if (block === null) return [kernel, ...bias, fv('kernel_scale', [units], false)];
      const scale: Expr[] = [groupsOf(inDim, block), units];
      return [kernel, ...bias, fv('kernel_scale', scale, false), fv('kernel_zero', scale, false), fv('g_idx', [inDim], false)];
    }
    case 'float8':
      return [fv('kernel', [inDim, units]), ...bias, ...float8Vars(ctx.config)];
    default:
      return unsupported(mode, ctx.className);
  }
}

/** Every output position (all axes but batch and the last) takes in·units multiply-accumulates. */
function denseMacs(ctx: MacContext): MacEstimate {
  const units = macNum(keras1Args(ctx.config).units);
  const input = ctx.inputShapes[0] ?? null;
  const output = ctx.outputShape;
  if (!input || !output || units === null) return unknownMacs('a shape');
  const inDim = input[input.length - 1] ?? null;
  const positions = prod(output.slice(1, -1));
  if (inDim === null || positions === null) return unknownMacs('a shape');
  return { macs: positions * inDim * units, rule: `positions·in·units = ${positions}·${inDim}·${units}` };
}

// ── EinsumDense ──────────────────────────────────────────────────────────────────────────────────────

function einsumShapes(ctx: LayerContext) {
  const equation = ctx.config.equation;
  if (typeof equation !== 'string') throw new Error('config key "equation" is missing');
  const spec = parseEquation(equation);
  const raw = ctx.config.output_shape;
  const partial: Dim[] = typeof raw === 'number' ? [raw] : Array.isArray(raw) ? raw.map((d) => (typeof d === 'number' ? d : null)) : [];
  const biasAxes = typeof ctx.config.bias_axes === 'string' && ctx.config.bias_axes ? ctx.config.bias_axes : null;
  // Unknown input: assume no extra elided axes (batch only under a leading `...`).
  const input = ctx.inputShapes[0] ?? Array<Dim>(spec.input.length + (spec.leftElided ? 1 : 0)).fill(null);
  return { spec, input, ...analyzeEinsum(spec, biasAxes, input, partial) };
}

function einsumWeights(ctx: LayerContext): VarSpec[] {
  const { spec, input, kernel, bias } = einsumShapes(ctx);
  // Each kernel axis is named by its equation letter; bias axes likewise (1 on the axes bias_axes leaves out).
  const k = kernel.map((d, i) => sym(spec.weight[i]!, d));
  const letters = bias
    ? spec.output.slice(spec.output.length - bias.length + (spec.leftElided ? 0 : Math.max(0, input.length - spec.input.length)))
    : '';
  const b = bias
    ? [
        fv(
          'bias',
          bias.map((d, i) => (letters[i] !== undefined && d !== 1 ? sym(letters[i]!, d) : (d ?? sym('?', null)))),
        ),
      ]
    : [];
  const mode = quantizationMode(ctx.config);
  switch (mode) {
    case null:
      return [fv('kernel', k), ...b];
    case 'int8':
      return [fv('kernel', k, false), ...b, v('kernel_scale', int8KernelScaleShape(spec, input.length, kernel), false)];
    case 'float8':
      return [fv('kernel', k), ...b, ...float8Vars(ctx.config)];
    default:
      return unsupported(mode, ctx.className);
  }
}

// ── Embedding ────────────────────────────────────────────────────────────────────────────────────────

function embeddingWeights(ctx: LayerContext): VarSpec[] {
  const rows = sym('input_dim', num(ctx.config, 'input_dim'));
  const cols = sym('output_dim', num(ctx.config, 'output_dim'));
  if (isKeras1(ctx.config)) return [fv('W', [rows, cols])]; // Keras 1 Embedding stored `W`
  const mode = quantizationMode(ctx.config);
  switch (mode) {
    case null:
      return [fv('embeddings', [rows, cols])];
    case 'int8': // embeddings int8, one scale per row
      return [fv('embeddings', [rows, cols], false), fv('embeddings_scale', [rows], false)];
    case 'int4': {
      // two int4 values packed per int8 along the output axis
      const { block } = int4Layout(ctx.config);
      const packed = fv('embeddings', [rows, half(cols)], false);
      if (block === null) return [packed, fv('embeddings_scale', [rows], false)];
      const scale: Expr[] = [rows, groupsOf(cols, block)];
      return [packed, fv('embeddings_scale', scale, false), fv('embeddings_zero', scale, false), fv('g_idx', [cols], false)];
    }
    default:
      return unsupported(mode, ctx.className);
  }
}

/**
 * Keras 3 ReversibleEmbedding: Embedding's variables, then (when `tie_weights` is false) the reverse projection
 * `reverse_embeddings` (output_dim, input_dim); quantized, it gains a scale (and int4 packs two values per int8
 * along output_dim, with a zero point when quantized in blocks).
 */
function reversibleEmbeddingWeights(ctx: LayerContext): VarSpec[] {
  const vars = embeddingWeights(ctx);
  if (bool(ctx.config, 'tie_weights', true)) return vars;
  const rows = sym('input_dim', num(ctx.config, 'input_dim'));
  const cols = sym('output_dim', num(ctx.config, 'output_dim'));
  const mode = quantizationMode(ctx.config);
  if (mode === null) return [...vars, fv('reverse_embeddings', [cols, rows])];
  if (mode === 'int8') return [...vars, fv('reverse_embeddings', [cols, rows], false), fv('reverse_embeddings_scale', [rows], false)];
  // int4 (embeddingWeights already rejected any other mode)
  const { block } = int4Layout(ctx.config);
  const scale: Expr[] = block === null ? [rows] : [groupsOf(cols, block), rows];
  const zero = block === null ? [] : [fv('reverse_embeddings_zero', scale, false)];
  return [...vars, fv('reverse_embeddings', [half(cols), rows], false), fv('reverse_embeddings_scale', scale, false), ...zero];
}

// ── RandomFourierFeatures (tf.keras 2, keras.layers.experimental) ────────────────────────────────────

/** Rank-2 input only; the layer itself defaults to trainable=False, which the graph applies from its config. */
function randomFourierWeights(ctx: LayerContext): VarSpec[] {
  const out = sym('output_dim', num(ctx.config, 'output_dim'));
  return [fv('unscaled_kernel', [sym('in', inputDim(ctx)), out], false), fv('bias', [out], false), fv('kernel_scale', [1])];
}

// ── Lambda and InputLayer ────────────────────────────────────────────────────────────────────────────

const asDim = (d: unknown): Dim => (typeof d === 'number' ? d : null);
const isDims = (x: unknown): x is unknown[] => Array.isArray(x) && x.every((d) => d === null || typeof d === 'number');

/** Lambda's declared `output_shape` (without batch): one shape or a list of shapes; else unknown. */
function lambdaOutput(ctx: LayerContext): Shape | Shape[] {
  const raw = ctx.config.output_shape;
  const batch = ctx.inputShapes[0]?.[0] ?? null;
  if (isDims(raw)) return [batch, ...raw.map(asDim)];
  if (Array.isArray(raw) && raw.length > 0 && raw.every(isDims)) return raw.map((s) => [batch, ...s.map(asDim)]);
  throw new ShapeUnknown(`Lambda ${raw == null ? 'declares no output_shape' : 'computes its output_shape with a function'}`);
}

function inputLayerShape({ config }: LayerContext): Shape | null {
  const batch = config.batch_shape ?? config.batch_input_shape;
  if (Array.isArray(batch)) return batch.map(asDim);
  const shape = config.shape ?? config.input_shape;
  if (Array.isArray(shape)) return [null, ...shape.map(asDim)];
  return null;
}

const QUANT = '; Keras 3 int8: kernel int8 + bias + kernel_scale, float8: + 3 scales () and 3 amax histories (1024)';

export const defs: LayerDef[] = [
  { classNames: ['InputLayer'], notes: 'no weights', verifiedBy: 'tfjs', outputShape: inputLayerShape },
  {
    classNames: ['Dense'],
    notes: `Keras 1: W (in, output_dim) + b (output_dim)${QUANT}; int4: kernel (ceil(in/2), units), newer (in, ceil(units/2)) [+ block scale/zero + g_idx]`,
    verifiedBy: 'tfjs',
    weights: denseWeights,
    example: { config: { units: 4 }, inputs: [[null, 3]] },
    outputShape: (ctx) => [...input0(ctx).slice(0, -1), num(keras1Args(ctx.config), 'units')],
    macs: denseMacs,
  },
  {
    classNames: ['EinsumDense'],
    notes: `kernel axes: the weight letters of the equation; bias on bias_axes, 1 elsewhere${QUANT}`,
    verifiedBy: 'hand',
    weights: einsumWeights,
    example: { config: { equation: 'ab,bc->ac', output_shape: [8], bias_axes: 'c' }, inputs: [[null, 5]] },
    outputShape: (ctx) => {
      input0(ctx);
      return einsumShapes(ctx).output;
    },
  },
  {
    classNames: ['Embedding'],
    notes:
      'Keras 1: W; Keras 3 int8: + embeddings_scale (input_dim); int4: embeddings (input_dim, ceil(output_dim/2)) [+ block scale/zero + g_idx]',
    verifiedBy: 'tfjs',
    weights: embeddingWeights,
    example: { config: { input_dim: 1000, output_dim: 16 }, inputs: [[null, 10]] },
    outputShape: (ctx) => [...input0(ctx), num(ctx.config, 'output_dim')],
    macs: () => ({ macs: 0, rule: 'a table lookup: no multiply-accumulates' }),
  },
  {
    classNames: ['ReversibleEmbedding'],
    notes:
      'reverse_embeddings only with tie_weights=false; ' +
      'int8: + embeddings_scale (input_dim) [+ reverse_embeddings_scale (input_dim)]; int4: packed halves along output_dim',
    verifiedBy: 'hand',
    weights: reversibleEmbeddingWeights,
    example: { config: { input_dim: 1000, output_dim: 16, tie_weights: false }, inputs: [[null, 10]] },
    outputShape: (ctx) => [...input0(ctx), num(ctx.config, 'output_dim')],
  },
  {
    classNames: ['RandomFourierFeatures'],
    verifiedBy: 'hand',
    weights: randomFourierWeights,
    example: { config: { output_dim: 64 }, inputs: [[null, 10]] },
    outputShape: (ctx) => {
      const s = input0(ctx);
      if (s.length !== 2) throw new Error(`RandomFourierFeatures expects a rank-2 input, got [${s.join(', ')}]`);
      return [s[0]!, num(ctx.config, 'output_dim')];
    },
  },
  { classNames: ['Lambda'], notes: 'no weights; output from config output_shape', verifiedBy: 'hand', outputShape: lambdaOutput },
  {
    classNames: ['Masking', 'Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout'],
    notes: 'no weights',
    verifiedBy: 'tfjs',
  },
  {
    classNames: ['Identity', 'ActivityRegularization', 'SpatialDropout2D', 'SpatialDropout3D'],
    notes: 'no weights',
    verifiedBy: 'hand',
  },
];
