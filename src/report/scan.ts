// `kerascope scan` renderings: one JSON line per model (the inspect report with its path, or the error), one
// JSON document for the whole scan, and a summary table (marker, file, format, size, params, stored, findings,
// codes, status); the filters (--min-severity, --code) and orders (--sort) they share.
import Table from 'cli-table3';
import { atLeast, type Category, categoryOf, DEFAULT_FAIL_ON, SEVERITIES } from '../model/findings.js';
import { plural } from '../model/text.js';
import type { Finding, Report, Severity } from '../model/types.js';
import { bytes, count } from './format.js';
import { stringifyJson } from './escape/json.js';
import { escapeTerminal, terminalSafe } from './escape/terminal.js';

export interface ScanRow {
  file: string;
  report?: Report;
  error?: string;
}

export const SCAN_SORTS = ['path', 'params', 'findings', 'severity'] as const;
export type ScanSort = (typeof SCAN_SORTS)[number];

/** What `--min-severity` and `--code` keep. */
export interface ScanFilter {
  minSeverity?: Severity;
  codes?: string[];
}

/**
 * A row as the filters leave it: findings below `minSeverity` dropped (a file left with none is ok), and with
 * `codes`, null unless the file (after that) has one of those codes (an unreadable file has none).
 */
export function filterRow(row: ScanRow, f: ScanFilter): ScanRow | null {
  let r = row;
  const min = f.minSeverity;
  if (min && r.report) r = { ...r, report: { ...r.report, findings: r.report.findings.filter((x) => atLeast(x.severity, min)) } };
  if (f.codes?.length && !r.report?.findings.some((x) => f.codes!.includes(x.code))) return null;
  return r;
}

/** Bytes a model takes on disk (every file it is made of), or null when it could not be read. */
export const rowSize = (row: ScanRow): number | null => (row.report ? row.report.files.reduce((s, x) => s + x.bytes, 0) : null);

/** Rank of the worst finding (critical 0 … info 4; none or unreadable 5). */
function worstRank(row: ScanRow): number {
  const f = row.report?.findings ?? [];
  return Math.min(SEVERITIES.length, ...f.map((x) => SEVERITIES.indexOf(x.severity)));
}

/** Orders rows: by path (ascending), or by params, findings or worst severity (largest first, then by path). */
export function sortRows(rows: ScanRow[], by: ScanSort = 'path'): ScanRow[] {
  const byPath = (a: ScanRow, b: ScanRow) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  const key: Record<ScanSort, (r: ScanRow) => number> = {
    path: () => 0,
    params: (r) => -(r.report?.totals.params ?? -1),
    findings: (r) => -(r.report?.findings.length ?? -1),
    severity: worstRank,
  };
  return [...rows].sort((a, b) => key[by](a) - key[by](b) || byPath(a, b));
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

export interface ScanSummary {
  models: number;
  ok: number;
  /** Models with a security finding at or above the failing level. */
  security: number;
  integrity: number;
  unreadable: number;
  skipped: number;
}

/** Keeps the summary's counts as rows stream by (no report is held). */
export class ScanTally {
  readonly summary: ScanSummary = { models: 0, ok: 0, security: 0, integrity: 0, unreadable: 0, skipped: 0 };
  constructor(private readonly failOn: Severity = DEFAULT_FAIL_ON) {}
  add(row: ScanRow): void {
    const s = this.summary;
    s.models++;
    if (!row.report) s.unreadable++;
    else {
      const fails = failing(row.report.findings, this.failOn);
      if (!fails.length) s.ok++;
      if (fails.includes('security')) s.security++;
      if (fails.includes('integrity')) s.integrity++;
    }
  }
}

/** The last line of `--format jsonl`: `{"summary": {...}}`. */
export const renderScanSummaryLine = (summary: ScanSummary): string => stringifyJson({ summary });

/** `scan --format json`: one document with every entry, what was skipped, and the summary. */
export function renderScanJson(root: string, rows: ScanRow[], skipped: { path: string; why: string }[], failOn: Severity): string {
  const tally = new ScanTally(failOn);
  for (const r of rows) tally.add(r);
  tally.summary.skipped = skipped.length;
  return stringifyJson(
    {
      schemaVersion: 1,
      kind: 'kerascope-scan',
      root,
      failOn,
      entries: rows.map((r) => (r.report ? { path: r.file, report: r.report } : { path: r.file, error: r.error })),
      skipped,
      summary: tally.summary,
    },
    2,
  );
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

/** The distinct finding codes (info left out), clipped to `max` characters. */
export function codesText(findings: Finding[], max = 32): string {
  const text = [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.code))].join(', ') || '-';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
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
    head: ['!', 'File', 'Format', 'Size', 'Params', 'Stored', 'Security', 'Integrity', 'Codes', 'Status'],
    colAligns: ['left', 'left', 'left', 'right', 'right', 'right', 'left', 'left', 'left', 'left'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: [], border: [] },
  });
  const sum = new ScanTally(failOn);
  for (const row of rows) {
    sum.add(row);
    const r = row.report;
    if (!r) {
      t.push(['?', row.file, '-', '-', '-', '-', '-', '-', '-', 'unreadable']);
      continue;
    }
    const fails = failing(r.findings, failOn);
    const size = rowSize(row);
    t.push([
      // The security marker: a security finding at or above the failing level.
      fails.includes('security') ? '!' : '',
      row.file,
      r.format,
      size === null ? '-' : bytes(size),
      count(r.totals.params),
      count(r.totals.stored),
      tally(r.findings, 'security'),
      tally(r.findings, 'integrity'),
      codesText(r.findings),
      fails.length ? fails.join(' + ') : 'ok',
    ]);
  }
  const s = sum.summary;
  const errors = rows.filter((r) => r.error).map((r) => `  ${r.error}`);
  return [
    `Scan: ${root}`,
    t.toString(),
    ` ${plural(s.models, 'model')}: ${count(s.ok)} ok, ${count(s.security)} with security findings, ${count(s.integrity)} with integrity findings (${failOn} or above), ${count(s.unreadable)} unreadable${skipped.length ? `; ${plural(skipped.length, 'entry', 'entries')} skipped` : ''}`,
    ...(errors.length ? ['', 'Unreadable:', ...errors] : []),
    ...(skipped.length ? ['', 'Skipped (not inspected):', ...skipped.map((x) => `  ${x.path}: ${x.why}`)] : []),
  ].join('\n');
}
