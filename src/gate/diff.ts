// `diff A B`: the layer comparison, the totals, and whether B's weights would load into A.
import type { Report } from '../model/types.js';
import { compareSummaries } from './compare.js';
import { GATE_SCHEMA_VERSION, type LayerChange, type ModelSummary, type TotalsChange } from './types.js';
import { weightsCompat, type WeightsCompat } from './weights.js';

export interface DiffSide {
  file: string;
  format: string;
  kerasVersion: string | null;
  architectureHash: string;
  totals: ModelSummary['totals'];
}

export interface DiffResult {
  schemaVersion: 1;
  kind: 'kerascope-diff';
  before: DiffSide;
  after: DiffSide;
  sameArchitecture: boolean;
  layers: LayerChange[];
  totals: TotalsChange;
  weightsCompat: WeightsCompat;
}

const sideOf = (s: ModelSummary): DiffSide => ({
  file: s.file,
  format: s.format,
  kerasVersion: s.kerasVersion,
  architectureHash: s.architectureHash,
  totals: s.totals,
});

export function runDiff(a: { summary: ModelSummary; report: Report }, b: { summary: ModelSummary; report: Report }): DiffResult {
  const cmp = compareSummaries(a.summary, b.summary);
  return {
    schemaVersion: GATE_SCHEMA_VERSION,
    kind: 'kerascope-diff',
    before: sideOf(a.summary),
    after: sideOf(b.summary),
    sameArchitecture: cmp.sameArchitecture,
    layers: cmp.layers,
    totals: cmp.totals,
    weightsCompat: weightsCompat(a.report, b.report),
  };
}
