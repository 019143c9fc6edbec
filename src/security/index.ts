// kerascope's security passes: static checks of what would run code or read other files if the model were
// loaded with Keras. The HDF5 checks run inside the loaders (they need the open file): see ./hdf5.ts.
import type { Graph } from '../graph/index.js';
import type { Finding, SavedModel } from '../model/types.js';
import { scanArchive } from './archive.js';
import { scanConfig } from './config.js';

export { enforceBudgets, BUDGETS } from './budgets.js';
export { scanArchive } from './archive.js';
export { scanConfig } from './config.js';

export type Pass = (saved: SavedModel, graph: Graph | null) => Finding[];

/** The passes `inspect` and `audit` run after the integrity audit. */
export const securityPasses: Pass[] = [(saved) => scanConfig(saved), (saved) => scanArchive(saved)];

/** Findings `kerascope audit` leaves out: informational notes about coverage, not risks or integrity. */
const NOT_AUDIT = new Set(['shape-unknown', 'no-architecture', 'architecture-only', 'graph-model', 'optimizer-state']);

export function isAuditFinding(f: Finding): boolean {
  return !NOT_AUDIT.has(f.code);
}
