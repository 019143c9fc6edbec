// Keras 1-only layer classes (gone in Keras 2): AtrousConvolution1D/2D, Merge, Highway, MaxoutDense,
// TimeDistributedDense. Keras 1 spellings of classes Keras 2 kept (Convolution2D, Dense with output_dim, …)
// are served by their Keras 2 entries after keras1Args() (keras1-args.ts); Keras 1 RNNs and BatchNormalization
// by rnn.ts and norm.ts.
//
// Keras 1 stored conv kernels as `W` in its own layout (kept here, exported for conv.ts):
//   Convolution1D:  (k, 1, in, f)                       — a 2D conv over a dummy axis
//   Convolution2D:  'tf' (r, c, in, f), 'th' (f, in, r, c);  Convolution3D likewise with three kernel axes
//   SeparableConvolution2D: 'tf' depthwise (r, c, in, dm), pointwise (1, 1, in·dm, f);
//                           'th' depthwise (dm, in, r, c), pointwise (f, in·dm, 1, 1)
import type { Shape, VarSpec } from '../model/types.js';
import { type Cfg, type LayerContext, type LayerDef, ShapeUnknown, bool, input0, inputDim, num, str, tuple } from './registry.js';
import { keras1Args } from './keras1-args.js';
import { fv, kernelFactors, mul, sym } from './expr.js';
import { convMacs } from './macs.js';
import { channelAxis, convOutLength, dataFormat, joinSpatial, splitSpatial } from './shapes.js';

type Dim = number | null;

/**
 * The variables a Keras 1 convolution stored (`W`, or depthwise/pointwise kernels, then `b`), in Keras 1's
 * layout. `rank` is the number of spatial axes; `cfg` a Keras 1 config (nb_filter, nb_row, …).
 */
export function keras1ConvVars(kind: 'conv' | 'separable', rank: number, cfg: Cfg, inCh: Dim): VarSpec[] {
  const k2 = keras1Args(cfg);
  const f = sym('filters', num(k2, 'filters'));
  const kernel = kernelFactors(tuple(k2, 'kernel_size', rank));
  const th = str(cfg, 'dim_ordering', 'tf') === 'th';
  const bias = bool(k2, 'use_bias', true) ? [fv('b', [f])] : [];
  const inDim = sym('in', inCh);
  if (kind === 'separable') {
    const dm = sym('depth_multiplier', num(k2, 'depth_multiplier', 1));
    const ones = Array<number>(rank).fill(1);
    return th
      ? [fv('depthwise_kernel', [dm, inDim, ...kernel]), fv('pointwise_kernel', [f, mul(inDim, dm), ...ones]), ...bias]
      : [fv('depthwise_kernel', [...kernel, inDim, dm]), fv('pointwise_kernel', [...ones, mul(inDim, dm), f]), ...bias];
  }
  if (rank === 1) return [fv('W', [kernel[0]!, 1, inDim, f]), ...bias];
  return [fv('W', th ? [f, inDim, ...kernel] : [...kernel, inDim, f]), ...bias];
}

/** AtrousConvolution1D/2D: a Keras 1 convolution with `atrous_rate` as the dilation. */
function atrous(rank: number, className: string): LayerDef {
  return {
    classNames: [className],
    notes: rank === 1 ? '' : "'th' ordering: W (f, in, r, c)",
    verifiedBy: 'hand',
    example: {
      config:
        rank === 1
          ? { nb_filter: 32, filter_length: 3, atrous_rate: 2 }
          : { nb_filter: 32, nb_row: 3, nb_col: 3, atrous_rate: [2, 2], dim_ordering: 'tf' },
      inputs: [[null, ...Array<number>(rank).fill(16), 8]],
    },
    weights: (ctx) => {
      const cfg = keras1Args(ctx.config);
      return keras1ConvVars('conv', rank, ctx.config, inputDim(ctx, channelAxis(dataFormat(cfg))));
    },
    outputShape: (ctx) => {
      const cfg = keras1Args(ctx.config);
      const df = dataFormat(cfg);
      const kernel = tuple(cfg, 'kernel_size', rank);
      const strides = tuple(cfg, 'strides', rank, 1);
      const dilation = tuple(cfg, 'dilation_rate', rank, 1);
      const padding = str(cfg, 'padding', 'valid').toLowerCase();
      const { batch, spatial } = splitSpatial({ ...ctx, config: cfg }, rank, df);
      // tuple() gives `rank` entries and splitSpatial `rank` spatial axes.
      const out = spatial.map((len, i) => convOutLength(len, kernel[i]!, padding, strides[i]!, dilation[i]!));
      return joinSpatial(batch, out, num(cfg, 'filters'), df);
    },
    // A dilated convolution costs what a plain one does per output position: kernel·in·filters.
    macs: convMacs('conv', rank),
  };
}

// ── Merge (Keras 1's one merge layer, configured by `mode`) ─────────────────────────────────────────

function mergeShape(ctx: LayerContext): Shape {
  const cfg = ctx.config;
  const shapes = ctx.inputShapes;
  if (shapes.length === 0 || shapes.some((s) => s === null)) throw new ShapeUnknown('an input shape of Merge is unknown');
  const ins = shapes as Shape[];
  const first = ins[0]!; // length checked above
  if (Array.isArray(cfg.output_shape))
    return [first[0] ?? null, ...(cfg.output_shape as Dim[]).map((d) => (typeof d === 'number' ? d : null))];
  const mode = str(cfg, 'mode', 'sum');
  if (mode === 'concat') {
    const rank = first.length;
    const raw = num(cfg, 'concat_axis', -1);
    const axis = raw < 0 ? rank + raw : raw;
    if (!Number.isInteger(axis) || axis < 0 || axis >= rank) throw new Error(`concat_axis ${raw} is out of range for rank ${rank}`);
    const out = [...first];
    out[axis] = ins.reduce<Dim>((n, s) => (n === null || s[axis] == null ? null : n + (s[axis] as number)), 0);
    return out;
  }
  if (mode === 'dot' || mode === 'cos') {
    const [a, b] = ins;
    if (!a || !b) throw new Error(`Merge mode ${mode} needs two inputs, got ${ins.length}`);
    const raw = cfg.dot_axes ?? -1;
    const pair = typeof raw === 'number' ? [raw, raw] : raw;
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((x) => typeof x === 'number')) {
      throw new Error(`config key "dot_axes" is not an int or a pair of ints`);
    }
    const [p0, p1] = pair as [number, number];
    const ax = [p0 < 0 ? a.length + p0 : p0, p1 < 0 ? b.length + p1 : p1];
    const out = [...a.filter((_, i) => i !== ax[0]), ...b.filter((_, i) => i !== ax[1]).slice(1)];
    return out.length === 1 ? [...out, 1] : out;
  }
  if (['sum', 'mul', 'ave', 'max'].includes(mode)) return first;
  throw new Error(`Merge mode ${mode} has no known output shape (a callable mode needs output_shape)`);
}

// ── Keras 1 dense-like layers ───────────────────────────────────────────────────────────────────────

const highway: LayerDef = {
  classNames: ['Highway'],
  verifiedBy: 'hand',
  example: { config: {}, inputs: [[null, 10]] },
  weights: (ctx) => {
    const d = sym('in', inputDim(ctx));
    const vars = [fv('W', [d, d]), fv('W_carry', [d, d])];
    if (bool(ctx.config, 'bias', true)) vars.push(fv('b', [d]), fv('b_carry', [d]));
    return vars;
  },
};

const maxoutDense: LayerDef = {
  classNames: ['MaxoutDense'],
  verifiedBy: 'hand',
  example: { config: { output_dim: 8, nb_feature: 4 }, inputs: [[null, 10]] },
  weights: (ctx) => {
    const k = sym('nb_feature', num(ctx.config, 'nb_feature', 4));
    const out = sym('output_dim', num(ctx.config, 'output_dim'));
    return [fv('W', [k, sym('in', inputDim(ctx)), out]), ...(bool(ctx.config, 'bias', true) ? [fv('b', [k, out])] : [])];
  },
  outputShape: (ctx) => [input0(ctx)[0] ?? null, num(ctx.config, 'output_dim')],
};

const timeDistributedDense: LayerDef = {
  classNames: ['TimeDistributedDense'],
  notes: 'applied at every time step',
  verifiedBy: 'hand',
  example: { config: { output_dim: 8 }, inputs: [[null, 5, 10]] },
  weights: (ctx) => {
    const out = sym('output_dim', num(ctx.config, 'output_dim'));
    return [fv('W', [sym('in', inputDim(ctx)), out]), ...(bool(ctx.config, 'bias', true) ? [fv('b', [out])] : [])];
  },
  outputShape: (ctx) => {
    const s = input0(ctx);
    return [s[0] ?? null, s[1] ?? null, num(ctx.config, 'output_dim')];
  },
};

export const defs: LayerDef[] = [
  atrous(1, 'AtrousConvolution1D'),
  atrous(2, 'AtrousConvolution2D'),
  {
    classNames: ['Merge'],
    notes: 'no weights; concat adds the concat_axis sizes, dot/cos drop the dot_axes',
    verifiedBy: 'hand',
    outputShape: mergeShape,
  },
  highway,
  maxoutDense,
  timeDistributedDense,
];
