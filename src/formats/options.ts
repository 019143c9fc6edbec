// What a caller can tell the loaders.
import type { ByteSource } from '../io/byte-source.js';
import type { BudgetName } from '../model/budgets.js';

/** Space to spill a large inflated archive member to (the Node adapter: a private temporary file). */
export interface Scratch {
  /** Runs `fill`, keeping what it writes, and returns it as a source; nothing stays behind after `close()`. */
  store(fill: (write: (chunk: Uint8Array) => void) => Promise<void>): Promise<ByteSource>;
}

export interface LoadOptions {
  /** Weights to pair with an architecture JSON: a weights HDF5 or a Keras 3 sharding index. */
  weights?: ByteSource;
  /** TF.js: inspect model.json without its shard files. */
  manifestOnly?: boolean;
  /** Where a large compressed `.keras` weights member is inflated; without it, such a member is refused. */
  scratch?: Scratch;
  /**
   * The HDF5 reader: `typescript` (the default: one pass over the metadata, in JavaScript) or `h5wasm` (the
   * HDF5 library compiled to WebAssembly, the reference; loaded only when chosen). There is no fallback from
   * one to the other: the chosen reader's answer is final.
   */
  hdf5?: 'typescript' | 'h5wasm';
  /**
   * Input budgets for this load, by name (see docs/api.md); the others keep their defaults. They hold for
   * this call only: loads running at the same time may have different budgets.
   */
  budgets?: Partial<Record<BudgetName, number>>;
  /**
   * Runs before the WebAssembly HDF5 library starts for this load (h5wasm, when chosen); it may refuse it by
   * throwing, and the load then rejects with that error.
   */
  isolation?: () => void;
}
