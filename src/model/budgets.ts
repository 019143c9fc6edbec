// Budgets on what an input may declare or contain, checked BEFORE the work they bound: bytes before a JSON
// document is parsed, counts while walking, declared sizes before anything is allocated or inflated. Over a
// budget is an InputError (one line, exit 2) that names the budget and how to raise it (`--budget NAME=N`).
import { InputError } from './errors.js';

const DEFAULTS = {
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
  /** Bytes of standard input spooled to a private temporary file (`kerascope inspect -`) before it is read. */
  stdinBytes: 4 * 1024 ** 3,
};

export type BudgetName = keyof typeof DEFAULTS;

/** The budgets one load works under: every name with its value (see `resolveBudgets`). */
export type Budgets = Readonly<Record<BudgetName, number>>;

/** The default budgets (frozen). */
export const DEFAULT_BUDGETS: Budgets = Object.freeze({ ...DEFAULTS });

/**
 * The budgets of one load: the defaults with the caller's `overrides`. An unknown name or a value that is
 * not a positive finite number is a RangeError (a caller's mistake, not the input's). Nothing is shared
 * between loads: two loads in one process may run under different budgets at the same time.
 */
export function resolveBudgets(overrides: Partial<Record<string, number>> = {}): Budgets {
  const out: Record<BudgetName, number> = { ...DEFAULT_BUDGETS };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!Object.hasOwn(DEFAULT_BUDGETS, name))
      throw new RangeError(`unknown budget ${name} (one of: ${Object.keys(DEFAULT_BUDGETS).join(', ')})`);
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))
      throw new RangeError(`budget ${name} must be a positive number`);
    out[name as BudgetName] = value;
  }
  return Object.freeze(out);
}

/** The error for an input over budget `name` of `budgets`: what was found, the budget, the option that raises it. */
export function overBudget(file: string, name: BudgetName, what: string, budgets: Budgets): InputError {
  return new InputError(file, `${what}, over the ${name} budget of ${budgets[name]} (raise it with --budget ${name}=N)`);
}
