// What an HDF5 metadata reader answers, whichever backend answers it (TsHdf5Reader in TypeScript, or h5wasm's
// HDF5 library through hdf5/h5wasm/reader.ts): the loaders ask only these questions.
import type { ByteSource } from '../io/byte-source.js';
import type { Budgets } from '../model/budgets.js';

export type H5Kind = 'group' | 'dataset' | 'soft-link' | 'external-link' | 'datatype' | null;

export interface H5DatasetInfo {
  shape: number[];
  /** numpy-style name: float32, float16, int8, uint8, bool, string, … (or the `dtype` attribute Keras 3 sets). */
  dtype: string;
  /** Bytes of the declared data (elements × element size), not what the file actually holds. */
  bytes: number;
  filters: string[];
  /** Source files of a virtual dataset (never opened). */
  virtualSources: string[];
  /** Data layout class (0 compact, 1 contiguous, 2 chunked, 3 virtual), where the backend reads it. */
  layoutClass?: number;
  /** Files an External Data Files message names (data outside this file), where the backend reads it. */
  externalFiles?: string[] | null;
}

export interface WalkedDataset extends H5DatasetInfo {
  /** Path relative to the walk's root. */
  rel: string;
}

export interface WalkLimits {
  maxObjects: number;
  maxDepth: number;
}

/** The metadata questions both HDF5 backends answer. */
export interface Hdf5Reader {
  /** Names the file in messages. */
  readonly path: string;
  /** The bytes the reader reads (header scans read the same source). */
  readonly source: ByteSource;
  /** The budgets of the load that opened it (walks and attribute reads are bounded by them). */
  readonly budgets: Budgets;
  kind(path: string): H5Kind;
  keys(path: string): string[];
  attrNames(path: string): string[];
  attr(path: string, name: string): unknown;
  attrString(path: string, name: string): string | null;
  attrStringList(path: string, name: string): string[] | null;
  dataset(path: string): H5DatasetInfo;
  objectAddress(path: string): number | null;
  softLinkTarget(path: string): string | null;
  externalLinkTarget(path: string): { filename: string; objPath: string } | null;
  /** Attributes (or attribute lists) present but unreadable, met so far: findings, never "absent". */
  readonly unreadable: readonly { path: string; name: string | null; reason: string }[];
  close(): void;
}
