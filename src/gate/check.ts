// `check`: a model against a baseline and/or budgets. Pure: takes summaries, returns a verdict.
import { compareSummaries } from './compare.js';
import { GATE_SCHEMA_VERSION, type Baseline, type ErrorSummary, type LayerChange, type ModelSummary, type TotalsChange } from './types.js';
import { growthAllowance, withinGrowth, type Growth } from './units.js';
import { percentText, plural, signedCount, thousands } from '../model/text.js';

export interface Budgets {
  growth?: Growth;
  maxParams?: { text: string; value: number };
  maxTrainable?: { text: string; value: number };
  maxBytes?: { text: string; value: number };
}

export interface BudgetResult {
  budget: 'max-growth' | 'max-params' | 'max-trainable' | 'max-bytes';
  /** The limit as it was written (`2%`, `25M`, `100MB`). */
  limit: string;
  /** The largest value within budget (params, or bytes for max-bytes). */
  allowed: number;
  actual: number | null;
  ok: boolean;
  message: string;
}

export interface CheckResult {
  schemaVersion: 1;
  kind: 'kerascope-check';
  file: string;
  format: string;
  baseline: string | null;
  verdict: 'pass' | 'fail';
  budgets: BudgetResult[];
  /** Error findings of the audit; `new` when the baseline did not have the same code on the same layer. */
  errors: (ErrorSummary & { new: boolean })[];
  layers: LayerChange[];
  totals: TotalsChange;
  sameArchitecture: boolean | null;
  /** One sentence: what decided the verdict. */
  summary: string;
}

const fmt = thousands;

export function runCheck(current: ModelSummary, baseline: Baseline | null, baselineFile: string | null, budgets: Budgets): CheckResult {
  const cmp = baseline ? compareSummaries(baseline, current) : null;
  const t = current.totals;
  const results: BudgetResult[] = [];
  if (budgets.growth) {
    if (!baseline) throw new Error('--max-growth needs a --baseline to grow from');
    const g = budgets.growth;
    const before = baseline.totals.params;
    const ok = withinGrowth(g, before, t.params);
    const allowed = before + growthAllowance(g, before);
    const pct = cmp!.totals.params.percent;
    const d = t.params - before;
    results.push({
      budget: 'max-growth',
      limit: g.text,
      allowed,
      actual: t.params,
      ok,
      message: `total params ${fmt(before)} → ${fmt(t.params)} (${signedCount(d)}${pct === null ? '' : `, ${percentText(pct, true)}`}) ${ok ? 'within' : 'over'} the growth budget of ${g.text} (up to ${fmt(allowed)})`,
    });
  }
  const absolute = (
    budget: BudgetResult['budget'],
    b: { text: string; value: number } | undefined,
    actual: number | null,
    what: string,
    unit = '',
  ) => {
    if (!b) return;
    const ok = actual !== null && actual <= b.value;
    results.push({
      budget,
      limit: b.text,
      allowed: b.value,
      actual,
      ok,
      message:
        actual === null
          ? `${what} unknown (no architecture says which weights train): cannot check ${b.text}`
          : `${what} ${fmt(actual)}${unit} ${ok ? 'within' : 'over'} the budget of ${b.text} (${fmt(b.value)}${unit})`,
    });
  };
  absolute('max-params', budgets.maxParams, t.params, 'total params');
  absolute('max-trainable', budgets.maxTrainable, t.trainable, 'trainable params');
  absolute('max-bytes', budgets.maxBytes, t.diskBytes, 'size on disk', ' bytes');

  const known = new Set((baseline?.errors ?? []).map((e) => `${e.code}\u0000${e.layer}`));
  const errors = current.errors.map((e) => ({ ...e, new: !known.has(`${e.code}\u0000${e.layer}`) }));
  const broken = results.filter((r) => !r.ok);
  const newErrors = errors.filter((e) => e.new);
  const verdict = broken.length || newErrors.length ? 'fail' : 'pass';
  const parts: string[] = [];
  if (broken.length) parts.push(`${plural(broken.length, 'budget')} broken: ${broken.map((b) => b.budget).join(', ')}`);
  if (newErrors.length)
    parts.push(`${plural(newErrors.length, 'error finding')}: ${[...new Set(newErrors.map((e) => e.code))].join(', ')}`);
  const changed = cmp?.layers.filter((c) => c.kind !== 'renamed').length ?? 0;
  const summary =
    verdict === 'fail'
      ? parts.join('; ')
      : `within budget${results.length ? ` (${results.map((r) => `${r.budget} ${r.limit}`).join(', ')})` : ''}${baseline ? `; ${changed ? `${plural(changed, 'layer')} changed` : 'no layer changed'}` : ''}`;
  return {
    schemaVersion: GATE_SCHEMA_VERSION,
    kind: 'kerascope-check',
    file: current.file,
    format: current.format,
    baseline: baselineFile,
    verdict,
    budgets: results,
    errors,
    layers: cmp?.layers ?? [],
    totals: cmp?.totals ?? {
      params: { before: null, after: t.params, delta: null, percent: null },
      trainable: { before: null, after: t.trainable, delta: null, percent: null },
      nonTrainable: { before: null, after: t.nonTrainable, delta: null, percent: null },
      diskBytes: { before: null, after: t.diskBytes, delta: null, percent: null },
    },
    sameArchitecture: cmp ? cmp.sameArchitecture : null,
    summary,
  };
}

export function checkExitStatus(r: CheckResult): 0 | 1 {
  return r.verdict === 'pass' ? 0 : 1;
}
