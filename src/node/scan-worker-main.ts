// A scan worker: inspects one model per message with the readers it initialized once, and answers with the
// report, or the one-line error an unreadable file gets. (Started by src/node/scan-worker.ts from the compiled
// modules, or by dist/scan-worker.cjs from the bundle.)
import { parentPort } from 'node:worker_threads';
import { h5 } from '../hdf5/h5wasm/module.js';
import { SeveralModels } from '../io/hub.js';
import type { BudgetName } from '../model/budgets.js';
import { InputError } from '../model/errors.js';
import { inspect } from './inspect.js';
import { isRemote, remotePolicy } from './remote.js';
import { SyncHttp } from './sync-http.js';

export interface ScanJob {
  id: number;
  file: string;
  budgets: Partial<Record<BudgetName, number>>;
  /** The per-file limit, which also bounds a remote entry's connection and stalls. */
  timeoutS?: number;
  /** A Hub repository of several models answers with their names (`expand`) instead of an error. */
  expand?: boolean;
}

/** What a remote entry cost (scan --urls). */
export interface RemoteCost {
  requests: number;
  bytes: number;
  seconds: number;
}

export type ScanAnswer =
  | { id: number; report: unknown; remote?: RemoteCost }
  | { id: number; error: string; remote?: RemoteCost }
  | { id: number; expand: string[]; remote?: RemoteCost };

/** The worker's first message: started, and ready for files (their deadlines start now). */
export const READY_MESSAGE = 'kerascope:ready';

export function startScanWorker(): void {
  // Remote entries share one HTTP helper thread per worker (made on the first, for the same limits).
  let http: { key: number; helper: SyncHttp } | null = null;
  parentPort?.on('message', async (job: ScanJob) => {
    let answer: ScanAnswer;
    const started = performance.now();
    let remote: RemoteCost | undefined;
    const onRemoteStats = (s: { requests: number; bytes: number }) => {
      remote = { requests: (remote?.requests ?? 0) + s.requests, bytes: (remote?.bytes ?? 0) + s.bytes, seconds: 0 };
    };
    const remote0 = { timeoutS: job.timeoutS ?? 30 };
    if (isRemote(job.file) && http?.key !== remote0.timeoutS) {
      http?.helper.close();
      http = { key: remote0.timeoutS, helper: new SyncHttp(remotePolicy(remote0)) };
    }
    const opts = { budgets: job.budgets, onRemoteStats, remote: { ...remote0, ...(http ? { http: http.helper } : {}) } };
    try {
      answer = { id: job.id, report: await inspect(job.file, opts) };
    } catch (e) {
      if (e instanceof SeveralModels && job.expand) {
        parentPort?.postMessage({ id: job.id, expand: e.models } satisfies ScanAnswer);
        return;
      }
      const line =
        e instanceof InputError ? `${e.file}: ${e.message}` : `${job.file}: internal error: ${(e as Error)?.message ?? String(e)}`;
      answer = { id: job.id, error: line };
    }
    if (remote) answer.remote = { ...(remote as RemoteCost), seconds: Math.round(performance.now() - started) / 1000 };
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
