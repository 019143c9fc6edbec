// `kerascope scan --urls FILE`: models named by URL or hf:// URI, one a line (`-`: standard input), inspected
// concurrently where they live. One JSON line per entry as it completes (the report, or the error), then a
// summary line. `--shard I/N` keeps every N-th entry from the I-th (1-based; the unit of an array job on a
// batch system), `--resume OUT` skips the entries a previous run already wrote to OUT. A Hub repository of
// several models is scanned model by model (each its own line, named hf://owner/repo/path).
import { stringifyJson } from '../model/strings.js';
import type { Severity } from '../model/types.js';
import type { CliRun } from './run.js';
import fs from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { InputError } from '../model/errors.js';
import type { ScanRow } from '../report/scan.js';
import { writeOut } from './stdio.js';

/** `I/N` with 1 ≤ I ≤ N. */
export function parseShard(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new InvalidArgumentError('expected I/N with 1 ≤ I ≤ N, e.g. 1/4');
  return { index, count };
}

/** The entries of a list: one a line, blank lines and `#` comments skipped, each kept once. */
export function listEntries(text: string): string[] {
  const seen = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t && !t.startsWith('#')) seen.add(t);
  }
  return [...seen];
}

/** This shard's share: entries i (0-based) with i mod N = I − 1, so every shard gets a spread of the list. */
export function shardOf<T>(entries: T[], shard: { index: number; count: number } | undefined): T[] {
  return shard ? entries.filter((_, i) => i % shard.count === shard.index - 1) : entries;
}

/** The entries a previous run's output holds (its `path` fields; report and error lines alike). */
export function doneIn(file: string): Set<string> {
  const done = new Set<string>();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return done; // a first run: nothing done yet
    throw new InputError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const doc = JSON.parse(line) as { path?: unknown };
      if (typeof doc.path === 'string') done.add(doc.path);
    } catch {
      /* a line cut by an interrupted run: its entry runs again */
    }
  }
  return done;
}

export interface UrlScanOptions {
  format: string;
  jobs?: number;
  shard?: { index: number; count: number };
  resume?: string;
  failOn?: Severity;
}

/** Runs the scan of a list; returns the exit status (2 when an entry could not be read, 1 for error findings). */
export async function scanUrls(list: string, o: UrlScanOptions, run: CliRun): Promise<number> {
  const { limits } = run;
  let text: string;
  try {
    text = fs.readFileSync(list === '-' ? 0 : list, 'utf8');
  } catch (e) {
    throw new InputError(list === '-' ? '<stdin>' : list, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const all = listEntries(text);
  const mine = shardOf(all, o.shard);
  const done = o.resume ? doneIn(o.resume) : new Set<string>();
  const todo = mine.filter((e) => !done.has(e));
  const [{ scanEach }, { renderScanLine, renderScanTable, scanStatus }] = await Promise.all([
    import('../node/scan.js'),
    import('../report/scan.js'),
  ]);
  const rows: ScanRow[] = [];
  let worst: 0 | 1 | 2 = 0;
  const totals = { ok: 0, findings: 0, unreadable: 0, requests: 0, bytes: 0 };
  const started = performance.now();
  // Network-bound: more entries in flight than cores by default.
  const opts = {
    jobs: o.jobs ?? 8,
    timeoutS: limits.timeout,
    maxMemoryMb: limits.maxMemoryMb,
    budgets: run.load.budgets,
    expandRepos: true,
    skip: done,
  };
  let scanned = 0;
  for await (const r of scanEach(
    todo.map((file) => ({ file })),
    opts,
  )) {
    const row: ScanRow = r.report ? { file: r.file, report: r.report } : { file: r.file, error: r.error };
    scanned++;
    const status = scanStatus(row, o.failOn);
    worst = Math.max(worst, status) as 0 | 1 | 2;
    totals[status === 0 ? 'ok' : status === 1 ? 'findings' : 'unreadable']++;
    totals.requests += r.remote?.requests ?? 0;
    totals.bytes += r.remote?.bytes ?? 0;
    if (o.format === 'jsonl') {
      const line = JSON.parse(renderScanLine(row)) as Record<string, unknown>;
      writeOut(`${stringifyJson(r.remote ? { ...line, remote: r.remote } : line)}\n`);
    } else rows.push({ file: row.file, ...(row.report ? { report: { ...row.report, layers: [] } } : { error: row.error }) });
  }
  const seconds = Math.round(performance.now() - started) / 1000;
  const summary = {
    entries: all.length,
    ...(o.shard ? { shard: `${o.shard.index}/${o.shard.count}`, inShard: mine.length } : {}),
    skipped: mine.length - todo.length,
    // Lines written: a repository of several models gives one per model.
    scanned,
    ok: totals.ok,
    withErrorFindings: totals.findings,
    unreadable: totals.unreadable,
    requests: totals.requests,
    bytes: totals.bytes,
    seconds,
  };
  if (o.format === 'jsonl') writeOut(`${stringifyJson({ summary })}\n`);
  else {
    rows.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    writeOut(`${renderScanTable(list === '-' ? '<stdin>' : list, rows, o.failOn)}\n`);
    writeOut(
      ` ${summary.scanned} scanned${summary.skipped ? `, ${summary.skipped} skipped (--resume)` : ''}; ${summary.requests} requests, ${summary.bytes} bytes, ${seconds} s\n`,
    );
  }
  return worst;
}
