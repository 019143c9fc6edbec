// Pooling: no weights. Windowed pooling uses the conv length arithmetic with strides defaulting to the pool size;
// global pooling drops the spatial axes (or keeps them as 1 with `keepdims`).
import type { Shape } from '../model/types.js';
import { type LayerContext, type LayerDef, bool, str, tuple } from './registry.js';
import { keras1Args } from './keras1-args.js';
import { convOutLength, dataFormat, joinSpatial, splitSpatial } from './shapes.js';

function pooled(rank: number) {
  return (ctx: LayerContext): Shape => {
    const cfg = keras1Args(ctx.config);
    const df = dataFormat(cfg);
    const pool = tuple(cfg, 'pool_size', rank, 2);
    const strides = cfg.strides == null ? pool : tuple(cfg, 'strides', rank);
    const padding = str(cfg, 'padding', 'valid').toLowerCase();
    const { batch, spatial, channels } = splitSpatial({ ...ctx, config: cfg }, rank, df);
    // tuple() gives `rank` entries and splitSpatial `rank` spatial axes.
    return joinSpatial(
      batch,
      spatial.map((len, i) => convOutLength(len, pool[i]!, padding, strides[i]!)),
      channels,
      df,
    );
  };
}

function globalPooled(rank: number) {
  return (ctx: LayerContext): Shape => {
    const cfg = keras1Args(ctx.config); // Keras 1: dim_ordering
    const df = dataFormat(cfg);
    const { batch, channels } = splitSpatial(ctx, rank, df);
    if (!bool(cfg, 'keepdims', false)) return [batch, channels];
    return joinSpatial(batch, Array<number>(rank).fill(1), channels, df);
  };
}

/** Keras 3 adaptive pooling: the spatial axes become `output_size` (an int, or one int per axis), channels stay. */
function adaptivePooled(rank: number) {
  return (ctx: LayerContext): Shape => {
    const df = dataFormat(ctx.config);
    const { batch, channels } = splitSpatial(ctx, rank, df);
    return joinSpatial(batch, tuple(ctx.config, 'output_size', rank), channels, df);
  };
}

const WINDOW = 'no weights; out = ceil((len - pool + 1) / stride) (valid) or ceil(len / stride) (same)';
const GLOBAL = 'no weights; out = (batch, channels), or 1 per spatial axis with keepdims';
const ADAPTIVE = 'no weights; out spatial axes = output_size (channels kept, data_format respected)';

export const defs: LayerDef[] = [
  { classNames: ['MaxPooling1D', 'MaxPool1D'], notes: WINDOW, verifiedBy: 'tfjs', outputShape: pooled(1) },
  { classNames: ['MaxPooling2D', 'MaxPool2D'], notes: WINDOW, verifiedBy: 'tfjs', outputShape: pooled(2) },
  { classNames: ['MaxPooling3D', 'MaxPool3D'], notes: WINDOW, verifiedBy: 'tfjs', outputShape: pooled(3) },
  { classNames: ['AveragePooling1D', 'AvgPool1D'], notes: WINDOW, verifiedBy: 'tfjs', outputShape: pooled(1) },
  { classNames: ['AveragePooling2D', 'AvgPool2D'], notes: WINDOW, verifiedBy: 'tfjs', outputShape: pooled(2) },
  { classNames: ['AveragePooling3D', 'AvgPool3D'], notes: WINDOW, verifiedBy: 'tfjs', outputShape: pooled(3) },
  { classNames: ['GlobalMaxPooling1D', 'GlobalMaxPool1D'], notes: GLOBAL, verifiedBy: 'tfjs', outputShape: globalPooled(1) },
  { classNames: ['GlobalMaxPooling2D', 'GlobalMaxPool2D'], notes: GLOBAL, verifiedBy: 'tfjs', outputShape: globalPooled(2) },
  { classNames: ['GlobalMaxPooling3D', 'GlobalMaxPool3D'], notes: GLOBAL, verifiedBy: 'hand', outputShape: globalPooled(3) },
  { classNames: ['GlobalAveragePooling1D', 'GlobalAvgPool1D'], notes: GLOBAL, verifiedBy: 'tfjs', outputShape: globalPooled(1) },
  { classNames: ['GlobalAveragePooling2D', 'GlobalAvgPool2D'], notes: GLOBAL, verifiedBy: 'tfjs', outputShape: globalPooled(2) },
  { classNames: ['GlobalAveragePooling3D', 'GlobalAvgPool3D'], notes: GLOBAL, verifiedBy: 'hand', outputShape: globalPooled(3) },
  // Keras 3 only; TF.js has no adaptive pooling.
  { classNames: ['AdaptiveAveragePooling1D'], notes: ADAPTIVE, verifiedBy: 'hand', outputShape: adaptivePooled(1) },
  { classNames: ['AdaptiveAveragePooling2D'], notes: ADAPTIVE, verifiedBy: 'hand', outputShape: adaptivePooled(2) },
  { classNames: ['AdaptiveAveragePooling3D'], notes: ADAPTIVE, verifiedBy: 'hand', outputShape: adaptivePooled(3) },
  { classNames: ['AdaptiveMaxPooling1D'], notes: ADAPTIVE, verifiedBy: 'hand', outputShape: adaptivePooled(1) },
  { classNames: ['AdaptiveMaxPooling2D'], notes: ADAPTIVE, verifiedBy: 'hand', outputShape: adaptivePooled(2) },
  { classNames: ['AdaptiveMaxPooling3D'], notes: ADAPTIVE, verifiedBy: 'hand', outputShape: adaptivePooled(3) },
];
