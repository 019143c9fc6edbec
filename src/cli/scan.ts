// `kerascope scan DIR`: every model under a folder, found by content, inspected in parallel.
import fs from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { InputError } from '../model/errors.js';
import { SCAN_SORTS, type ScanRow, type ScanSort } from '../report/scan.js';
import { DEFAULT_FAIL_ON, SEVERITIES } from '../model/findings.js';
import type { Severity } from '../model/types.js';
import { parseFormat, parseSeverity } from './options.js';
import type { CliRun } from './run.js';
import { parseShard, scanUrls } from './scan-urls.js';
import type { Skipped } from '../node/discover.js';
import { escapeTerminal } from '../report/escape/terminal.js';
import { stringifyJson } from '../report/escape/json.js';
import { isTerminal, writeErr, writeOut } from './stdio.js';

function parseJobs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('expected a whole number from 1 to 256');
  return n;
}

type ScanCliOptions = {
  format: string;
  jobs?: number;
  exclude?: string[];
  urls?: string;
  shard?: { index: number; count: number };
  resume?: string;
  failOn: Severity;
  sort: ScanSort;
  minSeverity?: Severity;
  code?: string[];
};

const collect = (value: string, prev: string[] = []) => [...prev, value];

export function registerScan(program: Command, run: CliRun): void {
  program
    .command('scan')
    .description(
      'inspect every model under a folder (found by content), or named in a list of URLs and hf:// URIs (--urls), in parallel; one broken file never stops the scan',
    )
    .argument('[dir]', 'folder to scan')
    .option('--urls <file>', 'scan the models named in FILE instead (one URL or hf:// URI a line; - reads standard input)')
    .option('--shard <i/n>', 'with --urls: scan only the I-th of N shares of the list (1-based; for array jobs)', parseShard)
    .option('--resume <output>', 'with --urls: skip the entries a previous run already wrote to OUTPUT (its jsonl)')
    .option(
      '-f, --format <format>',
      'output format: table, json (one document: entries, skipped, summary), jsonl (one inspect report per line, with its path, then a summary line) or sarif (one SARIF 2.1.0 log)',
      parseFormat(['table', 'json', 'jsonl', 'sarif']),
      'table',
    )
    .option('-j, --jobs <n>', 'worker threads (default: the number of cores; 8 with --urls)', parseJobs)
    .option('--exclude <glob...>', 'skip paths matching these globs (relative to the folder, e.g. "**/node_modules/**")')
    .option('--debug', 'print a stack trace with an error')
    .option('--fail-on <level>', `exit 1 on a finding at or above this severity: ${SEVERITIES.join(', ')}`, parseSeverity, DEFAULT_FAIL_ON)
    .option(
      '--sort <key>',
      `table and json: order by ${SCAN_SORTS.join(', ')} (largest or worst first; default path)`,
      parseFormat([...SCAN_SORTS]),
      'path',
    )
    .option('--min-severity <level>', 'keep only findings at or above this severity (a file left with none is ok)', parseSeverity)
    .option('--code <code>', 'list only the files with this finding code (repeatable)', collect)
    .action(async (dir: string | undefined, o: ScanCliOptions) => {
      if (o.urls !== undefined) {
        if (dir !== undefined) throw new InvalidArgumentError('give a folder or --urls FILE, not both');
        if (o.format === 'json' || o.format === 'sarif' || o.sort !== 'path' || o.minSeverity || o.code)
          throw new InvalidArgumentError('--urls writes table or jsonl, unsorted and unfiltered');
        const { format, jobs, shard, resume, failOn } = o;
        process.exitCode = await scanUrls(o.urls, { format, jobs, shard, resume, failOn }, run);
        return;
      }
      if (o.shard || o.resume) throw new InvalidArgumentError('--shard and --resume go with --urls');
      if (dir === undefined) throw new InvalidArgumentError('give a folder to scan, or --urls FILE');
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new InputError(dir, 'not a folder');
      // Loaded here, not at start-up: only this command needs them.
      const [{ scan }, report, { mergeSarif }, { SingleBar }] = await Promise.all([
        import('../node/scan.js'),
        import('../report/scan.js'),
        import('../report/sarif.js'),
        import('cli-progress'),
      ]);
      const progress =
        o.format === 'table' && isTerminal(2)
          ? new SingleBar({
              format: ' scanning {bar} {value}/{total} models',
              hideCursor: true,
              clearOnComplete: true,
              stream: process.stderr,
            })
          : null;
      const rows: ScanRow[] = [];
      const skipped: Skipped[] = [];
      const tally = new report.ScanTally(o.failOn);
      const filter = { minSeverity: o.minSeverity, codes: o.code };
      let worst: 0 | 1 | 2 = 0;
      // The watchdog's limits apply per file: a file over one gets its error line and the scan goes on.
      const { timeout, maxMemoryMb } = run.limits;
      const opts = {
        jobs: o.jobs,
        exclude: o.exclude,
        timeoutS: timeout,
        maxMemoryMb,
        budgets: run.load.budgets,
        skipped,
        onTotal: (n: number) => progress?.start(n, 0),
      };
      for await (const r of scan(dir, opts)) {
        progress?.increment();
        const row = report.filterRow(r.report ? { file: r.file, report: r.report } : { file: r.file, error: r.error }, filter);
        if (!row) continue;
        worst = Math.max(worst, report.scanStatus(row, o.failOn)) as 0 | 1 | 2;
        tally.add(row);
        if (o.format === 'jsonl') writeOut(`${report.renderScanLine(row)}\n`);
        // The table needs no layers (a big zoo is not held); json and sarif keep what they print.
        else if (o.format === 'table' && row.report) rows.push({ file: row.file, report: { ...row.report, layers: [] } });
        else if (o.format === 'sarif' && row.report) rows.push({ file: row.file, report: { ...row.report, layers: [] } });
        else rows.push(row);
      }
      progress?.stop();
      const sorted = report.sortRows(rows, o.sort);
      if (o.format === 'table') writeOut(`${report.renderScanTable(dir, sorted, o.failOn, skipped)}\n`);
      else if (o.format === 'json') writeOut(`${report.renderScanJson(dir, sorted, skipped, o.failOn)}\n`);
      else if (o.format === 'sarif') {
        const files = sorted.flatMap((x) => (x.report ? [{ file: x.file, findings: x.report.findings }] : []));
        writeOut(`${stringifyJson(mergeSarif(files), 2)}\n`);
      } else {
        tally.summary.skipped = skipped.length;
        writeOut(`${report.renderScanSummaryLine(tally.summary)}\n`);
      }
      // What was skipped is in the table and the json document; the other formats name it on standard error.
      if (o.format === 'jsonl' || o.format === 'sarif')
        for (const s of skipped) writeErr(`kerascope: ${escapeTerminal(s.path)}: skipped (${s.why})\n`);
      // SARIF has no place for a file that could not be read: its error goes to standard error.
      if (o.format === 'sarif') for (const x of sorted) if (x.error) writeErr(`kerascope: ${escapeTerminal(x.error)}\n`);
      process.exitCode = worst;
    });
}
