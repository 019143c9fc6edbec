// `kerascope scan` renderings: one JSON line per model (the inspect report with its path, or the error), and
// a summary table (file, format, params, stored, findings, status).
import Table from 'cli-table3';
import type { Report } from '../model/types.js';
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

/** The status a scanned file earns: unreadable (exit 2), errors (exit 1) or ok. */
export function scanStatus(row: ScanRow): 0 | 1 | 2 {
  if (!row.report) return 2;
  return row.report.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

export function renderScanTable(rootPath: string, scanRows: ScanRow[], skippedEntries: { path: string; why: string }[] = []): string {
  const skipped = terminalSafe(skippedEntries);
  const root = escapeTerminal(rootPath);
  const rows = terminalSafe(scanRows);
  const t = new Table({
    head: ['File', 'Format', 'Params', 'Stored', 'Findings', 'Status'],
    colAligns: ['left', 'left', 'right', 'right', 'left', 'left'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: [], border: [] },
  });
  for (const row of rows) {
    const r = row.report;
    if (!r) {
      t.push([row.file, '-', '-', '-', '-', 'unreadable']);
      continue;
    }
    const n = (s: string) => r.findings.filter((f) => f.severity === s).length;
    const findings =
      [n('error') && `${count(n('error'))} error`, n('warning') && `${count(n('warning'))} warning`].filter(Boolean).join(', ') || '-';
    t.push([row.file, r.format, count(r.totals.params), count(r.totals.stored), findings, n('error') ? 'errors' : 'ok']);
  }
  const by = (s: 0 | 1 | 2) => rows.filter((r) => scanStatus(r) === s).length;
  const errors = rows.filter((r) => r.error).map((r) => `  ${r.error}`);
  return [
    `Scan: ${root}`,
    t.toString(),
    ` ${count(rows.length)} model(s): ${count(by(0))} ok, ${count(by(1))} with error findings, ${count(by(2))} unreadable${skipped.length ? `; ${count(skipped.length)} entr${skipped.length === 1 ? 'y' : 'ies'} skipped` : ''}`,
    ...(errors.length ? ['', 'Unreadable:', ...errors] : []),
    ...(skipped.length ? ['', 'Skipped (not inspected):', ...skipped.map((s) => `  ${s.path}: ${s.why}`)] : []),
  ].join('\n');
}
