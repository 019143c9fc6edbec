// One call from a byte source to a Report and the graph behind it:
// load → budgets → graph → formulas → audit, with the security passes beside it.
import { type AuditOptions, audit, graphOf } from './audit/index.js';
import { type LoadOptions, loadModel } from './formats/index.js';
import type { Graph } from './graph/index.js';
import type { ByteSource } from './io/byte-source.js';
import type { Finding, Report, LoadedModel } from './model/types.js';
import { resolveBudgets } from './model/budgets.js';
import { enforceBudgets, type Pass, securityPasses } from './security/index.js';

export interface AnalyzeOptions extends LoadOptions, Omit<AuditOptions, 'extra'> {
  /** More passes that add findings (after the security passes). */
  passes?: Pass[];
  /** Checked between the steps: once it has fired, the analysis stops with its reason. */
  signal?: AbortSignal;
}

/** What one inspection yields: the report, the layer graph it was computed from (null without a config), and the loaded model. */
export interface Inspection {
  report: Report;
  graph: Graph | null;
  saved: LoadedModel;
}

export async function analyze(src: ByteSource, opts: AnalyzeOptions = {}): Promise<Inspection> {
  const saved = await loadModel(src, opts);
  opts.signal?.throwIfAborted();
  enforceBudgets(saved, resolveBudgets(opts.budgets));
  const built = graphOf(saved);
  const extra: Finding[] = [];
  for (const pass of [...securityPasses, ...(opts.passes ?? [])]) {
    opts.signal?.throwIfAborted();
    for (const item of await pass(saved, built.graph)) extra.push(item);
  }
  const report = audit(saved, { depth: opts.depth, extra }, built);
  return { report, graph: built.graph, saved };
}
