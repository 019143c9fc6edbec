// The worker behind inspectIsolated(): one inspection, answered with the report or the error's words.
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../model/errors.js';
import { inspect } from './inspect.js';

export interface IsolatedJob {
  file: string;
  weights?: string;
  hdf5?: 'typescript' | 'h5wasm';
}

export type IsolatedAnswer = { report: unknown } | { error: { input: boolean; file: string; message: string } };

const job = workerData as IsolatedJob;
let answer: IsolatedAnswer;
try {
  answer = {
    report: await inspect(job.file, { ...(job.weights ? { weights: job.weights } : {}), ...(job.hdf5 ? { hdf5: job.hdf5 } : {}) }),
  };
} catch (e) {
  answer =
    e instanceof InputError
      ? { error: { input: true, file: e.file, message: e.message } }
      : { error: { input: false, file: job.file, message: (e as Error)?.message ?? String(e) } };
}
parentPort?.postMessage(answer);
