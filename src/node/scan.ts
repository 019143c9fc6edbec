// `kerascope scan`: every model under a folder, inspected in parallel by worker threads (each initializes
// its readers once), results handed back as they finish so that a folder of any size streams through
// without holding its reports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Report } from '../model/types.js';
import { discover, displayPath, type Found, type Skipped } from './discover.js';
import type { ScanAnswer } from './scan-worker-main.js';

export type ScanResult = (Found & { report: Report; error?: undefined }) | (Found & { error: string; report?: undefined });

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
  const items = [...discover(root, opts.exclude ?? [], opts.skipped)].map((f, id) => ({ ...f, id, stage: null as Stage | null }));
  opts.onTotal?.(items.length);
  if (!items.length) return;
  const jobs = Math.max(1, Math.min(opts.jobs ?? os.availableParallelism(), items.length));
  const url = workerUrl();
  const timeoutS = opts.timeoutS ?? 0;
  const maxMb = opts.maxMemoryMb ?? 0;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-scan-'));
  let staged = 0;
  const done: ScanResult[] = [];
  let wake: (() => void) | null = null;
  let next = 0;
  let finished = 0;
  let ended = false;
  const found = (item: (typeof items)[number]): Found => (item.weights ? { file: item.file, weights: item.weights } : { file: item.file });
  // What the worker opens: the path itself, or for a path that is not UTF-8 its staged stand-in.
  const job = (item: (typeof items)[number]) => {
    if (!item.bytes && !item.weightsBytes) return { file: item.file, weights: item.weights };
    item.stage ??= stage(path.join(tmp, `stage-${staged++}`), item);
    return { file: item.stage.file, weights: item.stage.weights };
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
      answer(unstage(item, 'error' in a ? { ...found(item), error: a.error } : { ...found(item), report: a.report as Report }));
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
    const j = job(item);
    slot.worker.postMessage({ id: item.id, file: j.file });
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
