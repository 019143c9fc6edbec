// `kerascope scan`: every model under a folder, inspected in parallel by worker threads (each initializes
// its readers once), results handed back as they finish so that a folder of any size streams through
// without holding its reports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { BudgetName } from '../model/budgets.js';
import type { Report } from '../model/types.js';
import { discover, displayPath, type Found, type Skipped } from './discover.js';
import { READY_MESSAGE, type RemoteCost, type ScanAnswer, type ScanJob } from './scan-worker-main.js';

export type { RemoteCost };
import { makeScratchDir, spawnWorker, stopText, watchJob, workerHeapMb, workerScript } from './worker-runner.js';

export type ScanResult =
  | (Found & { report: Report; error?: undefined; remote?: RemoteCost })
  | (Found & { error: string; report?: undefined; remote?: RemoteCost });

export interface ScanOptions {
  jobs?: number;
  exclude?: string[];
  /** Called once the folder has been walked (for a progress bar's total). */
  onTotal?: (n: number) => void;
  /** Gets what the walk skipped (devices, FIFOs, sockets, dangling links, unreadable entries). */
  skipped?: Skipped[];
  /** Seconds one file may take before its worker is stopped (0 or absent: no limit). */
  timeoutS?: number;
  /** Megabytes of JavaScript heap a worker may use, as the CLI's --max-memory (0 or absent: Node's default). */
  maxMemoryMb?: number;
  /** Input budgets for every file (see LoadOptions.budgets). */
  budgets?: Partial<Record<BudgetName, number>>;
  /** A Hub repository of several models (an entry as given, not one found this way) is scanned model by model. */
  expandRepos?: boolean;
  /** Models of an expanded repository to leave out (already done: `scan --urls --resume`). */
  skip?: ReadonlySet<string>;
}

/**
 * Scans `root`, yielding each model's result as soon as it is ready (completion order). Each file has its own
 * deadline (`timeoutS`) and each worker a bounded JavaScript heap (`maxMemoryMb`): a file that makes a reader
 * spin or balloon gets its error line, its worker is replaced, and the scan goes on. The workers' scratch
 * files live in a private folder removed at the end.
 */
export async function* scan(root: string, opts: ScanOptions = {}): AsyncGenerator<ScanResult> {
  yield* scanEach([...discover(root, opts.exclude ?? [], opts.skipped)], opts);
}

/**
 * Inspects each of `entries` (paths, URLs or hf:// URIs) in the workers, yielding results in completion order;
 * the same limits per entry as `scan`. Remote entries report what they cost (requests, bytes, seconds).
 */
export async function* scanEach(entries: Found[], opts: ScanOptions = {}): AsyncGenerator<ScanResult> {
  const items: (Found & { id: number; expand?: boolean; stage?: Stage })[] = entries.map((f, id) => ({
    ...f,
    id,
    ...(opts.expandRepos ? { expand: true } : {}),
  }));
  opts.onTotal?.(items.length);
  if (!items.length) return;
  // (expanding repositories adds entries: every worker may get some)
  const jobs = Math.max(1, Math.min(opts.jobs ?? os.availableParallelism(), opts.expandRepos ? Infinity : items.length));
  const url = workerScript(import.meta.url, ['./scan-worker.cjs', './scan-worker.js'], 'the scan worker script (dist/node/scan-worker.js)');
  const timeoutS = opts.timeoutS ?? 0;
  const maxMb = opts.maxMemoryMb ?? 0;
  const scratch = makeScratchDir();
  const done: ScanResult[] = [];
  let wake: (() => void) | null = null;
  let next = 0;
  let finished = 0;
  let ended = false;
  const found = (item: (typeof items)[number]): Found => (item.weights ? { file: item.file, weights: item.weights } : { file: item.file });
  let staged = 0;
  // What the worker opens: the path itself, or for a path that is not UTF-8 its staged stand-in.
  const job = (item: (typeof items)[number]): string => {
    if (!item.bytes && !item.weightsBytes) return item.file;
    item.stage ??= stage(path.join(scratch.dir, `stage-${staged++}`), item);
    return item.stage.file;
  };
  // Answers name the staged stand-in: shown as the real path (with escapes) again.
  const unstage = (item: (typeof items)[number], r: ScanResult): ScanResult => {
    const st = item.stage;
    if (!st) return r;
    const back = (x: string) => x.split(st.file).join(item.file).split(st.dir).join(st.shownDir);
    if (r.error !== undefined) return { ...r, error: back(r.error) };
    const report = { ...r.report, file: item.file, files: r.report.files.map((f) => ({ ...f, path: back(f.path) })) };
    return { ...r, report };
  };
  const answer = (r: ScanResult) => {
    done.push(r);
    finished++;
    wake?.();
  };
  interface Slot {
    /** Whether the slot waits for an entry (none was left when it asked). */
    idle?: boolean;
    worker: Worker;
    /** True when the worker has started, false when it ended first (per-file deadlines count the file, not the start-up). */
    ready: Promise<boolean>;
  }
  const slots: Slot[] = [];
  const spawn = (): Slot => {
    const worker = spawnWorker(url, { tmp: scratch.dir, heapMb: workerHeapMb(maxMb) });
    const ready = new Promise<boolean>((resolve) => {
      const settle = (ok: boolean) => {
        worker.off('message', onMessage);
        worker.off('exit', lost);
        worker.off('error', lost);
        resolve(ok);
      };
      const onMessage = (m: { type?: string } | null) => {
        if (m?.type === READY_MESSAGE) settle(true);
      };
      const lost = () => settle(false);
      worker.on('message', onMessage);
      worker.on('exit', lost);
      worker.on('error', lost);
    });
    return { worker, ready };
  };
  // One file at a time per worker; a worker stopped with a file in hand (out of memory, crashed, or stopped
  // for time) answers for it with an error line, and a fresh worker takes its place.
  const feed = (slot: Slot) => {
    slot.idle = next >= items.length;
    if (slot.idle || ended) return;
    const item = items[next++]!;
    void slot.ready.then((ok) => run(slot, item, ok));
  };
  /** Gives an idle slot one of the entries an expanded repository added. */
  const feedIdle = (slot: Slot) => {
    if (slot.idle) feed(slot);
  };
  const run = (slot: Slot, item: (typeof items)[number], ok: boolean) => {
    if (ended) return;
    if (!ok) {
      answer({
        ...found(item),
        error: `${item.file}: ${stopText({ kind: 'crash', detail: 'the scan worker ended as it started' }, true)}`,
      });
      Object.assign(slot, spawn());
      feed(slot);
      return;
    }
    const w = slot.worker;
    void watchJob(w, {
      timeoutS,
      memoryMb: maxMb,
      answer: (a) => ((a as ScanAnswer | null)?.id === item.id ? (a as ScanAnswer) : undefined),
    }).then((outcome) => {
      if ('answer' in outcome) {
        const a = outcome.answer;
        if ('expand' in a) {
          // The repository's models become entries of their own (never expanded again), in its place.
          for (const file of a.expand) if (!opts.skip?.has(file)) items.push({ file, id: items.length });
          finished++;
          for (const s of slots) if (s !== slot) feedIdle(s);
          feed(slot);
          wake?.();
          return;
        }
        const remote = a.remote ? { remote: a.remote } : {};
        answer(
          unstage(
            item,
            'error' in a ? { ...found(item), error: a.error, ...remote } : { ...found(item), report: a.report as Report, ...remote },
          ),
        );
      } else {
        answer({ ...found(item), error: `${item.file}: ${stopText(outcome.stopped, true)}` });
        if (ended) return;
        void w.terminate();
        Object.assign(slot, spawn());
      }
      feed(slot);
    });
    w.postMessage({
      id: item.id,
      file: job(item),
      budgets: opts.budgets ?? {},
      ...(timeoutS > 0 ? { timeoutS } : {}),
      ...(item.expand ? { expand: true } : {}),
    } satisfies ScanJob);
  };
  for (let j = 0; j < jobs; j++) {
    const slot = spawn();
    slots.push(slot);
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
    await Promise.all(slots.map((s) => s.worker.terminate()));
    scratch.remove();
  }
}

interface Stage {
  /** The stand-in folder and how its paths are shown. */
  dir: string;
  shownDir: string;
  file: string;
  weights?: string;
}

/**
 * A path whose bytes are not UTF-8 cannot be handed to the readers as a string: its folder is mirrored in a
 * scratch folder by symbolic links (one per entry, named as the entry is shown), so the model and whatever
 * it names beside itself (weights, shards) open through UTF-8 paths, and the links lead to the real files.
 */
function stage(dir: string, item: Found): Stage {
  fs.mkdirSync(dir);
  const real = item.bytes ?? Buffer.from(item.file);
  const sep = real.lastIndexOf(path.sep.charCodeAt(0));
  const folder = sep > 0 ? real.subarray(0, sep) : Buffer.from('.');
  for (const name of fs.readdirSync(folder, { encoding: 'buffer' })) {
    const shown = displayPath(name).replace(/[\\/]/g, '_');
    try {
      fs.symlinkSync(Buffer.concat([folder, Buffer.from(path.sep), name]), path.join(dir, shown));
    } catch {
      // two names shown alike: the first keeps the place
    }
  }
  const base = (p: string) => p.slice(p.lastIndexOf(path.sep) + 1).replace(/[\\/]/g, '_');
  const shownDir = item.file.slice(0, item.file.lastIndexOf(path.sep));
  return {
    dir,
    shownDir,
    file: path.join(dir, base(item.file)),
    ...(item.weights ? { weights: path.join(dir, base(item.weights)) } : {}),
  };
}
