// Budgets on what an input may declare or contain, checked BEFORE the work they bound: bytes before a JSON
// document is parsed, counts while walking, declared sizes before anything is allocated or inflated. Over a
// budget is an InputError (one line, exit 2) that names the budget and how to raise it (`--budget NAME=N`).
import { InputError } from './errors.js';

export const DEFAULT_BUDGETS = {
  /** Bytes of one JSON document (config.json, model.json, metadata.json, a sharding index), before parsing. */
  jsonBytes: 32 * 1024 * 1024,
  /** JSON values (objects, arrays, scalars) in one document, counted by a linear pre-scan before parsing. */
  jsonValues: 1_000_000,
  /** Nesting depth of a JSON document (objects and arrays); real Keras configs stay far below 100. */
  configDepth: 256,
  /** Objects, arrays and values in the parsed config (the training config too). */
  configNodes: 5_000_000,
  /** Layer entries in the config (all nesting levels). */
  layers: 100_000,
  /** Stored tensors (model weights and optimizer state), TF.js manifest entries included. */
  tensors: 1_000_000,
  /** Bytes the stored tensors declare in total (1 PiB): beyond it, shapes are not a model. */
  declaredBytes: 2 ** 50,
  /** Entries of one HDF5 attribute (`weight_names`, `layer_names`, …), checked before it is read. */
  attributeEntries: 1_000_000,
  /** Bytes of one HDF5 attribute, checked before it is read. */
  attributeBytes: 64 * 1024 * 1024,
  /** HDF5 objects (groups, datasets, links) walked in one file. */
  hdf5Objects: 1_000_000,
  /** Shard paths of a TF.js manifest or a Keras 3 sharding index. */
  shardPaths: 100_000,
  /** Bytes the members of a `.keras` archive may declare uncompressed before kerascope refuses to inflate any. */
  inflateBytes: 1024 ** 3,
  /** The HDF5 library's WebAssembly heap (bytes). */
  wasmHeapBytes: 256 * 1024 * 1024,
};

export type BudgetName = keyof typeof DEFAULT_BUDGETS;

/** The budgets in force (the CLI's `--budget NAME=N` changes them for one run). */
export const BUDGETS: Record<BudgetName, number> = { ...DEFAULT_BUDGETS };

export function setBudget(name: string, value: number): void {
  if (!(name in DEFAULT_BUDGETS)) throw new Error(`unknown budget ${name} (one of: ${Object.keys(DEFAULT_BUDGETS).join(', ')})`);
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`budget ${name} must be a positive number`);
  BUDGETS[name as BudgetName] = value;
}

export function resetBudgets(): void {
  Object.assign(BUDGETS, DEFAULT_BUDGETS);
}

/** The error for an input over budget `name`: what was found, the budget, the option that raises it. */
export function overBudget(file: string, name: BudgetName, what: string): InputError {
  return new InputError(file, `${what}, over the ${name} budget of ${BUDGETS[name]} (raise it with --budget ${name}=N)`);
}
