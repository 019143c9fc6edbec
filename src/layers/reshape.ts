// Reshaping layers: no weights, only output shapes.
import type { Shape } from '../model/types.js';
import { type LayerContext, type LayerDef, ShapeUnknown, input0, num, tuple } from './registry.js';
import { keras1Args } from './keras1-args.js';
import { elements, knownElements } from '../model/shape.js';
import { dataFormat, joinSpatial, pairs, splitSpatial } from './shapes.js';

type Dim = number | null;

function flatten(ctx: LayerContext): Shape {
  const s = input0(ctx);
  const rest = s.slice(1);
  return [s[0] ?? null, rest.length === 0 ? 1 : knownElements(rest)];
}

function reshape(ctx: LayerContext): Shape {
  const s = input0(ctx);
  const target = (ctx.config.target_shape ?? ctx.config.dims) as Dim[] | undefined;
  if (!Array.isArray(target)) throw new Error('config key "target_shape" is missing');
  const dims = target.map((d) => (typeof d === 'number' && d >= 0 ? d : -1));
  const unknown = dims.indexOf(-1);
  if (unknown < 0) return [s[0] ?? null, ...dims];
  const total = knownElements(s.slice(1));
  const known = dims.reduce((n, d) => (d === -1 ? n : n * d), 1);
  const out: Dim[] = dims.map((d) => (d === -1 ? null : d));
  if (total !== null && known > 0) out[unknown] = total / known;
  return [s[0] ?? null, ...out];
}

function permute(ctx: LayerContext): Shape {
  const s = input0(ctx);
  const dims = ctx.config.dims;
  if (!Array.isArray(dims)) throw new Error('config key "dims" is missing');
  return [s[0] ?? null, ...dims.map((d) => s[d as number] ?? null)];
}

function repeatVector(ctx: LayerContext): Shape {
  const s = input0(ctx);
  return [s[0] ?? null, num(ctx.config, 'n'), ...s.slice(1)];
}

/**
 * Cropping (sign -1) and zero padding (sign +1) over `rank` spatial axes. Keras 1 configs go through
 * keras1Args: dim_ordering, and ZeroPadding2D's (top, bottom, left, right) or dict padding.
 */
function pad(rank: number, key: string, fallback: number, sign: 1 | -1) {
  return (ctx: LayerContext): Shape => {
    const cfg = keras1Args(ctx.config);
    const df = rank === 1 ? 'channels_last' : dataFormat(cfg);
    const { batch, spatial, channels } = splitSpatial(ctx, rank, df);
    const p = pairs(cfg[key], rank, fallback);
    // pairs() gives `rank` pairs and splitSpatial `rank` spatial axes.
    const out = spatial.map((len, i) => (len === null ? null : len + sign * (p[i]![0] + p[i]![1])));
    return joinSpatial(batch, out, channels, df);
  };
}

/** Keras 1 configs go through keras1Args: dim_ordering, and UpSampling1D's `length` as `size`. */
function upSampling(rank: number) {
  return (ctx: LayerContext): Shape => {
    const cfg = keras1Args(ctx.config);
    const df = rank === 1 ? 'channels_last' : dataFormat(cfg);
    const { batch, spatial, channels } = splitSpatial(ctx, rank, df);
    const size = tuple(cfg, 'size', rank, 2);
    // tuple() gives `rank` entries and splitSpatial `rank` spatial axes.
    return joinSpatial(
      batch,
      spatial.map((len, i) => (len === null ? null : len * size[i]!)),
      channels,
      df,
    );
  };
}

/**
 * Keras 3 ReconstructPatches2D/3D: a grid of flattened patches (…grid, patch volume · C) back to an image of
 * `output_size`, with C = flattened axis / product(size). Batched (rank + 2 axes) or unbatched (rank + 1).
 */
function reconstructPatches(rank: number) {
  return (ctx: LayerContext): Shape => {
    const s = input0(ctx);
    const df = dataFormat(ctx.config);
    const batched = s.length === rank + 2;
    if (!batched && s.length !== rank + 1)
      throw new ShapeUnknown(`${ctx.className} expects a rank-${rank + 2} input, got [${s.join(', ')}]`);
    const volume = elements(tuple(ctx.config, 'size', rank));
    const flat = df === 'channels_first' ? s[batched ? 1 : 0] : s[s.length - 1];
    const channels = flat === null || flat === undefined ? null : Math.floor(flat / volume);
    const out = joinSpatial(null, tuple(ctx.config, 'output_size', rank), channels, df);
    return batched ? [s[0] ?? null, ...out.slice(1)] : out.slice(1);
  };
}

const NONE = 'no weights';

export const defs: LayerDef[] = [
  { classNames: ['Flatten'], notes: `${NONE}; out = (batch, product of the other axes)`, verifiedBy: 'tfjs', outputShape: flatten },
  { classNames: ['Reshape'], notes: `${NONE}; out = (batch, *target_shape) with -1 inferred`, verifiedBy: 'tfjs', outputShape: reshape },
  { classNames: ['Permute'], notes: `${NONE}; out = input axes in the order of dims (1-based)`, verifiedBy: 'tfjs', outputShape: permute },
  { classNames: ['RepeatVector'], notes: `${NONE}; out = (batch, n, features)`, verifiedBy: 'tfjs', outputShape: repeatVector },
  {
    classNames: ['Cropping1D'],
    notes: `${NONE}; out len = len - before - after`,
    verifiedBy: 'hand',
    outputShape: pad(1, 'cropping', 1, -1),
  },
  {
    classNames: ['Cropping2D'],
    notes: `${NONE}; out len = len - before - after per axis`,
    verifiedBy: 'tfjs',
    outputShape: pad(2, 'cropping', 0, -1),
  },
  {
    classNames: ['Cropping3D'],
    notes: `${NONE}; out len = len - before - after per axis`,
    verifiedBy: 'hand',
    outputShape: pad(3, 'cropping', 1, -1),
  },
  {
    classNames: ['ZeroPadding1D'],
    notes: `${NONE}; out len = len + before + after`,
    verifiedBy: 'hand',
    outputShape: pad(1, 'padding', 1, 1),
  },
  {
    classNames: ['ZeroPadding2D'],
    notes: `${NONE}; out len = len + before + after per axis`,
    verifiedBy: 'tfjs',
    outputShape: pad(2, 'padding', 1, 1),
  },
  {
    classNames: ['ZeroPadding3D'],
    notes: `${NONE}; out len = len + before + after per axis`,
    verifiedBy: 'hand',
    outputShape: pad(3, 'padding', 1, 1),
  },
  { classNames: ['UpSampling1D'], notes: `${NONE}; out len = len * size`, verifiedBy: 'hand', outputShape: upSampling(1) },
  { classNames: ['UpSampling2D'], notes: `${NONE}; out len = len * size per axis`, verifiedBy: 'tfjs', outputShape: upSampling(2) },
  { classNames: ['UpSampling3D'], notes: `${NONE}; out len = len * size per axis`, verifiedBy: 'hand', outputShape: upSampling(3) },
  {
    classNames: ['ReconstructPatches2D'],
    notes: `${NONE}; out = (batch, *output_size, C), C = flat axis / (pH·pW)`,
    verifiedBy: 'hand',
    outputShape: reconstructPatches(2),
  },
  {
    classNames: ['ReconstructPatches3D'],
    notes: `${NONE}; out = (batch, *output_size, C), C = flat axis / (pD·pH·pW)`,
    verifiedBy: 'hand',
    outputShape: reconstructPatches(3),
  },
];
