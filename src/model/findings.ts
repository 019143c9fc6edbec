// The finding catalogue: every code kerascope can report, with its severity, a title (the README table and
// SARIF rule names) and help (what it means and what to do). Every stage makes findings through `finding()`,
// so a code that is not here does not compile, and the README's table is generated from this list.

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  severity: Severity;
  /** Stable identifier, e.g. `shape-mismatch`, `lambda-bytecode`: one of the catalogue below. */
  code: FindingCode;
  /** Layer name (or config path for security findings); null when the finding is about the file. */
  layer: string | null;
  /** Weight name within the layer, when the finding is about one weight. */
  weight: string | null;
  /** One sentence a person understands. */
  message: string;
}

export interface CatalogueEntry {
  severity: Severity;
  /** Where the finding comes from: README grouping and SARIF rule properties. */
  family: 'integrity' | 'format' | 'security';
  /** What happened, in one line. */
  title: string;
}

const entry = (severity: Severity, family: CatalogueEntry['family'], title: string): CatalogueEntry => ({ severity, family, title });

export const CATALOGUE = {
  // Integrity: the config against the stored tensors (made by audit/)
  'shape-mismatch': entry('error', 'integrity', 'a stored tensor has a different shape than the layer formula needs'),
  'missing-weight': entry('error', 'integrity', 'the formula needs a variable the file does not store'),
  'unexpected-weight': entry('error', 'integrity', 'the file stores a tensor the layer does not have'),
  'layer-weights-missing': entry('error', 'integrity', 'a layer with weights has no stored group at all'),
  'orphan-weights': entry('error', 'integrity', 'a stored group belongs to no layer of the config'),
  'config-unreadable': entry('error', 'integrity', 'the model config could not be turned into layers'),
  'unknown-layer': entry('warning', 'integrity', 'a class kerascope does not know (custom layer): stored tensors counted, not verified'),
  'shape-unknown': entry('warning', 'integrity', 'a shape could not be inferred, so some axes of a layer are not checked'),
  'no-architecture': entry('warning', 'integrity', 'weights without an architecture: stored tensors only, nothing to check against'),
  'optimizer-state': entry('info', 'integrity', 'optimizer state is stored with the model (reported apart from the parameters)'),
  'metric-state': entry(
    'info',
    'integrity',
    'compiled-metric state is stored with the model (reported apart from the parameters and the optimizer)',
  ),
  'subclassed-model': entry(
    'warning',
    'integrity',
    'a subclassed model: the config lists no layers, so its stored variables are counted, not verified',
  ),
  // What the loaders see in the file's layout (made by formats/)
  'weight-data-missing': entry('error', 'format', 'the file names a weight or layer group that it does not contain'),
  'unlisted-dataset': entry('warning', 'format', 'a dataset sits in a layer group but not in its weight_names (Keras ignores it)'),
  'companion-weights': entry('info', 'format', 'an architecture JSON was paired with the weights file saved beside it'),
  'companion-weights-ambiguous': entry(
    'warning',
    'format',
    'several weights files lie beside an architecture JSON: one was chosen by name (pass --weights to choose)',
  ),
  'architecture-only': entry('info', 'format', 'an architecture JSON inspected without weights: counts come from the config alone'),
  'no-weights': entry('warning', 'format', 'a `.keras` archive without its weights file'),
  'graph-model': entry('info', 'format', 'a TF.js graph model has no Keras layers: tensor counts only'),
  'shard-missing': entry('error', 'format', 'a weight shard named by the manifest or sharding index is absent'),
  'savedmodel-entry-outside-shard': entry(
    'error',
    'format',
    "a SavedModel checkpoint entry's bytes lie past the end of its data shard (truncated or damaged variables)",
  ),
  'savedmodel-entry-size-mismatch': entry(
    'error',
    'format',
    "a SavedModel checkpoint entry's byte size is not what its shape and dtype need (damaged index, or a shape that lies)",
  ),
  'savedmodel-no-keras': entry(
    'info',
    'format',
    'a TensorFlow SavedModel without Keras metadata (a tf.Module): variables listed by object-graph path, no layer formula applies',
  ),
  'savedmodel-unmapped-entry': entry(
    'warning',
    'format',
    'a SavedModel checkpoint entry names a path the object graph does not have: counted, not assigned to a layer',
  ),
  'shard-size-mismatch': entry('error', 'format', 'the shards of a TF.js weight group do not hold the bytes the manifest needs'),
  'shard-path-outside': entry(
    'error',
    'security',
    'a shard path leaves the model folder (absolute, `..`, URL, percent-encoded, or a symbolic link out); not opened',
  ),
  'hdf5-soft-link': entry('error', 'security', 'an HDF5 soft link inside the file; reported, never followed'),
  'hdf5-external-link': entry('error', 'security', 'an HDF5 external link to another file; reported, never followed'),
  'hdf5-external-storage': entry(
    'error',
    'security',
    'an HDF5 dataset keeps its data in other files (External Data Files, CVE-2026-1669); not opened',
  ),
  'hdf5-virtual-dataset': entry('error', 'security', 'an HDF5 virtual dataset maps data from other files; not opened'),
  'hdf5-shape-bomb': entry(
    'error',
    'security',
    'an HDF5 dataset declares far more bytes than the file holds (memory exhaustion when loaded)',
  ),
  'hdf5-attribute-unreadable': entry(
    'error',
    'format',
    'an HDF5 attribute the file has (a name list, a config) cannot be read: damaged, never taken as absent',
  ),
  'hdf5-unparsed-header': entry('warning', 'security', "an HDF5 dataset's object header could not be checked for external storage"),
  // Security: what would run code or read other files when Keras loads the model (made by security/)
  'lambda-bytecode': entry(
    'error',
    'security',
    'a Lambda carries marshalled Python bytecode that Keras runs on load (CVE-2024-3660, CVE-2025-9905)',
  ),
  'lambda-external-function': entry(
    'error',
    'security',
    'a Lambda calls a named function outside Keras, imported when the model is loaded',
  ),
  lambda: entry('warning', 'security', "a Lambda names a function inside Keras' own packages: no code from the file, but review it"),
  'dangerous-module': entry(
    'error',
    'security',
    'the config names a module or Keras API that can run programs, touch files or load code (CVE-2025-1550 class)',
  ),
  'custom-module': entry(
    'warning',
    'security',
    'a layer or object needs code from a package outside Keras (custom layers): cannot be verified',
  ),
  'custom-training-object': entry('warning', 'security', 'the training config names a loss, metric or optimizer that is not part of Keras'),
  'tfsm-layer': entry('error', 'security', 'a TFSMLayer loads an external TensorFlow SavedModel'),
  'torch-module-wrapper': entry('error', 'security', 'a TorchModuleWrapper holds a pickled PyTorch module'),
  'vocabulary-path': entry('error', 'security', 'a lookup layer reads its vocabulary from a path or URL when loaded (CVE-2025-12058)'),
  'zip-unexpected-member': entry(
    'error',
    'security',
    'a .keras archive member outside config.json, metadata.json, the weights and assets/',
  ),
  'zip-path-traversal': entry('error', 'security', 'a .keras archive member name is absolute or climbs out with `..`'),
  'zip-duplicate-member': entry(
    'error',
    'security',
    'a .keras archive lists the same member name twice (readers disagree on which one counts)',
  ),
  'savedmodel-file-op': entry(
    'error',
    'security',
    'a SavedModel graph or function holds an op that reads, writes, lists or memory-maps files (or prints to one)',
  ),
  'savedmodel-network-op': entry(
    'error',
    'security',
    'a SavedModel graph or function holds an op that talks to the network (RPC, tf.data service, cloud services)',
  ),
  'savedmodel-python-op': entry('error', 'security', 'a SavedModel op calls a Python function of the loading process (PyFunc)'),
  'savedmodel-vocabulary-file': entry(
    'warning',
    'security',
    'a SavedModel fills a lookup table from a text file when restored (normally a vocabulary in assets/)',
  ),
  'zip-bomb': entry('error', 'security', 'a .keras archive declares far more uncompressed bytes than it holds'),
} as const satisfies Record<string, CatalogueEntry>;

export type FindingCode = keyof typeof CATALOGUE;

export const FINDING_CODES = Object.keys(CATALOGUE) as FindingCode[];

/** The one way to make a finding: the severity comes from the catalogue. */
export function finding(code: FindingCode, layer: string | null, weight: string | null, message: string): Finding {
  return { severity: CATALOGUE[code].severity, code, layer, weight, message };
}
