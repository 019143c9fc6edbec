// `kerascope scan`: every model under a folder, inspected in parallel by worker threads (each initializes
// its readers once), results handed back as they finish so that a folder of any size streams through
// without holding its reports.
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Report } from '../model/types.js';
import { discover, type Found } from './discover.js';
import type { ScanAnswer } from './scan-worker.js';

export type ScanResult = (Found & { report: Report; error?: undefined }) | (Found & { error: string; report?: undefined });

export interface ScanOptions {
  jobs?: number;
  exclude?: string[];
  /** Called once the folder has been walked (for a progress bar's total). */
  onTotal?: (n: number) => void;
}

/** The worker script: the bundled one beside the CLI bundle (this code may sit in a chunk below it), or the compiled module beside this one. */
function workerUrl(): URL {
  for (const rel of ['./scan-worker.mjs', '../scan-worker.mjs', './scan-worker.js', './node/scan-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (fs.existsSync(fileURLToPath(url))) return url;
  }
  throw new Error('the scan worker script (dist/node/scan-worker.js) is missing: run npm run build');
}

/** Scans `root`, yielding each model's result as soon as it is ready (completion order). */
export async function* scan(root: string, opts: ScanOptions = {}): AsyncGenerator<ScanResult> {
  const items = [...discover(root, opts.exclude ?? [])].map((f, id) => ({ ...f, id }));
  opts.onTotal?.(items.length);
  if (!items.length) return;
  const jobs = Math.max(1, Math.min(opts.jobs ?? os.availableParallelism(), items.length));
  const url = workerUrl();
  const workers = Array.from({ length: jobs }, () => new Worker(url));
  const done: ScanResult[] = [];
  let wake: (() => void) | null = null;
  let next = 0;
  let finished = 0;
  let failure: Error | null = null;
  const feed = (w: Worker) => {
    if (next < items.length) {
      const item = items[next++]!;
      w.postMessage({ id: item.id, file: item.file });
    }
  };
  for (const w of workers) {
    w.on('message', (a: ScanAnswer) => {
      // Other messages (the inspection naming its input for the CLI's watchdog) are not answers.
      if (typeof a?.id !== 'number') return;
      const item = items[a.id]!;
      const found: Found = item.weights ? { file: item.file, weights: item.weights } : { file: item.file };
      done.push('error' in a ? { ...found, error: a.error } : { ...found, report: a.report as Report });
      finished++;
      feed(w);
      wake?.();
    });
    w.on('error', (e) => {
      failure = e;
      wake?.();
    });
    feed(w);
  }
  try {
    while (finished < items.length) {
      if (failure) throw failure;
      if (!done.length) await new Promise<void>((r) => (wake = r));
      wake = null;
      while (done.length) yield done.shift()!;
    }
    while (done.length) yield done.shift()!;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
