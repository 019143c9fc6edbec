// The worker behind an inspection with a deadline (inspect() with `timeoutS` or `signal`, inspectIsolated()):
// one inspection, answered with what it found or the error's words.
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../model/errors.js';
import { inspectModel } from './inspect.js';
import type { IsolatedAnswer, IsolatedJob } from './isolated.js';

const job = workerData as IsolatedJob;
let answer: IsolatedAnswer;
try {
  answer = { inspection: await inspectModel(job.file, { ...job.options, ...(job.weights ? { weights: job.weights } : {}) }) };
} catch (e) {
  answer =
    e instanceof InputError
      ? { error: { input: true, file: e.file, message: e.message } }
      : { error: { input: false, file: job.file, message: (e as Error)?.message ?? String(e) } };
}
parentPort?.postMessage(answer);
