// Inspections with a deadline. With `timeoutS` or `signal`, an inspection of a path runs in a worker thread
// with a bounded JavaScript heap (src/node/worker-runner.ts): past the deadline, over the heap or on abort
// the thread is terminated (a spinning WebAssembly call cannot be interrupted on its own thread) and the
// promise rejects with InspectionStopped, at once. The worker's scratch files live in a private folder
// removed after. A source (no path to hand a thread) is inspected here, raced against the deadline.
import { InputError, InspectionStopped } from '../model/errors.js';
import type { Report } from '../model/types.js';
import type { Inspection } from '../inspect.js';
import type { BudgetName } from '../model/budgets.js';
import { makeScratchDir, type StopReason, spawnWorker, stopText, watchJob, workerScript } from './worker-runner.js';

/** One inspection for the worker (./isolated-worker.ts), and its answer. */
export interface IsolatedJob {
  file: string;
  weights?: string;
  options: {
    hdf5?: 'typescript' | 'h5wasm';
    budgets?: Partial<Record<BudgetName, number>>;
    depth?: number;
    manifestOnly?: boolean;
  };
}

export type IsolatedAnswer = { inspection: unknown } | { error: { input: boolean; file: string; message: string } };

/** The worker's JavaScript heap when none is given (MB). */
export const DEFAULT_HEAP_MB = 768;

export interface IsolatedOptions {
  weights?: string;
  hdf5?: 'typescript' | 'h5wasm';
  /** Seconds before the inspection is stopped (default 30; 0: no limit). */
  timeoutS?: number;
  /** Megabytes of JavaScript heap the worker may use (default 768; 0: Node's default). */
  maxHeapMb?: number;
  /** Stops the inspection when it fires. */
  signal?: AbortSignal;
}

export function stopped(file: string, r: StopReason): Error {
  if (r.kind === 'crash') return new Error(r.detail);
  return new InspectionStopped(file, stopText(r, false), r.kind === 'aborted' ? 'aborted' : r.kind);
}

/** Runs one inspection of `job` in a worker thread, stopped past `timeoutS`, over `heapMb` or on `signal`. */
export async function inspectInWorker(
  job: IsolatedJob,
  limits: { timeoutS: number; heapMb: number; signal?: AbortSignal },
): Promise<Inspection> {
  if (limits.signal?.aborted) throw stopped(job.file, { kind: 'aborted', reason: limits.signal.reason });
  const url = workerScript(import.meta.url, ['./isolated-worker.js'], 'the isolated inspection worker');
  const scratch = makeScratchDir();
  const worker = spawnWorker(url, { tmp: scratch.dir, workerData: job, heapMb: limits.heapMb });
  try {
    const outcome = await watchJob(worker, {
      timeoutS: limits.timeoutS,
      memoryMb: limits.heapMb,
      ...(limits.signal ? { signal: limits.signal } : {}),
      answer: (a) => (a && typeof a === 'object' && ('inspection' in a || 'error' in a) ? (a as IsolatedAnswer) : undefined),
    });
    if ('stopped' in outcome) throw stopped(job.file, outcome.stopped);
    const a = outcome.answer;
    if ('inspection' in a) return a.inspection as Inspection;
    throw a.error.input ? new InputError(a.error.file, a.error.message) : new Error(a.error.message);
  } finally {
    void worker.terminate();
    scratch.remove();
  }
}

/** Inspects `file` in a worker thread that is stopped past `timeoutS` or over `maxHeapMb`: an InspectionStopped then. */
export async function inspectIsolated(file: string, opts: IsolatedOptions = {}): Promise<Report> {
  const job: IsolatedJob = { file, ...(opts.weights ? { weights: opts.weights } : {}), options: opts.hdf5 ? { hdf5: opts.hdf5 } : {} };
  const limits = {
    timeoutS: opts.timeoutS ?? 30,
    heapMb: opts.maxHeapMb ?? DEFAULT_HEAP_MB,
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  return (await inspectInWorker(job, limits)).report;
}
