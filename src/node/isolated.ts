// inspect() where it can be stopped: the library's watchdog, for a host that reads files from strangers.
// The inspection runs in a worker thread with a bounded JavaScript heap; past the deadline the thread is
// terminated (a spinning WebAssembly call cannot be interrupted on its own thread) and the answer is an
// InputError in the words the CLI uses. The worker's scratch files live in a private folder removed after.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError } from '../model/errors.js';
import type { Report } from '../model/types.js';
import type { IsolatedAnswer, IsolatedJob } from './isolated-worker.js';

export interface IsolatedOptions {
  weights?: string;
  hdf5?: 'typescript' | 'h5wasm';
  /** Seconds before the inspection is stopped (default 30; 0: no limit). */
  timeoutS?: number;
  /** Megabytes of JavaScript heap the worker may use (default 768; 0: Node's default). */
  maxHeapMb?: number;
}

function workerUrl(): URL {
  const url = new URL('./isolated-worker.js', import.meta.url);
  if (!fs.existsSync(fileURLToPath(url))) throw new Error('the isolated inspection worker is missing: run npm run build');
  return url;
}

/** Inspects `file` in a worker thread that is stopped past `timeoutS` or over `maxHeapMb`: an InputError then. */
export async function inspectIsolated(file: string, opts: IsolatedOptions = {}): Promise<Report> {
  const timeoutS = opts.timeoutS ?? 30;
  const heapMb = opts.maxHeapMb ?? 768;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-isolated-'));
  const job: IsolatedJob = { file, ...(opts.weights ? { weights: opts.weights } : {}), ...(opts.hdf5 ? { hdf5: opts.hdf5 } : {}) };
  const worker = new Worker(workerUrl(), {
    workerData: job,
    env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp },
    ...(heapMb > 0 ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {}),
  });
  try {
    return await new Promise<Report>((resolve, reject) => {
      let settled = false;
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        f();
      };
      const timer =
        timeoutS > 0
          ? setTimeout(() => {
              void worker.terminate();
              settle(() => reject(new InputError(file, `still reading after ${timeoutS} s; stopped`)));
            }, timeoutS * 1000)
          : null;
      worker.on('message', (a: IsolatedAnswer) => {
        if (!a || !('report' in a || 'error' in a)) return; // the inspection naming its input: not the answer
        settle(() => {
          if ('report' in a) resolve(a.report as Report);
          else if (a.error.input) reject(new InputError(a.error.file, a.error.message));
          else reject(new Error(a.error.message));
        });
      });
      worker.on('error', (e: Error & { code?: string }) =>
        settle(() =>
          reject(
            e.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new InputError(file, `reading it took more than the memory allowed (${heapMb} MB of heap); stopped`)
              : e,
          ),
        ),
      );
      worker.on('exit', (code) => settle(() => reject(new Error(`the inspection ended without an answer (exit ${code})`))));
    });
  } finally {
    await worker.terminate();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
