// The CI gate's vocabulary: a model reduced to what a baseline records, and the results of check and diff.
import type { FormatId, Shape } from '../model/types.js';

export const GATE_SCHEMA_VERSION = 1;
/** 2: `model` (the model's own name) added, so that a check can tell a baseline of another model. 1 is still read. */
export const BASELINE_SCHEMA_VERSION = 2;

export interface WeightSummary {
  name: string;
  /** Stored shape where the file stores the tensor, else the shape the layer's formula expects. */
  shape: Shape;
}

export interface LayerSummary {
  name: string;
  className: string | null;
  outputShape: Shape | Shape[] | null;
  /** The layer's count (formula, or stored for layers the formula table does not know). */
  params: number;
  trainable: number | null;
  nonTrainable: number | null;
  weights: WeightSummary[];
  /** Names of the layers feeding its first call (a Sequential's previous layer); empty for inputs or without a config. */
  inputs: string[];
}

export interface SummaryTotals {
  params: number;
  trainable: number | null;
  nonTrainable: number | null;
  /** Elements in stored tensors, and their bytes. */
  stored: number;
  storedBytes: number;
  /** Bytes of every file the model consists of, on disk. */
  diskBytes: number;
}

export interface FileDigest {
  path: string;
  bytes: number;
  sha256: string | null;
}

export interface ErrorSummary {
  code: string;
  layer: string | null;
  message: string;
}

/** A model as the gate sees it (also the body of a baseline file). */
export interface ModelSummary {
  file: string;
  format: FormatId;
  /** The model's own name as its config gives it (Keras prints `Model: "name"`); null without a config. */
  model: string | null;
  kerasVersion: string | null;
  /** SHA-256 of the main file (hex), null where it was not computed. */
  sha256: string | null;
  /** `sha256:<hex>` of the canonical layer graph: classes, configs, wiring by position — not the names. */
  architectureHash: string;
  totals: SummaryTotals;
  files: FileDigest[];
  /** Error findings of the audit at the time. */
  errors: ErrorSummary[];
  /** Top-level layers in model order. */
  layers: LayerSummary[];
}

export interface Baseline extends ModelSummary {
  schemaVersion: 1 | 2;
  kind: 'kerascope-baseline';
  kerascopeVersion: string;
}

export type ChangeKind = 'added' | 'removed' | 'changed' | 'renamed';

export type LayerSide = LayerSummary;

export interface LayerChange {
  kind: ChangeKind;
  /** The layer's name after the change (before, for a removed layer). */
  name: string;
  /** The name before, when it was matched by structure under another name. */
  renamedFrom: string | null;
  /** What changed: `params`, `outputShape`, `trainable` (a move between trainable and non-trainable), `weights`, `class`. */
  aspects: ('params' | 'outputShape' | 'trainable' | 'weights' | 'class')[];
  before: LayerSide | null;
  after: LayerSide | null;
  /** after − before params (added: +after, removed: −before). */
  delta: number;
}

export interface Change {
  before: number | null;
  after: number | null;
  delta: number | null;
  /** Percent of `before`, rounded to 4 decimals; null when before is 0 or unknown. */
  percent: number | null;
}

export interface TotalsChange {
  params: Change;
  trainable: Change;
  nonTrainable: Change;
  diskBytes: Change;
}

export interface LayerComparison {
  layers: LayerChange[];
  totals: TotalsChange;
  sameArchitecture: boolean;
}
