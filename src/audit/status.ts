// Ordering findings and the exit status a report earns: decided here and nowhere else.
import type { Finding, Severity } from '../model/types.js';

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Most severe first; stable within a severity. */
export function sortFindings(fs: Finding[]): Finding[] {
  return fs
    .map((f, i) => [f, i] as const)
    .sort((a, b) => ORDER[a[0].severity] - ORDER[b[0].severity] || a[1] - b[1])
    .map(([f]) => f);
}

/** The exit status a report earns: 1 if any finding is an error, else 0. */
export function exitStatus(fs: Finding[]): 0 | 1 {
  return fs.some((f) => f.severity === 'error') ? 1 : 0;
}
