// `kerascope scan`: every model under a folder, inspected in parallel by worker threads (each initializes
// its readers once), results handed back as they finish so that a folder of any size streams through
// without holding its reports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Report } from '../model/types.js';
import { discover, type Found } from './discover.js';
import type { ScanAnswer } from './scan-worker-main.js';

/** What a remote entry cost (scan --urls). */
export interface RemoteCost {
  requests: number;
  bytes: number;
  seconds: number;
}

export type ScanResult =
  | (Found & { report: Report; error?: undefined; remote?: RemoteCost })
  | (Found & { error: string; report?: undefined; remote?: RemoteCost });

export interface ScanOptions {
  jobs?: number;
  exclude?: string[];
  /** Called once the folder has been walked (for a progress bar's total). */
  onTotal?: (n: number) => void;
  /** Seconds one file may take before its worker is stopped (0 or absent: no limit). */
  timeoutS?: number;
  /** Megabytes of JavaScript heap a worker may use, as the CLI's --max-memory (0 or absent: Node's default). */
  maxMemoryMb?: number;
  /** A Hub repository of several models (an entry as given, not one found this way) is scanned model by model. */
  expandRepos?: boolean;
  /** Models of an expanded repository to leave out (already done: `scan --urls --resume`). */
  skip?: ReadonlySet<string>;
}

/** The worker script: the bundle's, beside the CLI bundle (dist/kerascope.cjs), or the compiled module beside this one. */
function workerUrl(): URL {
  for (const rel of ['./scan-worker.cjs', './scan-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (fs.existsSync(fileURLToPath(url))) return url;
  }
  throw new Error('the scan worker script (dist/node/scan-worker.js) is missing: run npm run build');
}

/** The one line a file gets when its worker was stopped, in the words of the CLI's watchdog. */
export const stoppedForTime = (s: number) => `still reading after ${s} s; stopped (raise the limit with --timeout SECONDS)`;
export const stoppedForMemory = (mb: number) => `reading it took more than the memory allowed (${mb} MB with --max-memory); stopped`;

/**
 * Scans `root`, yielding each model's result as soon as it is ready (completion order). Each file has its own
 * deadline (`timeoutS`) and each worker a bounded JavaScript heap (`maxMemoryMb`): a file that makes a reader
 * spin or balloon gets its error line, its worker is replaced, and the scan goes on. The workers' scratch
 * files live in a private folder removed at the end.
 */
export async function* scan(root: string, opts: ScanOptions = {}): AsyncGenerator<ScanResult> {
  yield* scanEach([...discover(root, opts.exclude ?? [])], opts);
}

/**
 * Inspects each of `found` (paths, URLs or hf:// URIs) in the workers, yielding results in completion order;
 * the same limits per entry as `scan`. Remote entries report what they cost (requests, bytes, seconds).
 */
export async function* scanEach(entries: Found[], opts: ScanOptions = {}): AsyncGenerator<ScanResult> {
  const items: (Found & { id: number; expand?: boolean })[] = entries.map((f, id) => ({
    ...f,
    id,
    ...(opts.expandRepos ? { expand: true } : {}),
  }));
  opts.onTotal?.(items.length);
  if (!items.length) return;
  // (expanding repositories adds entries: every worker may get some)
  const jobs = Math.max(1, Math.min(opts.jobs ?? os.availableParallelism(), opts.expandRepos ? Infinity : items.length));
  const url = workerUrl();
  const timeoutS = opts.timeoutS ?? 0;
  const maxMb = opts.maxMemoryMb ?? 0;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-scan-'));
  const done: ScanResult[] = [];
  let wake: (() => void) | null = null;
  let next = 0;
  let finished = 0;
  let ended = false;
  const found = (item: (typeof items)[number]): Found => (item.weights ? { file: item.file, weights: item.weights } : { file: item.file });
  const answer = (r: ScanResult) => {
    done.push(r);
    finished++;
    wake?.();
  };
  interface Slot {
    worker: Worker;
    item: (typeof items)[number] | null;
    timer: NodeJS.Timeout | null;
  }
  const slots: Slot[] = [];
  const start = (slot: Slot) => {
    const w = new Worker(url, {
      env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp },
      ...(maxMb > 0 ? { resourceLimits: { maxOldGenerationSizeMb: Math.max(64, Math.floor(maxMb * 0.75)) } } : {}),
    });
    slot.worker = w;
    // A worker that stops with a file in hand (out of memory, crashed, or stopped for time) answers for it
    // with an error line, and a fresh worker takes its place.
    const lost = (why: string) => {
      if (slot.worker !== w) return;
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      const item = slot.item;
      slot.item = null;
      if (item) answer({ ...found(item), error: `${item.file}: ${why}` });
      if (ended) return;
      void w.terminate();
      start(slot);
      feed(slot);
    };
    w.on('message', (a: ScanAnswer) => {
      // Other messages (the inspection naming its input) are not answers.
      if (typeof a?.id !== 'number' || slot.worker !== w || slot.item?.id !== a.id) return;
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      const item = slot.item;
      slot.item = null;
      if ('expand' in a) {
        // The repository's models become entries of their own (never expanded again), in its place.
        for (const file of a.expand) if (!opts.skip?.has(file)) items.push({ file, id: items.length });
        finished++;
        for (const s of slots) if (s.item === null && s !== slot) feed(s);
        feed(slot);
        wake?.();
        return;
      }
      const remote = a.remote ? { remote: a.remote } : {};
      answer('error' in a ? { ...found(item), error: a.error, ...remote } : { ...found(item), report: a.report as Report, ...remote });
      feed(slot);
    });
    w.on('error', (e: Error & { code?: string }) =>
      lost(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? stoppedForMemory(maxMb) : `internal error: ${e.message}`),
    );
    w.on('exit', (code) => lost(`internal error: the worker ended without an answer (exit ${code})`));
  };
  const feed = (slot: Slot) => {
    if (next >= items.length) return;
    const item = items[next++]!;
    slot.item = item;
    if (timeoutS > 0) slot.timer = setTimeout(() => lostByTime(slot), timeoutS * 1000);
    slot.worker.postMessage({
      id: item.id,
      file: item.file,
      ...(timeoutS > 0 ? { timeoutS } : {}),
      ...(item.expand ? { expand: true } : {}),
    });
  };
  const lostByTime = (slot: Slot) => {
    const w = slot.worker;
    const item = slot.item;
    slot.item = null;
    slot.timer = null;
    if (item) answer({ ...found(item), error: `${item.file}: ${stoppedForTime(timeoutS)}` });
    void w.terminate();
    start(slot);
    feed(slot);
  };
  for (let j = 0; j < jobs; j++) {
    const slot = { item: null, timer: null } as unknown as Slot;
    slots.push(slot);
    start(slot);
    feed(slot);
  }
  try {
    while (finished < items.length) {
      if (!done.length) await new Promise<void>((r) => (wake = r));
      wake = null;
      while (done.length) yield done.shift()!;
    }
    while (done.length) yield done.shift()!;
  } finally {
    ended = true;
    for (const s of slots) if (s.timer) clearTimeout(s.timer);
    await Promise.all(slots.map((s) => s.worker.terminate()));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
