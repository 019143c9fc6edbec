// A one-pass HDF5 metadata reader in pure TypeScript, over a ByteSource (src/io/byte-source.ts). It answers
// what the loaders ask h5wasm's `H5wasmReader` (src/hdf5/h5wasm/reader.ts) with the same method names and answer shapes,
// reading each structure once, and never reading tensor data.
//
// Follows: superblock v0–v3 (with a user block); object headers v1 and v2 with continuation blocks (v2
// checksums verified); old-style groups (symbol table message → v1 B-tree of group nodes → symbol table
// nodes + local heap, soft links in the cache) and new-style groups (link messages; dense storage through a
// fractal heap and the v2 B-tree name index; creation-order listing when indexed); hard, soft and external
// links (reported, never followed); dataspace v1/v2; datatypes of every class (named as numpy dtypes the way
// H5wasmReader names them); data layout v1–v5 (virtual datasets: source list from the global heap); filter
// pipeline v1/v2; External Data Files (names from the local heap); attributes v1–v3, compact and dense
// (attribute info + fractal heap + v2 B-tree), values: fixed and variable-length strings (global heap),
// integer/float/enum scalars and arrays, committed (shared) datatypes by header address; fractal heap
// managed, tiny and huge objects.
//
// Declines with Hdf5Unsupported (one InputError by default; h5wasm may read such a file when chosen): shared messages in the shared-message heap, filtered
// fractal heaps, VAX floats, unknown versions of any structure, messages of unknown type marked "fail if
// unknown", user-defined link types other than external, point/hyperslab selections of versions it does not
// know in a virtual dataset's mapping. Everything that contradicts the format is Hdf5Damaged.
export { TsHdf5Reader, type H5MetaDatasetInfo } from './file.js';
export { Hdf5Damaged, Hdf5Error, Hdf5Truncated, Hdf5Unsupported } from './errors.js';
export { LIMITS } from './structures/context.js';
export { walkTree, WALK_LIMITS, type WalkedLink } from './walk.js';
export type { H5DatasetInfo, H5Kind, Hdf5Reader, WalkedDataset, WalkLimits } from './types.js';
export { damaged, hdf5OpenProblem, Hdf5LookupFailed } from './errors.js';
export { H5wasmReader, firstLine } from './h5wasm/reader.js';
export { openHdf5, walk, type Hdf5Backend, type Hdf5OpenOptions } from './open.js';
export { HDF5_SIGNATURE, isHdf5Signature } from './signature.js';
export { scanHdf5, locate, SHAPE_BOMB_MIN_BYTES, SHAPE_BOMB_RATIO } from './scan.js';
export { ByteReader, datasetFacts, HeaderError } from './header.js';
