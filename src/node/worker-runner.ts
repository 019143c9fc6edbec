// The one way kerascope runs work it may have to stop: a worker thread (a spinning WebAssembly call cannot be
// interrupted on its own thread), with a bounded JavaScript heap, a deadline and, for the command line, a
// cap on the process's resident memory, its scratch files in a private folder removed when the work ends.
// The watchdog (src/cli/watchdog.ts), inspectIsolated (./isolated.ts) and `scan` (./scan.ts) all use it, and
// all say why they stopped in the same words (`stopText`).
//
// Scratch folders are named `kerascope-run-<pid>-…` after the process that owns them: a folder whose owner is
// gone (a run killed with SIGKILL cannot remove its own) is removed by the next run (`sweepStaleScratch`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Why a worker was stopped or lost. */
export type StopReason =
  | { kind: 'time'; seconds: number }
  | { kind: 'memory'; mb: number }
  | { kind: 'crash'; detail: string }
  | { kind: 'aborted'; reason: unknown };

/**
 * The one line that says why. `cli`: name the command-line option that raises the limit (the library's
 * callers set `timeoutS` / `maxHeapMb` instead).
 */
export function stopText(r: StopReason, cli: boolean): string {
  if (r.kind === 'time') return `still reading after ${r.seconds} s; stopped${cli ? ' (raise the limit with --timeout SECONDS)' : ''}`;
  if (r.kind === 'memory')
    return `reading it took more than ${r.mb} MB of memory; stopped${cli ? ' (raise the limit with --max-memory MB)' : ''}`;
  if (r.kind === 'aborted') return 'stopped: the caller aborted the inspection';
  return `internal error: ${r.detail}`;
}

export const SCRATCH_PREFIX = 'kerascope-run-';

/** The owner pid of a scratch folder name (`kerascope-run-<pid>-…`), or null for a name of another form. */
export function scratchOwner(name: string): number | null {
  const m = /^kerascope-run-(\d+)-/.exec(name);
  return m ? Number(m[1]) : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // someone else's process: alive
  }
}

/**
 * Removes the scratch folders under `dir` (default: the temporary folder) whose owner process is gone.
 * A folder of a live process, or of another form, is kept. Returns the folders removed.
 */
export function sweepStaleScratch(dir: string = os.tmpdir()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = scratchOwner(name);
    if (pid === null || pid === process.pid || alive(pid)) continue;
    const full = path.join(dir, name);
    try {
      fs.rmSync(full, { recursive: true, force: true });
      removed.push(full);
    } catch {
      /* not ours to remove (another user's): leave it */
    }
  }
  return removed;
}

/** A private scratch folder owned by this process (named with its pid), removed by `remove()`. */
export function makeScratchDir(): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${SCRATCH_PREFIX}${process.pid}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The first of `candidates` (relative to `base`, a module URL) that exists: a bundle's script or a compiled module. */
export function workerScript(base: string, candidates: string[], missing: string): URL {
  for (const rel of candidates) {
    const url = new URL(rel, base);
    if (fs.existsSync(fileURLToPath(url))) return url;
  }
  throw new Error(`${missing} is missing: run npm run build`);
}

export interface SpawnOptions {
  /** Scratch folder: the worker's TMPDIR. */
  tmp: string;
  workerData?: unknown;
  /** Megabytes of JavaScript heap (0 or absent: Node's default). */
  heapMb?: number;
}

export function spawnWorker(url: URL, opts: SpawnOptions): Worker {
  const heapMb = opts.heapMb ?? 0;
  return new Worker(url, {
    ...(opts.workerData === undefined ? {} : { workerData: opts.workerData }),
    env: { ...process.env, TMPDIR: opts.tmp, TMP: opts.tmp, TEMP: opts.tmp },
    ...(heapMb > 0 ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {}),
  });
}

/** The heap a worker gets when the whole process may use `maxMemoryMb` resident (the host needs the rest). */
export const workerHeapMb = (maxMemoryMb: number): number => (maxMemoryMb > 0 ? Math.max(64, Math.floor(maxMemoryMb * 0.75)) : 0);

export interface JobOptions<T> {
  /** Seconds before the job is stopped (0: none). */
  timeoutS: number;
  /** The memory limit named when the worker runs out of heap (MB). */
  memoryMb: number;
  /** Stops the job when the process goes over this resident memory (MB; 0 or absent: not watched). */
  maxRssMb?: number;
  /** The job's answer among the worker's messages (undefined for any other message). */
  answer(message: unknown): T | undefined;
  /** Every other message. */
  onMessage?(message: unknown): void;
  /** Ends the job at once (the caller's AbortSignal): stopped, aborted. */
  signal?: AbortSignal;
}

export type JobOutcome<T> = { answer: T } | { stopped: StopReason };

/**
 * Watches one job on `worker` until it answers, is stopped (deadline, memory, signal: the worker is then
 * terminated) or is lost (the worker crashed or ended). Its listeners are removed when it settles, so a
 * worker that answered can take the next job.
 */
export function watchJob<T>(worker: Worker, opts: JobOptions<T>): Promise<JobOutcome<T>> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: JobOutcome<T>, terminate: boolean) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
      opts.signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (terminate) void worker.terminate();
      resolve(outcome);
    };
    const onMessage = (m: unknown) => {
      const a = opts.answer(m);
      if (a !== undefined) finish({ answer: a }, false);
      else opts.onMessage?.(m);
    };
    const onError = (e: Error & { code?: string }) =>
      finish(
        { stopped: e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { kind: 'memory', mb: opts.memoryMb } : { kind: 'crash', detail: e.message } },
        true,
      );
    const onExit = (code: number) =>
      finish({ stopped: { kind: 'crash', detail: `the worker ended without an answer (exit ${code})` } }, false);
    const onTime = () => finish({ stopped: { kind: 'time', seconds: opts.timeoutS } }, true);
    const onAbort = () => finish({ stopped: { kind: 'aborted', reason: opts.signal?.reason } }, true);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const timer = opts.timeoutS > 0 ? setTimeout(onTime, opts.timeoutS * 1000) : null;
    const maxRss = opts.maxRssMb ?? 0;
    const poll =
      maxRss > 0
        ? setInterval(() => {
            if (process.memoryUsage.rss() > maxRss * 1024 * 1024) finish({ stopped: { kind: 'memory', mb: maxRss } }, true);
          }, 50)
        : null;
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
