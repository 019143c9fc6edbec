// The library's Node entry: paths in, Reports out. Opens the inputs as file sources, lends the loaders a
// scratch folder for large compressed members, and closes everything it opened. With a time budget or an
// AbortSignal the call settles within it on every input (see ./isolated.ts and docs/api.md).
import { type Explanation, explainReport } from '../explain/index.js';
import type { ByteSource } from '../io/byte-source.js';
import { type AnalyzeOptions, analyze, type Inspection } from '../inspect.js';
import type { Report } from '../model/types.js';
import { openPath } from './file-source.js';
import { DEFAULT_HEAP_MB, inspectInWorker, stopped } from './isolated.js';
import { isRemote, openRemote, type RemoteInput, type RemoteOptions } from './remote.js';
import { diskScratch } from './temp.js';

export interface InspectOptions extends Omit<AnalyzeOptions, 'weights'> {
  /** Weights to pair with an architecture JSON: a path, a URL, or a source. */
  weights?: string | ByteSource;
  /** Called with the input's name before it is opened (a supervisor names it when it stops the call). */
  onInput?: (file: string) => void;
  /**
   * Seconds the call may take (0 or absent: no limit). Past it the promise rejects with InspectionStopped
   * (`kind: 'time'`), whatever the input does.
   */
  timeoutS?: number;
  /** Ends the call at once: the promise rejects with InspectionStopped (`kind: 'aborted'`). */
  signal?: AbortSignal;
  /** With a time budget or a signal: megabytes of JavaScript heap the inspection may use (default 768). */
  maxHeapMb?: number;
  /** How URLs and hf:// inputs are fetched (timeouts, retries). */
  remote?: RemoteOptions;
  /** Called with the network use of remote inputs once the inspection ends (requests, bytes). */
  onRemoteStats?: (stats: { requests: number; bytes: number }) => void;
}

/** Inspects a model file (or a source) and returns its report and graph. */
export async function inspectModel(input: string | ByteSource, opts: InspectOptions = {}): Promise<Inspection> {
  const { timeoutS = 0, signal, maxHeapMb, ...rest } = opts;
  if (timeoutS > 0 || signal) return bounded(input, rest, { timeoutS, heapMb: maxHeapMb ?? DEFAULT_HEAP_MB, signal });
  return inspectHere(input, rest);
}

async function inspectHere(input: string | ByteSource, opts: InspectOptions): Promise<Inspection> {
  const opened: ByteSource[] = [];
  const remotes: RemoteInput[] = [];
  const open = (x: string | ByteSource) => {
    if (typeof x !== 'string') return x;
    let s: ByteSource;
    if (isRemote(x)) {
      const r = openRemote(x, opts.remote);
      remotes.push(r);
      s = r.source;
    } else s = openPath(x);
    opened.push(s);
    return s;
  };
  try {
    opts.onInput?.(typeof input === 'string' ? input : input.name);
    const src = open(input);
    const weights = opts.weights === undefined ? undefined : open(opts.weights);
    // KERASCOPE_HDF5=h5wasm (or typescript) picks the HDF5 reader when the caller does not; by default the TypeScript one.
    const env = process.env.KERASCOPE_HDF5;
    const hdf5 = opts.hdf5 ?? (env === 'h5wasm' || env === 'typescript' ? env : undefined);
    // Remote inputs are read into memory only: nothing of them is written to disk (no scratch copies).
    const { onInput: _, remote: _r, onRemoteStats: _s, ...rest } = opts;
    const scratch = remotes.length ? undefined : diskScratch;
    const result = await analyze(src, { ...(scratch ? { scratch } : {}), ...rest, weights, ...(hdf5 ? { hdf5 } : {}) });
    // A remote read that failed inside a reader which carried on (a finding) still fails the inspection.
    for (const r of remotes) if (r.session.failure) throw r.session.failure;
    return result;
  } finally {
    for (const s of opened) s.close();
    for (const r of remotes) {
      r.close();
      opts.onRemoteStats?.({ ...r.session.stats });
    }
  }
}

/**
 * An inspection that settles within `timeoutS` or when `signal` fires. A path (with its weights as a path)
 * is read in a worker thread that is terminated then; a source, or options a thread cannot be handed
 * (extra passes, a scratch space, a hook), is read here and raced against the deadline: the promise
 * settles in time, and the reading is abandoned at its next step.
 */
async function bounded(
  input: string | ByteSource,
  opts: InspectOptions,
  limits: { timeoutS: number; heapMb: number; signal: AbortSignal | undefined },
): Promise<Inspection> {
  const name = typeof input === 'string' ? input : input.name;
  const signal = limits.signal;
  if (signal?.aborted) throw stopped(name, { kind: 'aborted', reason: signal.reason });
  const portable =
    typeof input === 'string' &&
    (opts.weights === undefined || typeof opts.weights === 'string') &&
    !opts.passes &&
    !opts.scratch &&
    !opts.isolation;
  if (portable) {
    opts.onInput?.(input);
    const env = process.env.KERASCOPE_HDF5;
    const hdf5 = opts.hdf5 ?? (env === 'h5wasm' || env === 'typescript' ? env : undefined);
    return inspectInWorker(
      {
        file: input,
        ...(typeof opts.weights === 'string' ? { weights: opts.weights } : {}),
        options: {
          ...(hdf5 ? { hdf5 } : {}),
          ...(opts.budgets ? { budgets: opts.budgets } : {}),
          ...(opts.depth !== undefined ? { depth: opts.depth } : {}),
          ...(opts.manifestOnly !== undefined ? { manifestOnly: opts.manifestOnly } : {}),
        },
      },
      { timeoutS: limits.timeoutS, heapMb: limits.heapMb, ...(signal ? { signal } : {}) },
    );
  }
  const inner = new AbortController();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let onAbort: (() => void) | null = null;
  const stop = new Promise<never>((_, reject) => {
    if (limits.timeoutS > 0)
      timer = setTimeout(() => {
        inner.abort();
        reject(stopped(name, { kind: 'time', seconds: limits.timeoutS }));
      }, limits.timeoutS * 1000);
    onAbort = () => {
      inner.abort();
      reject(stopped(name, { kind: 'aborted', reason: signal?.reason }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([inspectHere(input, { ...opts, signal: inner.signal }), stop]);
  } finally {
    if (timer) clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/** Inspects a model file (or a source) and returns its report. */
export async function inspect(input: string | ByteSource, opts: InspectOptions = {}): Promise<Report> {
  return (await inspectModel(input, opts)).report;
}

/** Inspects a model file and explains every layer's count (see `kerascope explain`). */
export async function explainFile(
  input: string | ByteSource,
  opts: InspectOptions = {},
): Promise<Inspection & { explanation: Explanation }> {
  const inspection = await inspectModel(input, opts);
  return { ...inspection, explanation: explainReport(inspection.report, inspection.graph) };
}
