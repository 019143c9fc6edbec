// Synchronous HTTP for the readers (they read through a synchronous ByteSource, see src/io/byte-source.ts):
// requests run on a helper thread with the platform's fetch while this thread waits on a shared word
// (Atomics.wait, which Node allows on every thread), then takes the answer off the message port at once.
// The wait is bounded by the request's own deadlines plus a margin, so a thread never waits forever.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { type HttpPolicy, type HttpRequest, type HttpResponse, RemoteError } from '../io/http.js';
import type { SyncTransport } from '../io/http-source.js';
import type { HttpAnswer } from './http-worker-main.js';

function workerUrl(): URL {
  for (const rel of ['./http-worker.cjs', './http-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (fs.existsSync(fileURLToPath(url))) return url;
  }
  throw new Error('the HTTP helper script (dist/node/http-worker.js) is missing: run npm run build');
}

/** A helper thread and the synchronous transport that uses it; `close()` ends the thread. */
export class SyncHttp {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private next = 0;

  /**
   * @param policy how each request is made (timeouts, retries, token)
   * @param deadline when the whole run must end (ms since the epoch): a wait never goes past it, and a request
   *   still running then ends the run with `stopped` (this thread cannot be stopped while it waits)
   */
  constructor(
    private readonly policy: HttpPolicy,
    private readonly deadline?: { at: number; stopped: string },
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(workerUrl(), {
      workerData: { port: port2, signal: this.signal, policy },
      transferList: [port2],
      // The helper only fetches: a small heap.
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    this.worker.unref();
    this.port.unref();
  }

  /** One request, waited for. */
  readonly transport: SyncTransport = (req: HttpRequest): HttpResponse => {
    const id = ++this.next;
    this.port.postMessage({ id, req });
    // Headers and each stall are bounded by timeoutMs per attempt; attempts and Retry-After waits add up.
    const attempts = this.policy.retries + 1;
    const bound =
      this.policy.timeoutMs > 0 ? attempts * (2 * this.policy.timeoutMs + (this.policy.maxRetryAfterMs ?? 60_000)) + 5000 : Infinity;
    const until = Math.min(Date.now() + bound, this.deadline?.at ?? Infinity);
    for (;;) {
      // The word first, then the port: an answer that lands in between changes the word, so the wait returns.
      const seen = Atomics.load(this.signal, 0);
      const m = receiveMessageOnPort(this.port)?.message as HttpAnswer | undefined;
      if (m && m.id === id) {
        if ('error' in m) throw m.remote ? new RemoteError(m.error) : new Error(m.error);
        return m.response;
      }
      if (m) continue; // an answer to an earlier, abandoned request
      const left = until - Date.now();
      if (left <= 0) {
        if (this.deadline && Date.now() >= this.deadline.at) throw new RemoteError(this.deadline.stopped);
        throw new RemoteError('no answer from the HTTP helper thread');
      }
      Atomics.wait(this.signal, 0, seen, Math.min(left, 1000));
    }
  };

  close(): void {
    this.port.close();
    void this.worker.terminate();
  }
}
