// Run-wide limits taken off the command line before the commands see it: `--budget NAME=N` (repeatable:
// one of the input budgets, see docs/security.md#budgets), `--timeout SECONDS` and `--max-memory MB` (the watchdog).
import { DEFAULT_BUDGETS } from '../model/budgets.js';

export interface Limits {
  budgets: [string, number][];
  /** Wall-clock seconds one run may take (0: no limit). */
  timeout: number;
  /** Resident memory (MB) the whole process may reach before the inspection is stopped. */
  maxMemoryMb: number;
}

export const DEFAULT_TIMEOUT_S = 30;
export const DEFAULT_MAX_MEMORY_MB = 1024;

export class UsageError extends Error {}

/** Splits the run-wide limits off `argv`; a malformed value is a UsageError (one line, exit 2). */
export function takeLimits(argv: string[]): { argv: string[]; limits: Limits } {
  const rest: string[] = [];
  const limits: Limits = { budgets: [], timeout: DEFAULT_TIMEOUT_S, maxMemoryMb: DEFAULT_MAX_MEMORY_MB };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--(budget|timeout|max-memory)(?:=(.*))?$/.exec(a);
    if (!m) {
      rest.push(a);
      continue;
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`option --${m[1]} needs a value`);
    if (m[1] === 'budget') {
      const b = /^([A-Za-z]+)=(\d+(?:\.\d+)?)$/.exec(value);
      if (!b || !Object.hasOwn(DEFAULT_BUDGETS, b[1]!)) {
        throw new UsageError(`--budget takes NAME=N, NAME one of: ${Object.keys(DEFAULT_BUDGETS).join(', ')}`);
      }
      const n = Number(b[2]);
      if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--budget ${b[1]} must be a positive number`);
      limits.budgets.push([b[1]!, n]);
    } else {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0)
        throw new UsageError(`--${m[1]} takes a number (${m[1] === 'timeout' ? 'seconds, 0 for none' : 'megabytes, 0 for none'})`);
      if (m[1] === 'timeout') limits.timeout = n;
      else limits.maxMemoryMb = n;
    }
  }
  return { argv: rest, limits };
}

/**
 * How remote inputs (URLs, hf://) are fetched in a run with these limits: `--timeout` bounds connecting and every
 * stall, and the run as a whole (counted from the process's start).
 */
export function remoteOptions(limits: Limits): { timeoutS: number; deadline?: number } {
  if (limits.timeout <= 0) return { timeoutS: 0 };
  // The process's start as Date.now() counts it (process.uptime, not performance.timeOrigin: reading Node's
  // `performance` global loads perf_hooks, ~5 ms of every run's start-up).
  return { timeoutS: limits.timeout, deadline: Date.now() - process.uptime() * 1000 + limits.timeout * 1000 };
}
