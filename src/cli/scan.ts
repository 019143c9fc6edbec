// `kerascope scan DIR`: every model under a folder, found by content, inspected in parallel.
import fs from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { InputError } from '../model/errors.js';
import type { ScanRow } from '../report/scan.js';
import { parseFormat } from './options.js';
import { currentLimits } from './limits.js';
import type { Skipped } from '../node/discover.js';
import { escapeTerminal } from '../report/escape/terminal.js';
import { isTerminal, writeErr, writeOut } from './stdio.js';

function parseJobs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('expected a whole number from 1 to 256');
  return n;
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('inspect every model under a folder (found by content), in parallel; one broken file never stops the scan')
    .argument('<dir>', 'folder to scan')
    .option(
      '-f, --format <format>',
      'output format: table or jsonl (one inspect report per line, with its path)',
      parseFormat(['table', 'jsonl']),
      'table',
    )
    .option('-j, --jobs <n>', 'worker threads (default: the number of cores)', parseJobs)
    .option('--exclude <glob...>', 'skip paths matching these globs (relative to the folder, e.g. "**/node_modules/**")')
    .option('--debug', 'print a stack trace with an error')
    .action(async (dir: string, o: { format: string; jobs?: number; exclude?: string[] }) => {
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
      const { timeout, maxMemoryMb } = currentLimits();
      const opts = {
        jobs: o.jobs,
        exclude: o.exclude,
        timeoutS: timeout,
        maxMemoryMb,
        skipped,
        onTotal: (n: number) => progress?.start(n, 0),
      };
      for await (const r of scan(dir, opts)) {
        const row: ScanRow = r.report ? { file: r.file, report: r.report } : { file: r.file, error: r.error };
        worst = Math.max(worst, scanStatus(row)) as 0 | 1 | 2;
        if (o.format === 'jsonl') writeOut(`${renderScanLine(row)}\n`);
        else rows.push({ file: row.file, ...(row.report ? { report: { ...row.report, layers: [] } } : { error: row.error }) });
        progress?.increment();
      }
      progress?.stop();
      if (o.format === 'table') {
        rows.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
        writeOut(`${renderScanTable(dir, rows, skipped)}\n`);
      } else {
        // The JSON Lines stay one report per model: what was skipped goes to standard error.
        for (const s of skipped) writeErr(`kerascope: ${escapeTerminal(s.path)}: skipped (${s.why})\n`);
      }
      process.exitCode = worst;
    });
}
