// The choice between kerascope's two HDF5 readers, and the walk over a file's datasets that both answer. The TypeScript reader (`TsHdf5Reader`, this
// folder) is the default; h5wasm's HDF5 library (`H5wasmReader`, ./h5wasm/) is the reference, used only when chosen.
import type { ByteSource } from '../io/byte-source.js';
import { type Budgets, DEFAULT_BUDGETS } from '../model/budgets.js';
import { damaged } from './errors.js';
import { TsHdf5Reader } from './file.js';
import { H5wasmReader } from './h5wasm/reader.js';
import type { Hdf5Reader, WalkLimits } from './types.js';
import { walkTree } from './walk.js';

/**
 * Every dataset below `root` and every link met on the way (links reported, never followed), through either
 * backend; the object count is the `hdf5Objects` budget.
 */
export function walk(f: Hdf5Reader, root: string, limits: WalkLimits = { maxObjects: f.budgets.hdf5Objects, maxDepth: 64 }) {
  return walkTree(f, root, limits);
}

/** Which HDF5 reader a load uses: the TypeScript one (the default), or h5wasm's HDF5 library (the reference, when chosen). */
export type Hdf5Backend = 'typescript' | 'h5wasm';

/**
 * Opens a source as HDF5 with the given backend. The TypeScript reader reads only metadata through the
 * source, once; a file it cannot read throws `Hdf5Damaged` or `Hdf5Unsupported` (from here or from any later
 * question), which the loader turns into one InputError: its answer is final, h5wasm never takes over.
 */
/** How a load opens its HDF5 files: the reader, the load's budgets, and its hook before h5wasm starts. */
export interface Hdf5OpenOptions {
  backend: Hdf5Backend;
  budgets: Budgets;
  /** Runs before the WebAssembly library starts for this load; may refuse it by throwing (LoadOptions.isolation). */
  isolation?: () => void;
}

export async function openHdf5(
  source: ByteSource,
  label: string,
  how: Hdf5OpenOptions = { backend: 'typescript', budgets: DEFAULT_BUDGETS },
): Promise<Hdf5Reader> {
  if (how.backend === 'h5wasm') return H5wasmReader.open(source, label, how.budgets, how.isolation);
  try {
    return TsHdf5Reader.open(source, label, how.budgets);
  } catch (e) {
    throw damaged(label, e);
  }
}
