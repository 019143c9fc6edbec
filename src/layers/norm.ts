// Normalization layers: BatchNormalization (and its aliases), LayerNormalization, GroupNormalization,
// UnitNormalization, RMSNormalization and the SpectralNormalization wrapper. Output shape = input shape.
import type { Shape, VarSpec } from '../model/types.js';
import { type Cfg, type LayerContext, type LayerDef, ShapeUnknown, bool, entryAt, innerResult, inputDim } from './registry.js';
import { type Expr, fv, lit, sym } from './expr.js';

/** The `axis` setting as a list of ints (Keras accepts an int or a list). */
function axes(cfg: Cfg, fallback: number): number[] {
  const a = cfg.axis;
  if (typeof a === 'number') return [a];
  if (Array.isArray(a) && a.length > 0 && a.every((x) => typeof x === 'number')) return a as number[];
  return [fallback];
}

/** The input's rank, or null when the input is unknown. */
function rankOf(ctx: LayerContext): number | null {
  return ctx.inputShapes[0]?.length ?? null;
}

/** Normalizes a (possibly negative) axis against the input rank; throws when the rank is unknown. */
function positive(ctx: LayerContext, axis: number): number {
  if (axis >= 0) return axis;
  const r = rankOf(ctx);
  if (r === null) throw new ShapeUnknown(`input rank of ${ctx.className} is unknown`);
  return r + axis;
}

/**
 * Sizes of the given axes of the first input (null where unknown), as named sizes: one axis is the
 * channels `C`; several are `dim<i>` by their axis index.
 */
function dims(ctx: LayerContext, list: number[]): Expr[] {
  return list.map((a) => sym(list.length === 1 ? 'C' : `dim${a < 0 && rankOf(ctx) !== null ? rankOf(ctx)! + a : a}`, inputDim(ctx, a)));
}

/**
 * BatchNormalization's parameter shape. One axis: (C,). Several axes (tf.keras 2) or virtual_batch_size: the
 * input's rank with the normalized axes kept and 1 elsewhere (with virtual batches, one more 1 after the batch).
 */
function bnParamShape(ctx: LayerContext): Expr[] {
  const list = axes(ctx.config, -1);
  const virtual = typeof ctx.config.virtual_batch_size === 'number';
  if (list.length === 1 && !virtual) return dims(ctx, list);
  const rank = rankOf(ctx);
  if (rank === null) throw new ShapeUnknown(`input rank of ${ctx.className} is unknown`);
  const keep = new Set(list.map((a) => positive(ctx, a)));
  const shape: Expr[] = Array.from({ length: rank }, (_, i) =>
    keep.has(i) ? sym(keep.size === 1 ? 'C' : `dim${i}`, inputDim(ctx, i)) : lit(1),
  );
  if (virtual) shape.splice(1, 0, lit(1));
  return shape;
}

const batchNorm: LayerDef = {
  classNames: ['BatchNormalization', 'BatchNormalizationV1', 'BatchNormalizationV2', 'SyncBatchNormalization'],
  notes: 'renorm adds moving_stddev, renorm_mean, renorm_stddev (C); Keras 1: gamma, beta, running_mean, running_std',
  verifiedBy: 'tfjs',
  example: { config: {}, inputs: [[null, 8, 8, 64]] },
  weights: (ctx) => {
    const cfg = ctx.config;
    const shape = bnParamShape(ctx);
    // Keras 1 (config has `mode`): always gamma and beta, then running_mean and running_std.
    if (typeof cfg.mode === 'number') {
      return [fv('gamma', shape), fv('beta', shape), fv('running_mean', shape, false), fv('running_std', shape, false)];
    }
    const vars: VarSpec[] = [];
    if (bool(cfg, 'scale', true)) vars.push(fv('gamma', shape));
    if (bool(cfg, 'center', true)) vars.push(fv('beta', shape));
    vars.push(fv('moving_mean', shape, false), fv('moving_variance', shape, false));
    if (bool(cfg, 'renorm', false)) {
      vars.push(fv('moving_stddev', shape, false), fv('renorm_mean', shape, false), fv('renorm_stddev', shape, false));
    }
    return vars;
  },
};

const layerNorm: LayerDef = {
  classNames: ['LayerNormalization'],
  notes: "several axes: gamma, beta of the normalized axes' sizes; Keras 3 rms_scaling: gamma only",
  verifiedBy: 'tfjs',
  example: { config: {}, inputs: [[null, 10, 64]] },
  weights: (ctx) => {
    const cfg = ctx.config;
    const shape = dims(ctx, axes(cfg, -1));
    const rms = bool(cfg, 'rms_scaling', false);
    const vars: VarSpec[] = [];
    if (bool(cfg, 'scale', true) || rms) vars.push(fv('gamma', shape));
    if (bool(cfg, 'center', true) && !rms) vars.push(fv('beta', shape));
    return vars;
  },
};

const groupNorm: LayerDef = {
  classNames: ['GroupNormalization'],
  verifiedBy: 'hand',
  example: { config: { groups: 4 }, inputs: [[null, 8, 8, 64]] },
  weights: (ctx) => {
    const c = sym('C', inputDim(ctx, axes(ctx.config, -1)[0]));
    const vars: VarSpec[] = [];
    if (bool(ctx.config, 'scale', true)) vars.push(fv('gamma', [c]));
    if (bool(ctx.config, 'center', true)) vars.push(fv('beta', [c]));
    return vars;
  },
};

const unitNorm: LayerDef = {
  classNames: ['UnitNormalization'],
  notes: 'no weights',
  verifiedBy: 'hand',
};

const rmsNorm: LayerDef = {
  classNames: ['RMSNormalization'],
  notes: "several axes: scale of the normalized axes' sizes (sorted)",
  verifiedBy: 'hand',
  example: { config: {}, inputs: [[null, 10, 64]] },
  weights: (ctx) => {
    const list = axes(ctx.config, -1);
    const sorted = list.length > 1 ? [...list].sort((a, b) => a - b) : list;
    return [fv('scale', dims(ctx, sorted))];
  },
};

/**
 * The wrapped layer's variables (named `layer/…`: Keras 3 stores them under the wrapper's `layer` object),
 * then vector_u (1, kernel's last axis), non-trainable.
 */
const spectralNorm: LayerDef = {
  classNames: ['SpectralNormalization'],
  notes: "any wrapped layer with a kernel (or embeddings): its variables (layer/…) + vector_u (1, that kernel's last axis)",
  verifiedBy: 'hand',
  example: { config: { layer: { class_name: 'Dense', config: { units: 4 } } }, inputs: [[null, 3]] },
  weights: (ctx) => {
    const r = wrapped(ctx);
    const kernel = r.vars.find((x) => x.name === 'kernel') ?? r.vars.find((x) => x.name === 'embeddings');
    if (!kernel) throw new Error('the wrapped layer has no kernel nor embeddings');
    const inner = r.vars.map((x) => ({ ...x, name: `layer/${x.name}` }));
    const lastAxis = kernel.factors?.[kernel.factors.length - 1] ?? sym('kernel_last', kernel.shape[kernel.shape.length - 1] ?? null);
    return [...inner, fv('vector_u', [1, lastAxis], false)];
  },
  outputShape: (ctx) => wrapped(ctx).outputShape,
};

function wrapped(ctx: LayerContext): { vars: VarSpec[]; outputShape: Shape | Shape[] | null } {
  return innerResult(ctx, entryAt(ctx.config, 'layer'), ctx.inputShapes);
}

export const defs: LayerDef[] = [batchNorm, layerNorm, groupNorm, unitNorm, rmsNorm, spectralNorm];
