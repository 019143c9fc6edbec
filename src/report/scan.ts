// `kerascope scan` renderings: one JSON line per model (the inspect report with its path, or the error), and
// a summary table (file, format, params, stored, findings, status).
import Table from 'cli-table3';
import { atLeast, type Category, categoryOf, DEFAULT_FAIL_ON, SEVERITIES } from '../model/findings.js';
import type { Finding, Report, Severity } from '../model/types.js';
import { count } from './format.js';
import { stringifyJson } from './escape/json.js';
import { escapeTerminal, terminalSafe } from './escape/terminal.js';

export interface ScanRow {
  file: string;
  report?: Report;
  error?: string;
}

/** One line of `--format jsonl`: the same document as `inspect --format json`, plus `path`; or `{path, error}`. */
export function renderScanLine(row: ScanRow): string {
  return stringifyJson(row.report ? { path: row.file, ...row.report } : { path: row.file, error: row.error });
}

/** The status a scanned file earns: unreadable (exit 2), a finding at or above `failOn` (exit 1), or ok. */
export function scanStatus(row: ScanRow, failOn: Severity = DEFAULT_FAIL_ON): 0 | 1 | 2 {
  if (!row.report) return 2;
  return row.report.findings.some((f) => atLeast(f.severity, failOn)) ? 1 : 0;
}

/** "1 critical, 2 medium" for the findings of one category (info left out), or `-`. */
function tally(findings: Finding[], category: Category): string {
  const mine = findings.filter((f) => categoryOf(f.code) === category);
  const parts = SEVERITIES.filter((s) => s !== 'info')
    .map((s) => [s, mine.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${count(n)} ${s}`);
  return parts.join(', ') || '-';
}

/** Which categories have a finding at or above `failOn`. */
function failing(findings: Finding[], failOn: Severity): Category[] {
  return (['security', 'integrity'] as const).filter((c) => findings.some((f) => categoryOf(f.code) === c && atLeast(f.severity, failOn)));
}

export function renderScanTable(
  rootPath: string,
  scanRows: ScanRow[],
  failOn: Severity = DEFAULT_FAIL_ON,
  skippedEntries: { path: string; why: string }[] = [],
): string {
  const skipped = terminalSafe(skippedEntries);
  const root = escapeTerminal(rootPath);
  const rows = terminalSafe(scanRows);
  const t = new Table({
    head: ['File', 'Format', 'Params', 'Stored', 'Security', 'Integrity', 'Status'],
    colAligns: ['left', 'left', 'right', 'right', 'left', 'left', 'left'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: [], border: [] },
  });
  for (const row of rows) {
    const r = row.report;
    if (!r) {
      t.push([row.file, '-', '-', '-', '-', '-', 'unreadable']);
      continue;
    }
    const fails = failing(r.findings, failOn);
    t.push([
      row.file,
      r.format,
      count(r.totals.params),
      count(r.totals.stored),
      tally(r.findings, 'security'),
      tally(r.findings, 'integrity'),
      fails.length ? fails.join(' + ') : 'ok',
    ]);
  }
  const reports = rows.flatMap((r) => (r.report ? [r.report] : []));
  const n = (c: Category) => reports.filter((r) => failing(r.findings, failOn).includes(c)).length;
  const ok = rows.filter((r) => scanStatus(r, failOn) === 0).length;
  const errors = rows.filter((r) => r.error).map((r) => `  ${r.error}`);
  return [
    `Scan: ${root}`,
    t.toString(),
    ` ${count(rows.length)} model(s): ${count(ok)} ok, ${count(n('security'))} with security findings, ${count(n('integrity'))} with integrity findings (${failOn} or above), ${count(rows.length - reports.length)} unreadable${skipped.length ? `; ${count(skipped.length)} entr${skipped.length === 1 ? 'y' : 'ies'} skipped` : ''}`,
    ...(errors.length ? ['', 'Unreadable:', ...errors] : []),
    ...(skipped.length ? ['', 'Skipped (not inspected):', ...skipped.map((s) => `  ${s.path}: ${s.why}`)] : []),
  ].join('\n');
}
