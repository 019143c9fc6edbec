// The scripts beside the CLI bundle that hold third-party code only some commands and formats run, by file and
// the packages each holds: scripts/build-cli.mjs builds them, scripts/action-try.mjs ships them at a release.
export const VENDOR_CHUNKS = {
  'vendor-card.cjs': ['sanitize-html', 'marked', 'yaml', '@dagrejs/dagre'],
  'vendor-zip.cjs': ['@zip.js/zip.js'],
  'vendor-scan.cjs': ['picomatch', 'cli-progress'],
};

/**
 * Kerascope's own code that only some formats run, in a script of its own beside the bundle with its own code
 * cache: the HDF5 reader and the formats built on it, and the SavedModel reader. `entries` are the modules the
 * rest of the CLI imports them by (dynamically: src/formats/index.ts); the chunk holds every module reached from
 * them that the rest of the CLI does not reach without them. scripts/build-cli.mjs builds it.
 */
export const READER_CHUNK = {
  file: 'kerascope-readers.cjs',
  entries: [
    'src/hdf5/index.ts',
    'src/formats/keras-h5.ts',
    'src/formats/keras3.ts',
    'src/formats/keras3-weights.ts',
    'src/formats/savedmodel/index.ts',
  ],
};
