// The catalogue of finding codes: stable identifiers CI users can rely on, with their severity and meaning.
import type { Finding, Severity } from '../model/types.js';

export const CODES = {
  // Integrity: config vs stored tensors
  'shape-mismatch': ['error', 'a stored tensor has a different shape than the layer formula needs'],
  'missing-weight': ['error', 'the formula needs a variable the file does not store'],
  'unexpected-weight': ['error', 'the file stores a tensor the layer does not have'],
  'param-count-mismatch': ['error', "a layer's stored element count differs from its formula"],
  'layer-weights-missing': ['error', 'a layer with weights has no stored group at all'],
  'orphan-weights': ['error', 'a stored group belongs to no layer of the config'],
  'weight-data-missing': ['error', 'the file names a weight or layer group that it does not contain'],
  'unlisted-dataset': ['warning', "a dataset sits in a layer group but not in its weight_names (Keras ignores it)"],
  'unknown-layer': ['warning', 'a class kerascope does not know (custom layer): stored tensors counted, not verified'],
  'shape-unknown': ['warning', 'a shape could not be inferred, so some axes of a layer are not checked'],
  'no-architecture': ['warning', 'weights without an architecture: stored tensors only, nothing to check against'],
  'companion-weights': ['info', 'an architecture JSON was paired with the weights file saved beside it'],
  'architecture-only': ['info', 'an architecture without weights: counts come from the config alone'],
  'no-weights': ['warning', 'an archive without its weights file'],
  'config-unreadable': ['error', 'the model config could not be turned into layers'],
  'graph-model': ['info', 'a TF.js graph model has no Keras layers: tensor counts only'],
  'optimizer-state': ['info', 'optimizer state is stored with the model (reported apart from parameters)'],
  // TF.js shards
  'shard-missing': ['error', 'a weight shard named by the manifest is absent'],
  'shard-size-mismatch': ['error', 'the shards of a weight group do not hold the bytes the manifest needs'],
  'shard-path-outside': ['error', 'a shard path leaves the model folder (absolute, `..` or URL); not opened'],
  // HDF5 structure
  'hdf5-soft-link': ['error', 'an HDF5 soft link inside the weights; not followed'],
  'hdf5-external-link': ['error', 'an HDF5 external link to another file; not followed'],
  // Security (src/security): what would run code or read other files when Keras loads the model
  'lambda-bytecode': ['error', 'a Lambda carries marshalled Python bytecode that Keras runs on load (CVE-2024-3660, CVE-2025-9905)'],
  'lambda-external-function': ['error', 'a Lambda calls a named function outside Keras, imported when the model is loaded'],
  lambda: ['warning', "a Lambda names a function inside Keras' own packages: no code from the file, but review it"],
  'dangerous-module': ['error', 'the config names a module or Keras API that can run programs, touch files or load code (CVE-2025-1550 class)'],
  'custom-module': ['warning', 'a layer or object needs code from a package outside Keras (custom layers): cannot be verified'],
  'custom-training-object': ['warning', 'the training config names a loss, metric or optimizer that is not part of Keras'],
  'tfsm-layer': ['error', 'a TFSMLayer loads an external TensorFlow SavedModel'],
  'torch-module-wrapper': ['error', 'a TorchModuleWrapper holds a pickled PyTorch module'],
  'vocabulary-path': ['error', 'a lookup layer reads its vocabulary from a path or URL when loaded (CVE-2025-12058)'],
  'zip-unexpected-member': ['error', 'a .keras archive member outside config.json, metadata.json, model.weights.h5 and assets/'],
  'zip-path-traversal': ['error', 'a .keras archive member name is absolute or climbs out with `..`'],
  'zip-duplicate-member': ['error', 'a .keras archive lists the same member name twice (readers disagree on which one counts)'],
  'zip-bomb': ['error', 'a .keras archive declares far more uncompressed bytes than it holds'],
  'hdf5-external-storage': ['error', 'an HDF5 dataset keeps its data in other files (External Data Files, CVE-2026-1669); not opened'],
  'hdf5-virtual-dataset': ['error', 'an HDF5 virtual dataset maps data from other files; not opened'],
  'hdf5-shape-bomb': ['error', 'an HDF5 dataset declares far more bytes than the file holds (memory exhaustion when loaded)'],
  'hdf5-unparsed-header': ['warning', "an HDF5 dataset's object header could not be checked for external storage"],
} as const satisfies Record<string, readonly [Severity, string]>;

export type Code = keyof typeof CODES;

export function finding(code: Code, layer: string | null, weight: string | null, message: string): Finding {
  return { severity: CODES[code][0], code, layer, weight, message };
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Most severe first; stable within a severity. */
export function sortFindings(fs: Finding[]): Finding[] {
  return fs
    .map((f, i) => [f, i] as const)
    .sort((a, b) => ORDER[a[0].severity] - ORDER[b[0].severity] || a[1] - b[1])
    .map(([f]) => f);
}

/** The exit status a report earns: 1 if any finding is an error, else 0. */
export function exitStatus(fs: Finding[]): 0 | 1 {
  return fs.some((f) => f.severity === 'error') ? 1 : 0;
}
