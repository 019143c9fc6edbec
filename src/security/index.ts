// kerascope's security passes: static checks of what would run code or read other files if the model were
// loaded with Keras. The HDF5 checks run inside the loaders (they need the open file): see
// hdf5/scan.ts.
import type { Graph } from '../graph/index.js';
import type { Finding, LoadedModel } from '../model/types.js';
import { scanArchive } from './archive.js';
import { scanConfig } from './config.js';
import { scanNames } from './deception.js';

export { enforceBudgets } from './budgets.js';

export type Pass = (saved: LoadedModel, graph: Graph | null) => Finding[] | Promise<Finding[]>;

/** The passes `inspect` and `audit` run beside the integrity audit. */
export const securityPasses: Pass[] = [
  (saved) => scanConfig(saved),
  (saved) => scanArchive(saved),
  (saved, graph) => scanNames(saved, graph),
];
