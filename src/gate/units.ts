// Budget values as people write them on a command line or in .kerascope.json, parsed exactly (no floating
// point). A bare number is refused everywhere: `--max-growth 2` could mean 2 parameters or 2 %, so every budget
// says its unit.
//   counts: 10k / 10K (×1,000), 25M (×1,000,000), 1.5B (×1,000,000,000), or an exact count with the word
//           `params` (1234 params, 1234params) — decimal, as parameter counts are quoted
//   bytes:  512B, 64KB, 100MB, 1.5GB, 2TB — 1024-based, as Keras' summary prints sizes (KiB/MiB/GiB accepted too)
//   growth: 2% (relative to the baseline's total) or a count as above (10k, 500 params)

const COUNT_SUFFIX: Record<string, bigint> = { params: 1n, param: 1n, k: 1000n, K: 1000n, M: 1000000n, B: 1000000000n };
const BYTE_SUFFIX: Record<string, bigint> = {
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

/** A bare number, which a budget never is: the sentence says which forms mean what. */
function bare(text: string, what: 'count' | 'size' | 'growth'): Error | null {
  const t = text.trim();
  if (!/^\d+(?:\.\d+)?$/.test(t)) return null;
  const forms =
    what === 'size'
      ? `${t}B for bytes or ${t}MB for mebibytes`
      : what === 'count'
        ? `${t} params for an exact count or ${t}k / ${t}M for thousands / millions`
        : `${t}% for a percentage of the baseline or ${t} params (${t}k) for a count`;
  return new Error(`"${t}" is ambiguous: a budget says its unit — write ${forms}`);
}

/** `25M` → 25000000, `1234 params` → 1234. Throws with a sentence on anything else, a bare number included. */
export function parseCount(text: string): number {
  const b = bare(text, 'count');
  if (b) throw b;
  const m = /^(\d+(?:\.\d+)?)\s*(params|param|[kKMB])$/.exec(text.trim());
  if (!m)
    throw new Error(
      `"${text}" is not a count: write k (thousand), M (million) or B (billion) after the number, or the word params for an exact count, e.g. 25M or 1234 params`,
    );
  const { num, den } = decimal(m[1]!);
  const scaled = num * COUNT_SUFFIX[m[2]!]!;
  if (scaled % den !== 0n) throw new Error(`"${text}" is not a whole number of parameters`);
  return Number(scaled / den);
}

/** `100MB` → 104857600 (1024-based). */
export function parseBytes(text: string): number {
  const b = bare(text, 'size');
  if (b) throw b;
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(text.trim());
  const mult = m ? BYTE_SUFFIX[m[2]!.toLowerCase()] : undefined;
  if (!m || mult === undefined)
    throw new Error(`"${text}" is not a size: write a number with B, KB, MB, GB or TB (1024-based), e.g. 100MB`);
  const { num, den } = decimal(m[1]!);
  const scaled = num * mult;
  if (scaled % den !== 0n) throw new Error(`"${text}" is not a whole number of bytes`);
  return Number(scaled / den);
}

export type Growth =
  | { kind: 'percent'; text: string /** percent = num / den */; num: bigint; den: bigint }
  | { kind: 'absolute'; text: string; count: number };

/** `2%` or `0.5 %` (relative) or `10k` / `500 params` (absolute). */
export function parseGrowth(text: string): Growth {
  const t = text.trim();
  const b = bare(t, 'growth');
  if (b) throw b;
  const m = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  if (m) return { kind: 'percent', text: t, ...decimal(m[1]!) };
  try {
    return { kind: 'absolute', text: t, count: parseCount(t) };
  } catch {
    throw new Error(`"${text}" is not a growth budget: write a percentage (2%) or a count (10k, 500 params)`);
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
