// Budget values as people write them on a command line, parsed exactly (no floating point).
//   counts: 1234, 10k / 10K (×1,000), 25M (×1,000,000), 1.5B (×1,000,000,000) — decimal, as parameter counts are quoted
//   bytes:  1234, 512B, 64KB, 100MB, 1.5GB, 2TB — 1024-based, as Keras' summary prints sizes (KiB/MiB/GiB accepted too)
//   growth: 2% (relative to the baseline's total) or an absolute count (10k)

const COUNT_SUFFIX: Record<string, bigint> = { '': 1n, k: 1000n, K: 1000n, M: 1000000n, B: 1000000000n };
const BYTE_SUFFIX: Record<string, bigint> = {
  '': 1n,
  b: 1n,
  kb: 1024n,
  mb: 1024n ** 2n,
  gb: 1024n ** 3n,
  tb: 1024n ** 4n,
  kib: 1024n,
  mib: 1024n ** 2n,
  gib: 1024n ** 3n,
  tib: 1024n ** 4n,
};

/** A decimal `12.5` as an exact fraction `125 / 10`. */
function decimal(digits: string): { num: bigint; den: bigint } {
  const [int, frac = ''] = digits.split('.');
  return { num: BigInt(`${int}${frac}`), den: 10n ** BigInt(frac.length) };
}

/** `25M` → 25000000. Throws with a sentence on anything else. */
export function parseCount(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kKMB]?)$/.exec(text.trim());
  if (!m)
    throw new Error(`"${text}" is not a count: write a whole number, optionally with k (thousand), M (million) or B (billion), e.g. 25M`);
  const { num, den } = decimal(m[1]!);
  const scaled = num * COUNT_SUFFIX[m[2]!]!;
  if (scaled % den !== 0n) throw new Error(`"${text}" is not a whole number of parameters`);
  return Number(scaled / den);
}

/** `100MB` → 104857600 (1024-based). */
export function parseBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(text.trim());
  const mult = m ? BYTE_SUFFIX[m[2]!.toLowerCase()] : undefined;
  if (!m || mult === undefined)
    throw new Error(`"${text}" is not a size: write bytes, or a number with KB, MB, GB or TB (1024-based), e.g. 100MB`);
  const { num, den } = decimal(m[1]!);
  const scaled = num * mult;
  if (scaled % den !== 0n) throw new Error(`"${text}" is not a whole number of bytes`);
  return Number(scaled / den);
}

export type Growth =
  | { kind: 'percent'; text: string /** percent = num / den */; num: bigint; den: bigint }
  | { kind: 'absolute'; text: string; count: number };

/** `2%` or `0.5 %` (relative) or `10k` (absolute). */
export function parseGrowth(text: string): Growth {
  const t = text.trim();
  const m = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  if (m) return { kind: 'percent', text: t, ...decimal(m[1]!) };
  try {
    return { kind: 'absolute', text: t, count: parseCount(t) };
  } catch {
    throw new Error(`"${text}" is not a growth budget: write a percentage (2%) or a count (10k)`);
  }
}

/**
 * Whether growing from `before` to `after` parameters stays within the budget. Exact: `20%` allows
 * +20.0 % (1000 → 1200) and refuses +20.1 % (1000 → 1201). A shrinking model is always within budget;
 * from 0 parameters any growth is over a percentage budget.
 */
export function withinGrowth(g: Growth, before: number, after: number): boolean {
  const delta = BigInt(after) - BigInt(before);
  if (delta <= 0n) return true;
  if (g.kind === 'absolute') return delta <= BigInt(g.count);
  // delta / before <= num / (den · 100)
  return delta * g.den * 100n <= g.num * BigInt(before);
}

/** The budget a growth allows on top of `before`, as a count (rounded down). */
export function growthAllowance(g: Growth, before: number): number {
  if (g.kind === 'absolute') return g.count;
  return Number((g.num * BigInt(before)) / (g.den * 100n));
}

/** Percent change rounded to 4 decimals; null from 0. */
export function percentChange(before: number, after: number): number | null {
  if (before === 0) return after === 0 ? 0 : null;
  return Math.round(((after - before) / before) * 1e6) / 1e4;
}
