// Ordering findings and the exit status a report earns: decided here and nowhere else.
import { atLeast, DEFAULT_FAIL_ON, SEVERITIES } from '../model/findings.js';
import type { Finding, Severity } from '../model/types.js';

/** Most severe first; stable within a severity. */
export function sortFindings(fs: Finding[]): Finding[] {
  return fs
    .map((f, i) => [f, i] as const)
    .sort((a, b) => SEVERITIES.indexOf(a[0].severity) - SEVERITIES.indexOf(b[0].severity) || a[1] - b[1])
    .map(([f]) => f);
}

/** The exit status a report earns: 1 if any finding is at or above `failOn` (default `high`), else 0. */
export function exitStatus(fs: Finding[], failOn: Severity = DEFAULT_FAIL_ON): 0 | 1 {
  return fs.some((f) => atLeast(f.severity, failOn)) ? 1 : 0;
}
