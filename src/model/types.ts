// The vocabulary every stage shares. Data flows one way:
//   formats/ (bytes → LoadedModel) → graph/ (config → LayerNode[]) → layers/ (formulas → VarSpec[])
//   → audit/ (expected vs stored → Report) → report/ (Report → text/json/sarif) → cli/

/** A tensor shape. The batch axis and any axis that is not known are `null`. */
export type Shape = (number | null)[];

/**
 * `keras-h5` full legacy model · `keras-h5-weights` weights-only HDF5 (with or without an architecture JSON)
 * · `keras-v3` `.keras` archive · `tfjs-layers` / `tfjs-graph` TF.js model.json · `keras-json` an
 * architecture JSON inspected alone (no weights) · `savedmodel` a TensorFlow SavedModel directory.
 */
export type FormatId = 'keras-h5' | 'keras-h5-weights' | 'keras-v3' | 'tfjs-layers' | 'tfjs-graph' | 'keras-json' | 'savedmodel';

import type { Finding } from './findings.js';

export type { Finding, FindingCode, Severity } from './findings.js';

/** One tensor as stored in the file. Only metadata: tensor data is never read. */
export interface StoredTensor {
  /** How the format groups tensors: an h5 layer group, a Keras 3 `layers/dense_1` path, a TF.js name prefix. */
  layerKey: string;
  /** Path of the tensor below its layer group (`dense_1/kernel:0`, `cell/vars/0`, `kernel`). */
  name: string;
  shape: number[];
  /** Stored element type as the file declares it (`float32`, `uint8`, `bfloat16`, …). */
  dtype: string;
  /** Bytes the tensor occupies on disk (stored dtype; quantized tensors count their quantized bytes). */
  bytes: number;
  /** The dtype the tensor represents once loaded, where it differs from the stored one (TF.js quantization). */
  logicalDtype?: string;
}

export interface FileEntry {
  path: string;
  bytes: number;
  /** Bytes the format says the file should have (TF.js shards), when it says so. */
  expectedBytes?: number;
  present: boolean;
}

/** What a loader returns: the file's layer config (if any) and its stored tensors, in any format. */
export interface LoadedModel {
  file: string;
  format: FormatId;
  /** The Keras version the file records (a TF.js converter keeps the converted file's); null when none. */
  kerasVersion: string | null;
  /** What wrote the file, when it differs from plain Keras (`TensorFlow.js tfjs-layers 4.22.0`, a converter). */
  producer?: string | null;
  backend: string | null;
  /** The model's layer config as the file stores it (Keras 1/2/3 or tfjs-layers dialect), or null. */
  config: unknown | null;
  /** Training config (loss, metrics, optimizer) when stored; only scanned, never used to count. */
  trainingConfig: unknown | null;
  tensors: StoredTensor[];
  /** Optimizer state (slots, iterations), reported apart from the model's parameters. */
  optimizer: StoredTensor[];
  /** Compiled-metric state (Keras 3 layout `metrics/…`): neither parameters nor optimizer state. */
  metrics?: StoredTensor[];
  /**
   * Variables the model object owns outside its list of layers: a subclassed model's attribute trackers
   * (`encoder/…`, keyed by the tracker), a legacy h5 `top_level_model_weights` group.
   */
  modelVariables?: StoredTensor[];
  files: FileEntry[];
  /** Findings the loader made while reading (missing shards, links, zip members, …). */
  problems: Finding[];
  /**
   * How stored tensors are matched to a layer's expected variables: `name` (legacy h5, TF.js: by weight name
   * with order as tie-break) or `order` (Keras 3 `vars/<i>`: by position).
   */
  matchBy: 'name' | 'order';
  /** Free-form provenance facts for reports (generator, converter, date saved, …). */
  meta: Record<string, string>;
  /** Keras 3: stored layer group → config layer name, where the file records it (`vars` group `name`). */
  configNames?: Record<string, string>;
  /** Zip archives: every member as the central directory lists it (for the security pass). */
  archiveMembers?: { name: string; compressedSize: number; uncompressedSize: number; compressed: boolean }[];
}

/**
 * `sym`: a named size (`units`, `in`, `kernel_h`) with its value; `num`: a constant (gates, 1, 2);
 * `mul`/`add`: product/sum of the arguments; `div`: exact quotient; `ceildiv`/`floordiv`: rounded quotient.
 * `value` is null when a size is not known (unknown input upstream).
 */
export type Expr =
  | { op: 'sym'; name: string; value: number | null }
  | { op: 'num'; value: number }
  | { op: 'mul' | 'add'; args: Expr[]; value: number | null }
  | { op: 'div' | 'ceildiv' | 'floordiv'; args: [Expr, Expr]; value: number | null };

/** One expected variable of a layer, in the order Keras creates (and stores) it. */
export interface VarSpec {
  /** Keras' variable name, prefixed by the sub-layer for composite layers (`forward/kernel`, `query/bias`). */
  name: string;
  /** Expected shape; a `null` axis is one that could not be inferred (unknown input upstream). */
  shape: Shape;
  trainable: boolean;
  /**
   * Each axis of `shape` as a named size (`in`, `units`, `4·units`, `in/groups`) carrying its value, when the
   * formula built the shape from them (`fv` in layers/expr.ts); `kerascope explain` prints these.
   */
  factors?: Expr[];
}

/** One layer of the model after the config is normalized, with resolved inputs. */
export interface LayerNode {
  name: string;
  className: string;
  /** Names of enclosing models for layers of nested models, outermost first (empty at top level). */
  path: string[];
  /** The layer's own `config` object (arguments), dialect-normalized keys left as they are. */
  config: Record<string, unknown>;
  /** The layer's full serialized entry (module, registered_name, inbound nodes, …) for scanners. */
  raw: Record<string, unknown>;
  /** Input shapes of the first call (shared layers are called more than once; weights are made once). */
  inputShapes: (Shape | null)[];
  outputShape: Shape | Shape[] | null;
  /** Expected variables, or null where the class is unknown. */
  vars: VarSpec[] | null;
  /** Set when a formula or shape could not be applied; says why in a sentence. */
  note: string | null;
  /** False if this layer or an enclosing model is frozen. */
  trainable: boolean;
  /** For a nested model used as a layer: its inner layers (shown as one row unless expanded). */
  children: LayerNode[];
  /** How often the layer is called in the graph (shared layers > 1). */
  calls: number;
  /**
   * The graph's edges into this layer: per call, the tensors it takes (producing layer in the same model,
   * which call of it, which of its outputs). Sequential models chain each layer to the one before.
   */
  inbound: InboundEdge[][];
}

/** One input of one call of a layer: the producing layer (same model), its call index and output index. */
export interface InboundEdge {
  layer: string;
  call: number;
  tensor: number;
}

export type LayerStatus = 'ok' | 'mismatch' | 'unverified' | 'no weights stored';

export interface WeightRow {
  name: string;
  expectedShape: Shape | null;
  storedShape: number[] | null;
  dtype: string | null;
  trainable: boolean | null;
}

export interface LayerRow {
  name: string;
  /** Null for stored groups with no layer in the config (weights-only files, graph models, orphans). */
  className: string | null;
  /** Enclosing nested models, outermost first; omitted from JSON when empty. */
  path: string[];
  outputShape: Shape | Shape[] | null;
  /** `trainable`/`nonTrainable` are null where nothing says which is which (no architecture). */
  params: { expected: number | null; stored: number; trainable: number | null; nonTrainable: number | null };
  weights: WeightRow[];
  status: LayerStatus;
  /** Depth in the nesting tree (0 = top level) for display. */
  depth: number;
}

export interface Totals {
  /** What Keras prints as Total params (custom layers count their stored tensors). */
  params: number;
  /** Null without an architecture: nothing in the file says which weights train. */
  trainable: number | null;
  nonTrainable: number | null;
  /** Elements in stored tensors (model weights only). */
  stored: number;
  storedBytes: number;
  /** Elements of optimizer state stored alongside (never mixed into `stored`). */
  optimizerStored: number;
  /** Elements of compiled-metric state stored alongside (Keras 3 layout `metrics/…`; never mixed into `stored`). */
  metricsStored: number;
  /** Bytes the parameters take once loaded, at their logical dtype (float32 = 4 bytes), as Keras prints them. */
  paramBytes: number;
  trainableBytes: number | null;
  nonTrainableBytes: number | null;
}

export interface Report {
  /**
   * 3: severities critical / high / medium / low / info (were error / warning / info); code `unverified-layer`.
   * 2: `producer` added, `kerasVersion` no longer carries the TF.js library version; `totals.metricsStored`.
   */
  schemaVersion: 3;
  file: string;
  format: FormatId;
  /** The Keras version the file records, or null (a tfjs-layers model has none). */
  kerasVersion: string | null;
  /** What wrote the file: `Keras 3.6.0`, `TensorFlow.js tfjs-layers 4.22.0`, `TensorFlow.js Converter 4.x`; null when unknown. */
  producer: string | null;
  backend: string | null;
  /** The model's own name and class as its config gives them (Keras prints `Model: "name"`); null without a config. */
  model: { name: string; className: string } | null;
  layers: LayerRow[];
  totals: Totals;
  findings: Finding[];
  files: FileEntry[];
  meta: Record<string, string>;
}
