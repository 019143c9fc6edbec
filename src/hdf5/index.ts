// A one-pass HDF5 metadata reader in pure TypeScript (see file.ts), over a ByteSource.
export { H5Meta, type H5MetaDatasetInfo } from './file.js';
export { Hdf5Damaged, Hdf5Error, Hdf5Unsupported } from './errors.js';
export { LIMITS } from './structures.js';
