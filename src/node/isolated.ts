// inspect() where it can be stopped: the library's watchdog, for a host that reads files from strangers.
// The inspection runs in a worker thread with a bounded JavaScript heap (src/node/worker-runner.ts); past
// the deadline the thread is terminated (a spinning WebAssembly call cannot be interrupted on its own
// thread) and the answer is an InputError in the words the CLI uses. The worker's scratch files live in a
// private folder removed after.
import { InputError } from '../model/errors.js';
import type { Report } from '../model/types.js';
import type { IsolatedAnswer, IsolatedJob } from './isolated-worker.js';
import { makeScratchDir, spawnWorker, stopText, watchJob, workerScript } from './worker-runner.js';

export interface IsolatedOptions {
  weights?: string;
  hdf5?: 'typescript' | 'h5wasm';
  /** Seconds before the inspection is stopped (default 30; 0: no limit). */
  timeoutS?: number;
  /** Megabytes of JavaScript heap the worker may use (default 768; 0: Node's default). */
  maxHeapMb?: number;
}

/** Inspects `file` in a worker thread that is stopped past `timeoutS` or over `maxHeapMb`: an InputError then. */
export async function inspectIsolated(file: string, opts: IsolatedOptions = {}): Promise<Report> {
  const timeoutS = opts.timeoutS ?? 30;
  const heapMb = opts.maxHeapMb ?? 768;
  const url = workerScript(import.meta.url, ['./isolated-worker.js'], 'the isolated inspection worker');
  const scratch = makeScratchDir();
  const job: IsolatedJob = { file, ...(opts.weights ? { weights: opts.weights } : {}), ...(opts.hdf5 ? { hdf5: opts.hdf5 } : {}) };
  const worker = spawnWorker(url, { tmp: scratch.dir, workerData: job, heapMb });
  try {
    const outcome = await watchJob(worker, {
      timeoutS,
      memoryMb: heapMb,
      answer: (a) => (a && typeof a === 'object' && ('report' in a || 'error' in a) ? (a as IsolatedAnswer) : undefined),
    });
    if ('stopped' in outcome) {
      const r = outcome.stopped;
      if (r.kind === 'crash') throw new Error(r.detail);
      throw new InputError(file, stopText(r, false));
    }
    const a = outcome.answer;
    if ('report' in a) return a.report as Report;
    throw a.error.input ? new InputError(a.error.file, a.error.message) : new Error(a.error.message);
  } finally {
    await worker.terminate();
    scratch.remove();
  }
}
