// The finding catalogue: every code kerascope can report, with its severity, a title (the findings table and
// SARIF rule names) and the fix (SARIF `help`, docs/findings.md). Every stage makes findings through
// `finding()`, so a code that is not here does not compile, and the findings table is generated from this list.

/**
 * The scale scanners use. `critical`: loading the model runs code from the file; `high`: loading reads other
 * files or fails, or the weights do not match the architecture; `medium`: needs a person to review; `low`: a
 * count that could not be checked; `info`: a fact about the file. `--fail-on` (default `high`) sets where exit 1 starts.
 */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Most severe first. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** The default `--fail-on`: what was `error` before the five-level scale. */
export const DEFAULT_FAIL_ON: Severity = 'high';

/** Whether `s` is at or above `threshold`. */
export const atLeast = (s: Severity, threshold: Severity): boolean => SEVERITIES.indexOf(s) <= SEVERITIES.indexOf(threshold);

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
  /** Where the finding comes from: grouping in the docs and SARIF rule properties. */
  family: 'integrity' | 'format' | 'security';
  /** What happened, in one line. */
  title: string;
  /** What to do about it, in a sentence or two (SARIF `help`). */
  fix: string;
}

const entry = (severity: Severity, family: CatalogueEntry['family'], title: string, fix: string): CatalogueEntry => ({
  severity,
  family,
  title,
  fix,
});

/** Security findings apart from integrity ones (format findings are integrity: the file does not add up). */
export type Category = 'security' | 'integrity';
export const categoryOf = (code: FindingCode): Category => (CATALOGUE[code].family === 'security' ? 'security' : 'integrity');

export const CATALOGUE = {
  // Integrity: the config against the stored tensors (made by audit/)
  'shape-mismatch': entry(
    'high',
    'integrity',
    'a stored tensor has a different shape than the layer formula needs',
    'Re-save the model from the code that built it, or give the architecture JSON that belongs to these weights; Keras cannot load tensors of another shape.',
  ),
  'missing-weight': entry(
    'high',
    'integrity',
    'the formula needs a variable the file does not store',
    'The weights file is incomplete or belongs to another architecture: re-save it, or pair the architecture with the weights saved with it.',
  ),
  'unexpected-weight': entry(
    'high',
    'integrity',
    'the file stores a tensor the layer does not have',
    'The weights belong to another architecture (a wider layer, an extra bias): pair the architecture with the weights saved with it.',
  ),
  'layer-weights-missing': entry(
    'high',
    'integrity',
    'a layer with weights has no stored group at all',
    'Re-save the model; if the weights were saved separately, give the weights file written with this architecture.',
  ),
  'orphan-weights': entry(
    'high',
    'integrity',
    'a stored group belongs to no layer of the config',
    'The file stores weights of a layer the config does not have: pair the architecture with the weights saved with it, or re-save the model.',
  ),
  'config-unreadable': entry(
    'high',
    'integrity',
    'the model config could not be turned into layers',
    'The model config is damaged or not a Keras config: re-save the model, and report the file if Keras itself loads it.',
  ),
  'unknown-layer': entry(
    'low',
    'integrity',
    'a class kerascope does not know (custom layer): stored tensors counted, not verified',
    'Custom layers are counted as stored, not verified: review the layer code that the model needs, and load the model only with that code.',
  ),
  'shape-unknown': entry(
    'low',
    'integrity',
    'a shape could not be inferred, so some axes of a layer are not checked',
    'An input shape could not be inferred (an unknown layer upstream, a missing input shape): give the model an input shape, or review those layers by hand.',
  ),
  'no-architecture': entry(
    'low',
    'integrity',
    'weights without an architecture: stored tensors only, nothing to check against',
    'Give the architecture JSON with --weights for this file, so every tensor can be checked against its layer.',
  ),
  'unverified-layer': entry(
    'low',
    'integrity',
    'a layer whose count could not be checked, and why (counted as stored)',
    'The count is reported as stored, not checked: the finding says why (custom class, unknown input shape, raw TensorFlow op); review that layer by hand.',
  ),
  'optimizer-state': entry(
    'info',
    'integrity',
    'optimizer state is stored with the model (reported apart from the parameters)',
    'Nothing to fix: optimizer state is training state. Save with include_optimizer=False to ship a smaller model.',
  ),
  'metric-state': entry(
    'info',
    'integrity',
    'compiled-metric state is stored with the model (reported apart from the parameters and the optimizer)',
    'Nothing to fix: compiled-metric state is kept apart from the parameters.',
  ),
  'preset-count-mismatch': entry(
    'medium',
    'integrity',
    "a KerasHub preset's metadata.json records a parameter count other than the stored weights' total",
    "The preset's files do not belong together: metadata.json was written for another model, or the weights were replaced after it. Re-export the preset with KerasHub (save_to_preset) or check where its files came from.",
  ),
  'subclassed-model': entry(
    'low',
    'integrity',
    'a subclassed model: the config lists no layers, so its stored variables are counted, not verified',
    'A subclassed model stores no layer list: its variables are counted, not checked. Save a Functional or Sequential model to have every layer checked.',
  ),
  // What the loaders see in the file's layout (made by formats/)
  'weight-data-missing': entry(
    'high',
    'format',
    'the file names a weight or layer group that it does not contain',
    'The file is truncated or was edited: re-save the model; Keras would fail to load the missing weights.',
  ),
  'unlisted-dataset': entry(
    'medium',
    'format',
    'a dataset sits in a layer group but not in its weight_names (Keras ignores it)',
    'Keras ignores data outside weight_names: find out what put it there; re-save the model to drop it.',
  ),
  'companion-weights': entry(
    'info',
    'format',
    'an architecture JSON was paired with the weights file saved beside it',
    'Nothing to fix: pass --weights to choose the weights file explicitly.',
  ),
  'companion-weights-ambiguous': entry(
    'medium',
    'format',
    'several weights files lie beside an architecture JSON: one was chosen by name (pass --weights to choose)',
    'Pass --weights with the file that belongs to the architecture.',
  ),
  'architecture-only': entry(
    'info',
    'format',
    'an architecture JSON inspected without weights: counts come from the config alone',
    'Nothing to fix: give --weights (or the model file itself) to check the stored tensors too.',
  ),
  'no-weights': entry(
    'medium',
    'format',
    'a `.keras` archive without its weights file',
    'The archive carries no weights: re-save the model with its weights, or expect Keras to load an untrained model.',
  ),
  'graph-model': entry(
    'low',
    'format',
    'a TF.js graph model has no Keras layers: tensor counts only',
    'A TF.js graph model has no layer configs: its counts cannot be checked. Convert from the Keras model (tfjs_layers_model) to have them checked.',
  ),
  'shard-missing': entry(
    'high',
    'format',
    'a weight shard named by the manifest or sharding index is absent',
    'Put the missing shard files beside the manifest (they are listed in the finding), or pass --manifest-only to read model.json alone.',
  ),
  'shard-size-mismatch': entry(
    'high',
    'format',
    'the shards of a TF.js weight group do not hold the bytes the manifest needs',
    'A shard is truncated or belongs to another save: copy the shard files again from the same conversion as model.json.',
  ),
  'savedmodel-entry-outside-shard': entry(
    'high',
    'format',
    "a SavedModel checkpoint entry's bytes lie past the end of its data shard (truncated or damaged variables)",
    'The variables data shard is shorter than its index says: the SavedModel was truncated in transfer or damaged. Download or export it again.',
  ),
  'savedmodel-entry-size-mismatch': entry(
    'high',
    'format',
    "a SavedModel checkpoint entry's byte size is not what its shape and dtype need (damaged index, or a shape that lies)",
    'The checkpoint index contradicts itself: a tensor cannot hold the bytes its shape says. Do not trust the counts; export the model again.',
  ),
  'savedmodel-no-keras': entry(
    'info',
    'format',
    'a TensorFlow SavedModel without Keras metadata (a tf.Module): variables listed by object-graph path, no layer formula applies',
    'Nothing to fix: a plain TensorFlow module has no Keras layers to check; the stored variables are listed and totalled.',
  ),
  'savedmodel-unmapped-entry': entry(
    'medium',
    'format',
    'a SavedModel checkpoint entry names a path the object graph does not have: counted, not assigned to a layer',
    'The checkpoint holds a variable no object of the model owns: an edited or mismatched variables/ folder. Check that the folder was saved with this saved_model.pb.',
  ),
  'shard-path-outside': entry(
    'high',
    'security',
    'a shard path leaves the model folder (absolute, `..`, URL, percent-encoded, or a symbolic link out); not opened',
    "Do not load this model: a shard path points outside its folder. Rewrite the manifest's paths to plain file names beside model.json.",
  ),
  'hdf5-soft-link': entry(
    'high',
    'security',
    'an HDF5 soft link inside the file; reported, never followed',
    'Do not load this file from an untrusted source: HDF5 links redirect reads. Re-save the model with Keras to drop them.',
  ),
  'hdf5-external-link': entry(
    'high',
    'security',
    'an HDF5 external link to another file; reported, never followed',
    'Do not load this file: it makes the reader open another file. Re-save the model with Keras from a trusted copy.',
  ),
  'hdf5-external-storage': entry(
    'critical',
    'security',
    'an HDF5 dataset keeps its data in other files (External Data Files, CVE-2026-1669); not opened',
    'Do not load this file: its data lives in other files the loader would read (CVE-2026-1669). Re-save the model from a trusted copy.',
  ),
  'hdf5-virtual-dataset': entry(
    'high',
    'security',
    'an HDF5 virtual dataset maps data from other files; not opened',
    'Do not load this file: a virtual dataset reads data from other files. Re-save the model from a trusted copy.',
  ),
  'hdf5-shape-bomb': entry(
    'high',
    'security',
    'an HDF5 dataset declares far more bytes than the file holds (memory exhaustion when loaded)',
    'Do not load this file: a dataset declares far more data than the file holds, which exhausts memory on load.',
  ),
  'hdf5-attribute-unreadable': entry(
    'high',
    'format',
    'an HDF5 attribute the file has (a name list, a config) cannot be read: damaged, never taken as absent',
    'The file is damaged: re-save the model; kerascope never takes an unreadable attribute as absent.',
  ),
  'hdf5-unparsed-header': entry(
    'medium',
    'security',
    "an HDF5 dataset's object header could not be checked for external storage",
    'Review the file before loading it: one dataset could not be checked for external storage. Re-save it with Keras from a trusted copy.',
  ),
  // Security: what would run code or read other files when Keras loads the model (made by security/)
  'lambda-bytecode': entry(
    'critical',
    'security',
    'a Lambda carries marshalled Python bytecode that Keras runs on load (CVE-2024-3660, CVE-2025-9905)',
    'Do not load this model from an untrusted source: the Lambda runs its bytecode on load (Keras 3 refuses unless safe_mode=False). Rebuild the Lambda from source code you trust.',
  ),
  'lambda-external-function': entry(
    'high',
    'security',
    'a Lambda calls a named function outside Keras, imported when the model is loaded',
    'Load only if you trust the named module: it is imported on load. Prefer a registered custom layer whose code you review.',
  ),
  lambda: entry(
    'medium',
    'security',
    "a Lambda names a function inside Keras' own packages: no code from the file, but review it",
    'Review the named Keras function; no code comes from the file.',
  ),
  'dangerous-module': entry(
    'critical',
    'security',
    'the config names a module or Keras API that can run programs, touch files or load code (CVE-2025-1550 class)',
    'Do not load this model: its config names a module or API that runs programs, touches files or loads code (CVE-2025-1550 class).',
  ),
  'custom-module': entry(
    'medium',
    'security',
    'a layer or object needs code from a package outside Keras (custom layers): cannot be verified',
    "Load only with the package's code installed from a source you trust, and review what it does.",
  ),
  'custom-training-object': entry(
    'medium',
    'security',
    'the training config names a loss, metric or optimizer that is not part of Keras',
    'Load with compile=False, or review the package that provides the loss, metric or optimizer.',
  ),
  'tfsm-layer': entry(
    'high',
    'security',
    'a TFSMLayer loads an external TensorFlow SavedModel',
    'Load only if you trust the SavedModel the layer points to: it is loaded with the model.',
  ),
  'torch-module-wrapper': entry(
    'critical',
    'security',
    'a TorchModuleWrapper holds a pickled PyTorch module',
    'Do not load this model from an untrusted source: unpickling the PyTorch module runs code.',
  ),
  'vocabulary-path': entry(
    'high',
    'security',
    'a lookup layer reads its vocabulary from a path or URL when loaded (CVE-2025-12058)',
    'The layer reads a file or URL when loaded (CVE-2025-12058): store the vocabulary inline, or load only where that path is trusted.',
  ),
  'zip-unexpected-member': entry(
    'high',
    'security',
    'a .keras archive member outside config.json, metadata.json, the weights and assets/',
    'Review the extra archive members; Keras archives hold config.json, metadata.json, the weights and assets/ only.',
  ),
  'zip-path-traversal': entry(
    'critical',
    'security',
    'a .keras archive member name is absolute or climbs out with `..`',
    'Do not extract or load this archive: a member name escapes the folder it is extracted into.',
  ),
  'zip-duplicate-member': entry(
    'high',
    'security',
    'a .keras archive lists the same member name twice (readers disagree on which one counts)',
    'Do not trust this archive: readers disagree about which copy of the member counts. Re-save the model.',
  ),
  'zip-bomb': entry(
    'high',
    'security',
    'a .keras archive declares far more uncompressed bytes than it holds',
    'Do not load this archive: it inflates to far more than it holds (memory or disk exhaustion).',
  ),
  'deceptive-name': entry(
    'high',
    'security',
    'a name holds control, bidirectional or zero-width characters (or a lone surrogate) that hide or disguise text; shown escaped',
    'Treat the file as hostile: a name that hides or reorders its own text is made to mislead whoever reads the report. Read the escaped name kerascope shows, and get the model from its author again.',
  ),
  'savedmodel-file-op': entry(
    'critical',
    'security',
    'a SavedModel graph or function holds an op that reads, writes, lists or memory-maps files (or prints to one)',
    'Do not load or serve this SavedModel: running its graph touches files the finding names. Remove the op, or get the model from a source you trust (docs/savedmodel.md lists the ops).',
  ),
  'savedmodel-network-op': entry(
    'critical',
    'security',
    'a SavedModel graph or function holds an op that talks to the network (RPC, tf.data service, cloud services)',
    'Do not load or serve this SavedModel: running its graph connects to the address the finding names. Remove the op or get the model from a source you trust.',
  ),
  'savedmodel-python-op': entry(
    'critical',
    'security',
    'a SavedModel op calls a Python function of the loading process (PyFunc)',
    'Do not load this SavedModel where untrusted: a PyFunc op runs Python code registered in the loading process. Remove it, or load the model only with the code it was made with.',
  ),
  'savedmodel-vocabulary-file': entry(
    'medium',
    'security',
    'a SavedModel fills a lookup table from a text file when restored (normally a vocabulary in assets/)',
    'Usually benign (a vocabulary in assets/): check that the file it names lies inside the SavedModel folder.',
  ),
} as const satisfies Record<string, CatalogueEntry>;

export type FindingCode = keyof typeof CATALOGUE;

export const FINDING_CODES = Object.keys(CATALOGUE) as FindingCode[];

/** The one way to make a finding: the severity comes from the catalogue. */
export function finding(code: FindingCode, layer: string | null, weight: string | null, message: string): Finding {
  return { severity: CATALOGUE[code].severity, code, layer, weight, message };
}
