// Convolutions: Conv1D/2D/3D, their transposes, separable and depthwise convolutions.
// The channel axis follows `data_format`; output lengths use the Keras/TF.js conv arithmetic (shapes.ts).
// Keras 1 configs (Convolution1D/2D/3D, Deconvolution2D, SeparableConvolution2D) are read through keras1Args
// and expect the variables Keras 1 stored, in its layouts (keras1ConvVars in keras1.ts).
import type { Shape } from '../model/types.js';
import { type Cfg, type LayerContext, type LayerDef, bool, inputDim, num, str, tuple } from './registry.js';
import { isKeras1, keras1Args } from './keras1-args.js';
import { keras1ConvVars } from './keras1.js';
import { type Size, div, fv, kernelFactors, mul, sym } from './expr.js';
import { type ConvKind, convMacs } from './macs.js';
import { channelAxis, convOutLength, dataFormat, deconvOutLength, joinSpatial, splitSpatial } from './shapes.js';

type Kind = ConvKind;

interface ConvArgs {
  kernel: number[];
  strides: number[];
  dilation: number[];
  padding: string;
  df: ReturnType<typeof dataFormat>;
  useBias: boolean;
  /** Input channels (null when the input is unknown). */
  inCh: number | null;
}

function args(ctx: LayerContext, rank: number): ConvArgs & { cfg: Cfg } {
  const cfg = keras1Args(ctx.config);
  const df = dataFormat(cfg);
  return {
    cfg,
    kernel: tuple(cfg, 'kernel_size', rank),
    strides: tuple(cfg, 'strides', rank, 1),
    dilation: tuple(cfg, 'dilation_rate', rank, 1),
    padding: str(cfg, 'padding', 'valid').toLowerCase(),
    df,
    useBias: bool(cfg, 'use_bias', true),
    inCh: inputDim({ ...ctx, config: cfg }, channelAxis(df)),
  };
}

const ones = (rank: number) => Array<number>(rank).fill(1);

function weights(kind: Kind, rank: number) {
  return (ctx: LayerContext) => {
    const a = args(ctx, rank);
    if (isKeras1(ctx.config) && kind !== 'depthwise') {
      // Keras 1's Deconvolution2D built its `W` like Convolution2D's (stack_size = input channels).
      return keras1ConvVars(kind === 'separable' ? 'separable' : 'conv', rank, ctx.config, a.inCh);
    }
    const k = kernelFactors(a.kernel);
    const inCh = sym('in', a.inCh);
    const bias = (n: Size) => (a.useBias ? [fv('bias', [n])] : []);
    switch (kind) {
      case 'conv': {
        const filters = sym('filters', num(a.cfg, 'filters'));
        const groups = num(a.cfg, 'groups', 1);
        // Grouped convolutions see in/groups channels per filter; groups=1 is the plain `in`.
        const perGroup = groups === 1 ? inCh : div(inCh, sym('groups', groups));
        return [fv('kernel', [...k, perGroup, filters]), ...bias(filters)];
      }
      case 'transpose': {
        const filters = sym('filters', num(a.cfg, 'filters'));
        return [fv('kernel', [...k, filters, inCh]), ...bias(filters)];
      }
      case 'separable': {
        const filters = sym('filters', num(a.cfg, 'filters'));
        const dm = sym('depth_multiplier', num(a.cfg, 'depth_multiplier', 1));
        return [
          fv('depthwise_kernel', [...k, inCh, dm]),
          fv('pointwise_kernel', [...ones(rank), mul(inCh, dm), filters]),
          ...bias(filters),
        ];
      }
      case 'depthwise': {
        const dm = sym('depth_multiplier', num(a.cfg, 'depth_multiplier', 1));
        return [fv('depthwise_kernel', [...k, inCh, dm]), ...bias(mul(inCh, dm))];
      }
    }
  };
}

function outputShape(kind: Kind, rank: number) {
  return (ctx: LayerContext): Shape => {
    const a = args(ctx, rank);
    if (kind === 'transpose' && isKeras1(ctx.config) && Array.isArray(a.cfg.output_shape)) return keras1DeconvShape(ctx, rank, a);
    const { batch, spatial, channels } = splitSpatial(ctx, rank, a.df);
    let outSpatial: (number | null)[];
    // tuple() gives `rank` entries and splitSpatial `rank` spatial axes: every [i] below is in range.
    if (kind === 'transpose') {
      const op = a.cfg.output_padding == null ? null : tuple(a.cfg, 'output_padding', rank);
      outSpatial = spatial.map((len, i) =>
        deconvOutLength(len, a.kernel[i]!, a.padding, op ? op[i]! : null, a.strides[i]!, a.dilation[i]!),
      );
    } else {
      outSpatial = spatial.map((len, i) => convOutLength(len, a.kernel[i]!, a.padding, a.strides[i]!, a.dilation[i]!));
    }
    const outCh = kind === 'depthwise' ? (channels === null ? null : channels * num(a.cfg, 'depth_multiplier', 1)) : num(a.cfg, 'filters');
    return joinSpatial(batch, outSpatial, outCh, a.df);
  };
}

/**
 * Keras 1 Deconvolution2D took its output size from the config's `output_shape` (batch included, laid out by
 * dim_ordering): the spatial axes come from there, the channels are nb_filter, the batch is the input's.
 */
function keras1DeconvShape(ctx: LayerContext, rank: number, a: ConvArgs & { cfg: Cfg }): Shape {
  const declared = a.cfg.output_shape as unknown[];
  const dims = declared.map((d) => (typeof d === 'number' ? d : null));
  const spatial = a.df === 'channels_first' ? dims.slice(2, 2 + rank) : dims.slice(1, 1 + rank);
  return joinSpatial(ctx.inputShapes[0]?.[0] ?? null, spatial, num(a.cfg, 'filters'), a.df);
}

function def(kind: Kind, rank: number, classNames: string[], notes: string, verifiedBy: LayerDef['verifiedBy']): LayerDef {
  const spatial = Array<number>(rank).fill(16);
  const config = { filters: 32, kernel_size: 3, ...(kind === 'separable' || kind === 'depthwise' ? { depth_multiplier: 2 } : {}) };
  const example = { config: kind === 'depthwise' ? { kernel_size: 3, depth_multiplier: 2 } : config, inputs: [[null, ...spatial, 8]] };
  return {
    classNames,
    notes,
    verifiedBy,
    weights: weights(kind, rank),
    outputShape: outputShape(kind, rank),
    example,
    macs: convMacs(kind, rank),
  };
}

const K1 = "Keras 1: W (*k, in, f) ('tf') or (f, in, *k) ('th'), Convolution1D W (k, 1, in, f), + b (f)";
const CONV = `groups > 1: kernel (*k, in/groups, filters); ${K1}`;
const TRANSPOSE = `${K1}, output from output_shape`;
const SEPARABLE = "Keras 1 'th': depthwise (dm, in, *k), pointwise (f, in*dm, 1..), b";
const DEPTHWISE = '';

export const defs: LayerDef[] = [
  def('conv', 1, ['Conv1D', 'Convolution1D'], CONV, 'tfjs'),
  def('conv', 2, ['Conv2D', 'Convolution2D'], CONV, 'tfjs'),
  def('conv', 3, ['Conv3D', 'Convolution3D'], CONV, 'tfjs'),
  def('transpose', 1, ['Conv1DTranspose', 'Convolution1DTranspose'], TRANSPOSE, 'hand'),
  def('transpose', 2, ['Conv2DTranspose', 'Convolution2DTranspose', 'Deconvolution2D'], TRANSPOSE, 'tfjs'),
  def('transpose', 3, ['Conv3DTranspose', 'Convolution3DTranspose', 'Deconvolution3D'], TRANSPOSE, 'tfjs'),
  def('separable', 1, ['SeparableConv1D', 'SeparableConvolution1D'], SEPARABLE, 'hand'),
  def('separable', 2, ['SeparableConv2D', 'SeparableConvolution2D'], SEPARABLE, 'tfjs'),
  def('depthwise', 1, ['DepthwiseConv1D'], DEPTHWISE, 'hand'),
  def('depthwise', 2, ['DepthwiseConv2D'], DEPTHWISE, 'tfjs'),
];
