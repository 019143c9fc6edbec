// Shape arithmetic shared by the conv, pooling and reshape families (the same arithmetic Keras and TF.js use).
import type { Shape } from '../model/types.js';
import { type Cfg, type LayerContext, ShapeUnknown, input0, str } from './registry.js';

export type DataFormat = 'channels_last' | 'channels_first';
type Dim = number | null;

export function dataFormat(cfg: Cfg): DataFormat {
  return str(cfg, 'data_format', 'channels_last') === 'channels_first' ? 'channels_first' : 'channels_last';
}

/** The channel axis of a (batch, …spatial, channels) tensor: 1 for channels_first, -1 otherwise. */
export function channelAxis(df: DataFormat): number {
  return df === 'channels_first' ? 1 : -1;
}

/** Splits the first input into batch, `rank` spatial axes and channels, or throws ShapeUnknown. */
export function splitSpatial(ctx: LayerContext, rank: number, df: DataFormat): { batch: Dim; spatial: Dim[]; channels: Dim } {
  const s = input0(ctx);
  if (s.length !== rank + 2) throw new ShapeUnknown(`${ctx.className} expects a rank-${rank + 2} input, got [${s.join(', ')}]`);
  // rank + 2 axes, checked above
  return df === 'channels_first'
    ? { batch: s[0]!, channels: s[1]!, spatial: s.slice(2) }
    : { batch: s[0]!, channels: s[rank + 1]!, spatial: s.slice(1, rank + 1) };
}

export function joinSpatial(batch: Dim, spatial: Dim[], channels: Dim, df: DataFormat): Shape {
  return df === 'channels_first' ? [batch, channels, ...spatial] : [batch, ...spatial, channels];
}

/** Output length of a convolution or pooling window (padding valid/same/causal/full). */
export function convOutLength(len: Dim, kernel: number, padding: string, stride: number, dilation = 1): Dim {
  if (len === null) return null;
  const k = kernel + (kernel - 1) * (dilation - 1);
  let out: number;
  if (padding === 'valid') out = len - k + 1;
  else if (padding === 'full') out = len + k - 1;
  else out = len; // same, causal
  return Math.floor((out + stride - 1) / stride);
}

/** Output length of a transposed convolution (Keras `deconv_output_length`). */
export function deconvOutLength(
  len: Dim,
  kernel: number,
  padding: string,
  outputPadding: number | null,
  stride: number,
  dilation = 1,
): Dim {
  if (len === null) return null;
  const k = kernel + (kernel - 1) * (dilation - 1);
  if (outputPadding === null) {
    if (padding === 'valid') return len * stride + Math.max(k - stride, 0);
    if (padding === 'full') return len * stride - (stride + k - 2);
    return len * stride;
  }
  const pad = padding === 'same' ? Math.floor(k / 2) : padding === 'full' ? k - 1 : 0;
  return (len - 1) * stride + k - 2 * pad + outputPadding;
}

/** Keras' elementwise-merge broadcast of two shapes without their batch axes (null = unknown). */
export function broadcast(a: Dim[], b: Dim[]): Dim[] {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const lead = long.slice(0, long.length - short.length);
  const tail = long.slice(long.length - short.length).map((i, n) => {
    const j = short[n]!; // the tail has short.length axes
    if (i === null || j === null) return null;
    if (i === 1) return j;
    if (j === 1) return i;
    if (i !== j) throw new Error(`shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`);
    return i;
  });
  return [...lead, ...tail];
}

/** A symmetric-or-pair spec (`1`, `[1, 2]`) as a (before, after) pair. */
export function pair(v: unknown, fallback: number): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0]!, v[1]!];
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return [v[0], v[0]];
  return [fallback, fallback];
}

/**
 * A per-axis padding/cropping spec for `rank` spatial axes: an int (all sides), one int per axis (symmetric),
 * or one (before, after) pair per axis.
 */
export function pairs(v: unknown, rank: number, fallback: number): [number, number][] {
  if (typeof v === 'number') return Array.from({ length: rank }, () => [v, v]);
  if (rank === 1) return [pair(v, fallback)];
  if (Array.isArray(v) && v.length === rank) return v.map((x) => pair(x, fallback));
  return Array.from({ length: rank }, () => [fallback, fallback]);
}
