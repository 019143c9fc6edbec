// A scan worker: inspects one model per message with the readers it initialized once, and answers with the
// report, or the one-line error an unreadable file gets. (Started by src/node/scan-worker.ts from the compiled
// modules, or by dist/scan-worker.cjs from the bundle.)
import { parentPort } from 'node:worker_threads';
import type { BudgetName } from '../model/budgets.js';
import { h5 } from '../hdf5/h5wasm/module.js';
import { InputError } from '../model/errors.js';
import { inspect } from './inspect.js';

export interface ScanJob {
  id: number;
  file: string;
  budgets: Partial<Record<BudgetName, number>>;
}

export type ScanAnswer = { id: number; report: unknown } | { id: number; error: string };

/** The worker's first message: started, and ready for files (their deadlines start now). */
export const READY_MESSAGE = 'kerascope:ready';

export function startScanWorker(): void {
  parentPort?.on('message', async (job: ScanJob) => {
    let answer: ScanAnswer;
    try {
      answer = { id: job.id, report: await inspect(job.file, { budgets: job.budgets }) };
    } catch (e) {
      const line =
        e instanceof InputError ? `${e.file}: ${e.message}` : `${job.file}: internal error: ${(e as Error)?.message ?? String(e)}`;
      answer = { id: job.id, error: line };
    }
    parentPort?.postMessage(answer);
  });
  void ready();
}

/** Start-up work that is no file's (the WebAssembly HDF5 library, when it is chosen), then READY_MESSAGE. */
async function ready(): Promise<void> {
  if (process.env.KERASCOPE_HDF5 === 'h5wasm') {
    try {
      await h5();
    } catch {
      /* the first file reports it */
    }
  }
  parentPort?.postMessage({ type: READY_MESSAGE });
}
