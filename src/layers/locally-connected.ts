// LocallyConnected1D/2D (tf.keras 2 and Keras 1/2; gone in Keras 3): a convolution whose weights are not shared
// between output positions. The kernel's layout depends on `implementation`:
//   1: (out_positions, k·in, filters)                                — one dense patch matrix per position
//   2: (*in_spatial, in, *out_spatial, filters) (channels_last) or (in, *in_spatial, filters, *out_spatial)
//      — a dense kernel masked to the connected pairs, large by design
//   3: (n,) — only the connected (input, output) pairs: n = Σ connected input positions × in × filters
// and bias (*out_spatial, filters) in every implementation.
import { type LayerContext, type LayerDef, ShapeUnknown, bool, num, str, tuple } from './registry.js';
import { keras1Args } from './keras1-args.js';
import { type Expr, fv, kernelFactors, mul, sym } from './expr.js';

const AXES = ['h', 'w', 'd'];
import { convOutLength, dataFormat, joinSpatial, splitSpatial } from './shapes.js';

type Dim = number | null;

function parse(ctx: LayerContext, rank: number) {
  const cfg = keras1Args(ctx.config);
  const df = dataFormat(cfg);
  const a = {
    df,
    kernel: tuple(cfg, 'kernel_size', rank),
    strides: tuple(cfg, 'strides', rank, 1),
    padding: str(cfg, 'padding', 'valid').toLowerCase(),
    filters: num(cfg, 'filters'),
    useBias: bool(cfg, 'use_bias', true),
    implementation: num(cfg, 'implementation', 1),
  };
  const { batch, spatial, channels } = splitSpatial({ ...ctx, config: cfg }, rank, df);
  // tuple() gives `rank` entries and splitSpatial `rank` spatial axes.
  const out = spatial.map((len, i) => convOutLength(len, a.kernel[i]!, a.padding, a.strides[i]!));
  return { ...a, batch, spatial, channels, out };
}

/**
 * How many input positions along one axis feed the output positions, summed over the output positions
 * (Keras `conv_connected_inputs`: a window of k starting at o·stride, shifted by ⌊k/2⌋ for "same", clipped
 * to the input).
 */
function connectedAlongAxis(len: number, k: number, stride: number, padding: string, outLen: number): number {
  const left = Math.floor(k / 2);
  let n = 0;
  for (let o = 0; o < outLen; o++) {
    const center = o * stride + (padding === 'valid' ? left : 0);
    n += Math.max(0, Math.min(len, center + k - left) - Math.max(0, center - left));
  }
  return n;
}

function def(rank: number, className: string): LayerDef {
  return {
    classNames: [className],
    notes: 'shown: implementation 1; 2: kernel (*in_spatial, in, *out_spatial, filters); 3: kernel (connections·in·filters,)',
    verifiedBy: 'hand',
    example: { config: { filters: 8, kernel_size: 3 }, inputs: [[null, ...Array<number>(rank).fill(10), 4]] },
    weights: (ctx) => {
      const a = parse(ctx, rank);
      const known = (ds: Dim[], what: string): number[] => {
        if (ds.some((d) => d === null)) throw new ShapeUnknown(`${what} of ${className} must be known to size its kernel`);
        return ds as number[];
      };
      const k = kernelFactors(a.kernel);
      const inSp = a.spatial.map((d, i) => sym(rank === 1 ? 'len' : `in_${AXES[i]}`, d));
      const outSp = a.out.map((d, i) => sym(rank === 1 ? 'out_len' : `out_${AXES[i]}`, d));
      const ch = sym('in', a.channels);
      const f = sym('filters', a.filters);
      let kernel: Expr[];
      if (a.implementation === 1) {
        kernel = [mul(...outSp), mul(...k, ch), f];
      } else if (a.implementation === 2) {
        kernel = a.df === 'channels_first' ? [ch, ...inSp, f, ...outSp] : [...inSp, ch, ...outSp, f];
      } else if (a.implementation === 3) {
        const spatial = known(a.spatial, 'the input spatial size');
        const out = known(a.out, 'the output spatial size');
        // `rank` entries each (tuple(), splitSpatial, and `out` is mapped from the spatial axes).
        const pairs = spatial.map((len, i) => connectedAlongAxis(len, a.kernel[i]!, a.strides[i]!, a.padding, out[i]!));
        kernel = [mul(...pairs.map((p, i) => sym(rank === 1 ? 'connections' : `connections_${AXES[i]}`, p)), ch, f)];
      } else {
        throw new Error(`implementation ${a.implementation} is not 1, 2 or 3`);
      }
      return [fv('kernel', kernel), ...(a.useBias ? [fv('bias', [...outSp, f])] : [])];
    },
    outputShape: (ctx) => {
      const a = parse(ctx, rank);
      return joinSpatial(a.batch, a.out, a.filters, a.df);
    },
  };
}

export const defs: LayerDef[] = [def(1, 'LocallyConnected1D'), def(2, 'LocallyConnected2D')];
