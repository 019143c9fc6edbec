// One call from a path to a Report: load → graph → formulas → audit (→ passes).
import { audit, type AuditOptions } from './audit/index.js';
import { loadModel, type LoadOptions } from './formats/index.js';
import type { Report } from './model/types.js';

export interface InspectOptions extends LoadOptions, AuditOptions {}

export async function inspect(file: string, opts: InspectOptions = {}): Promise<Report> {
  const saved = await loadModel(file, opts);
  return audit(saved, opts);
}
