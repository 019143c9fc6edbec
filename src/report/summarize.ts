// Keeping human renderings linear and readable whatever the input: cells are cut before any table measures
// or wraps them, and many findings of one kind are shown as a few examples and a count (JSON and SARIF keep
// every item).
import type { Finding } from '../model/types.js';

/** Longest cell text a table gets (layer names, messages): cut before measuring, never after. */
export const CELL_MAX = 240;

/** `s` cut to `max` characters with an ellipsis. */
export function clip(s: string, max = CELL_MAX): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** A code with more findings than this is summarized: its first SHOWN findings, then one line with the rest. */
export const SUMMARIZE_OVER = 10;
export const SHOWN = 5;

export type SummaryRow = { finding: Finding } | { code: Finding['code']; severity: Finding['severity']; more: number; last: Finding };

/** The findings in order, those of an over-represented code cut to a few examples and a count. */
export function summarizeFindings(findings: Finding[]): SummaryRow[] {
  const total = new Map<string, number>();
  for (const f of findings) total.set(f.code, (total.get(f.code) ?? 0) + 1);
  const shown = new Map<string, number>();
  const last = new Map<string, Finding>();
  for (const f of findings) last.set(f.code, f);
  const out: SummaryRow[] = [];
  for (const f of findings) {
    const n = total.get(f.code)!;
    const k = (shown.get(f.code) ?? 0) + 1;
    shown.set(f.code, k);
    if (n <= SUMMARIZE_OVER || k <= SHOWN) out.push({ finding: f });
    else if (k === SHOWN + 1) out.push({ code: f.code, severity: f.severity, more: n - SHOWN, last: last.get(f.code)! });
  }
  return out;
}

/** The line that stands for the findings a summary left out. */
export function moreText(row: { code: string; more: number; last: Finding }): string {
  return `… and ${row.more.toLocaleString('en-US')} more ${row.code} findings, the last: ${clip(row.last.message, 160)} (every one is listed with --format json)`;
}
