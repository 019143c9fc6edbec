// One call from a path to a Report: load → budgets → graph → formulas → audit (→ security passes).
import { audit, type AuditOptions } from './audit/index.js';
import { loadModel, type LoadOptions } from './formats/index.js';
import type { Report } from './model/types.js';
import { enforceBudgets, securityPasses } from './security/index.js';

export interface InspectOptions extends LoadOptions, AuditOptions {}

export async function inspect(file: string, opts: InspectOptions = {}): Promise<Report> {
  const saved = await loadModel(file, opts);
  enforceBudgets(saved);
  return audit(saved, { ...opts, passes: [...securityPasses, ...(opts.passes ?? [])] });
}
