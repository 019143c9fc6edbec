// `kerascope scan DIR`: every model under a folder, found by content, inspected in parallel.
import fs from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { InputError } from '../model/errors.js';
import type { ScanRow } from '../report/scan.js';
import { DEFAULT_FAIL_ON, SEVERITIES } from '../model/findings.js';
import type { Severity } from '../model/types.js';
import { parseFormat, parseSeverity } from './options.js';
import type { CliRun } from './run.js';
import { parseShard, scanUrls } from './scan-urls.js';
import type { Skipped } from '../node/discover.js';
import { escapeTerminal } from '../report/escape/terminal.js';
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
};

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
      'output format: table or jsonl (one inspect report per line, with its path)',
      parseFormat(['table', 'jsonl']),
      'table',
    )
    .option('-j, --jobs <n>', 'worker threads (default: the number of cores; 8 with --urls)', parseJobs)
    .option('--exclude <glob...>', 'skip paths matching these globs (relative to the folder, e.g. "**/node_modules/**")')
    .option('--debug', 'print a stack trace with an error')
    .option('--fail-on <level>', `exit 1 on a finding at or above this severity: ${SEVERITIES.join(', ')}`, parseSeverity, DEFAULT_FAIL_ON)
    .action(async (dir: string | undefined, o: ScanCliOptions) => {
      if (o.urls !== undefined) {
        if (dir !== undefined) throw new InvalidArgumentError('give a folder or --urls FILE, not both');
        const { format, jobs, shard, resume, failOn } = o;
        process.exitCode = await scanUrls(o.urls, { format, jobs, shard, resume, failOn }, run);
        return;
      }
      if (o.shard || o.resume) throw new InvalidArgumentError('--shard and --resume go with --urls');
      if (dir === undefined) throw new InvalidArgumentError('give a folder to scan, or --urls FILE');
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new InputError(dir, 'not a folder');
      // Loaded here, not at start-up: only this command needs them.
      const [{ scan }, { renderScanLine, renderScanTable, scanStatus }, { SingleBar }] = await Promise.all([
        import('../node/scan.js'),
        import('../report/scan.js'),
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
        const row: ScanRow = r.report ? { file: r.file, report: r.report } : { file: r.file, error: r.error };
        worst = Math.max(worst, scanStatus(row, o.failOn)) as 0 | 1 | 2;
        if (o.format === 'jsonl') writeOut(`${renderScanLine(row)}\n`);
        else rows.push({ file: row.file, ...(row.report ? { report: { ...row.report, layers: [] } } : { error: row.error }) });
        progress?.increment();
      }
      progress?.stop();
      if (o.format === 'table') {
        rows.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
        writeOut(`${renderScanTable(dir, rows, o.failOn, skipped)}\n`);
      } else {
        // The JSON Lines stay one report per model: what was skipped goes to standard error.
        for (const s of skipped) writeErr(`kerascope: ${escapeTerminal(s.path)}: skipped (${s.why})\n`);
      }
      process.exitCode = worst;
    });
}
