// The helper thread behind synchronous remote reads (src/node/sync-http.ts): it performs each request with
// the platform's fetch and wakes the waiting thread through a shared word. (Started by
// src/node/http-worker.ts from the compiled modules, or by dist/http-worker.cjs from the bundle.)
import v8 from 'node:v8';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { type HttpPolicy, type HttpRequest, type HttpResponse, httpGet, RemoteError } from '../io/http.js';

export interface HttpWorkerData {
  port: MessagePort;
  signal: Int32Array;
  policy: HttpPolicy;
}

export type HttpAnswer = { id: number; response: HttpResponse } | { id: number; error: string; remote: boolean };

export function startHttpWorker(): void {
  // fetch parses HTTP with a WebAssembly module; V8 recompiles it in the background (tier-up), and ending the
  // thread waits for that (~0.5 s on every run). Baseline code only: the parser is fast enough, the end prompt.
  // (The flag is the process's: h5wasm, in a run that also reads a remote input, runs on baseline code too.)
  v8.setFlagsFromString('--liftoff-only');
  const { port, signal, policy } = workerData as HttpWorkerData;
  port.on('message', async (m: { id: number; req: HttpRequest }) => {
    let answer: HttpAnswer;
    try {
      answer = { id: m.id, response: await httpGet(m.req, policy) };
    } catch (e) {
      answer = { id: m.id, error: (e as Error)?.message ?? String(e), remote: e instanceof RemoteError };
    }
    port.postMessage(answer);
    Atomics.store(signal, 0, m.id);
    Atomics.notify(signal, 0);
  });
  void parentPort;
}
