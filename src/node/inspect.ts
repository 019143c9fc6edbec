// The library's Node entry: paths in, Reports out. Opens the inputs as file sources, lends the loaders a
// scratch folder for large compressed members, and closes everything it opened.
import { type Explanation, explainReport } from '../explain.js';
import type { ByteSource } from '../io/byte-source.js';
import { type AnalyzeOptions, analyze, type Inspection } from '../inspect.js';
import type { Report } from '../model/types.js';
import { announceInput } from './announce.js';
import { openPath } from './file-source.js';
import { isRemote, openRemote, type RemoteInput, type RemoteOptions } from './remote.js';
import { diskScratch } from './temp.js';

export interface InspectOptions extends Omit<AnalyzeOptions, 'weights'> {
  /** Weights to pair with an architecture JSON: a path, a URL, or a source. */
  weights?: string | ByteSource;
  /** How URLs and hf:// inputs are fetched (timeouts, retries). */
  remote?: RemoteOptions;
  /** Called with the network use of remote inputs once the inspection ends (requests, bytes). */
  onRemoteStats?: (stats: { requests: number; bytes: number }) => void;
}

/** Inspects a model file (or a source) and returns its report and graph. */
export async function inspectModel(input: string | ByteSource, opts: InspectOptions = {}): Promise<Inspection> {
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
    announceInput(typeof input === 'string' ? input : input.name);
    const src = open(input);
    const weights = opts.weights === undefined ? undefined : open(opts.weights);
    // KERASCOPE_HDF5=h5wasm (or typescript) picks the HDF5 reader; by default the TypeScript one, h5wasm taking over.
    const env = process.env.KERASCOPE_HDF5;
    const hdf5 = opts.hdf5 ?? (env === 'h5wasm' || env === 'typescript' ? env : undefined);
    // Remote inputs are read into memory only: nothing of them is written to disk (no scratch copies).
    const { remote: _r, onRemoteStats: _s, ...rest } = opts;
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
