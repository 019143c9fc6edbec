// Helpers the multiply-accumulate rules share. The rules themselves live beside the weight and shape rules in
// each family module (`macs` in a LayerDef); index.ts applies them (estimateMacs). A rule never guesses: an
// unknown size gives `macs: null` with the reason.
import type { Shape } from '../model/types.js';
import type { Cfg, MacEstimate } from './registry.js';

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
