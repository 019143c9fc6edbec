// The library's Node entry: paths in, Reports out. Opens the inputs as file sources, lends the loaders a
// scratch folder for large compressed members, and closes everything it opened.
import { type Explanation, explainReport } from '../explain/index.js';
import type { ByteSource } from '../io/byte-source.js';
import { type AnalyzeOptions, analyze, type Inspection } from '../inspect.js';
import type { Report } from '../model/types.js';
import { announceInput } from './announce.js';
import { openPath } from './file-source.js';
import { diskScratch } from './temp.js';

export interface InspectOptions extends Omit<AnalyzeOptions, 'weights'> {
  /** Weights to pair with an architecture JSON: a path or a source. */
  weights?: string | ByteSource;
}

/** Inspects a model file (or a source) and returns its report and graph. */
export async function inspectModel(input: string | ByteSource, opts: InspectOptions = {}): Promise<Inspection> {
  const opened: ByteSource[] = [];
  const open = (x: string | ByteSource) => {
    if (typeof x !== 'string') return x;
    const s = openPath(x);
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
    return await analyze(src, { scratch: diskScratch, ...opts, weights, ...(hdf5 ? { hdf5 } : {}) });
  } finally {
    for (const s of opened) s.close();
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
