// Helpers the multiply-accumulate rules share. The rules themselves live beside the weight and shape rules in
// each family module (`macs` in a LayerDef); index.ts applies them (estimateMacs). A rule never guesses: an
// unknown size gives `macs: null` with the reason.
import type { Shape } from '../model/types.js';
import { keras1Args } from './keras1-args.js';
import type { Cfg, MacContext, MacEstimate } from './registry.js';

/** The convolution families a MAC rule distinguishes. */
export type ConvKind = 'conv' | 'transpose' | 'separable' | 'depthwise';

/** A finite number from a config value, or null. */
export const macNum = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** An int or a list of `rank` ints (kernel_size), or null. */
export function macInts(x: unknown, rank: number): number[] | null {
  if (typeof x === 'number') return Array.from({ length: rank }, () => x);
  if (Array.isArray(x) && x.length === rank && x.every((v) => typeof v === 'number')) return x as number[];
  return null;
}

/** The product of sizes, or null when one is unknown. */
export function prod(xs: readonly (number | null)[]): number | null {
  let p = 1;
  for (const x of xs) {
    if (x === null) return null;
    p *= x;
  }
  return p;
}

/** Spatial axes and channel count of a conv input/output, honouring `data_format`. */
export function channelsSplit(shape: Shape, cfg: Cfg): { spatial: (number | null)[]; channels: number | null } {
  const first = cfg.data_format === 'channels_first';
  const rest = shape.slice(1);
  return first
    ? { channels: rest[0] ?? null, spatial: rest.slice(1) }
    : { channels: rest[rest.length - 1] ?? null, spatial: rest.slice(0, -1) };
}

/** No estimate because a size is not known. */
export const unknownMacs = (what: string): MacEstimate => ({ macs: null, rule: `${what} unknown` });

/**
 * Multiply-accumulates of one sample: every output position of every filter sums kernel·(in/groups) products
 * (conv); a transpose spreads every input position over kernel·filters outputs; a depthwise convolution
 * filters each input channel depth_multiplier times; separable adds the 1×1 pointwise step.
 */
export function convMacs(kind: ConvKind, rank: number) {
  return (ctx: MacContext): MacEstimate => {
    // Keras 1 argument names (nb_filter, nb_row, subsample, …) are read as their Keras 2 equivalents.
    const cfg = keras1Args(ctx.config);
    const input = ctx.inputShapes[0] ?? null;
    const output = ctx.outputShape;
    const k = macInts(cfg.kernel_size, rank);
    const filters = macNum(cfg.filters);
    const dm = macNum(cfg.depth_multiplier) ?? 1;
    if (kind === 'transpose') {
      if (!input || !k || filters === null) return unknownMacs('a shape');
      const { channels: inC, spatial } = channelsSplit(input, cfg);
      const inSpatial = prod(spatial);
      if (inC === null || inSpatial === null) return unknownMacs('a shape');
      const kk = prod(k)!;
      return { macs: kk * inC * filters * inSpatial, rule: `kernel·in·filters·in_positions = ${kk}·${inC}·${filters}·${inSpatial}` };
    }
    if (!input || !output || !k || (kind !== 'depthwise' && filters === null)) return unknownMacs('a shape');
    const inC = channelsSplit(input, cfg).channels;
    const outSpatial = prod(channelsSplit(output, cfg).spatial);
    if (inC === null || outSpatial === null) return unknownMacs('a shape');
    const kk = prod(k)!;
    const f = filters!; // checked above for conv and separable
    switch (kind) {
      case 'conv': {
        const groups = macNum(cfg.groups) ?? 1;
        return {
          macs: kk * (inC / groups) * f * outSpatial,
          rule: `kernel·(in/groups)·filters·out_positions = ${kk}·${inC / groups}·${f}·${outSpatial}`,
        };
      }
      case 'depthwise':
        return { macs: kk * inC * dm * outSpatial, rule: `kernel·in·depth_multiplier·out_positions = ${kk}·${inC}·${dm}·${outSpatial}` };
      case 'separable':
        return {
          macs: kk * inC * dm * outSpatial + inC * dm * f * outSpatial,
          rule: `depthwise kernel·in·dm·out_positions + pointwise in·dm·filters·out_positions = ${kk}·${inC}·${dm}·${outSpatial} + ${inC}·${dm}·${f}·${outSpatial}`,
        };
    }
  };
}
