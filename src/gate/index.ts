// The CI gate, as a pure module (no Node APIs: it runs in a browser too): baselines, budgets, layer
// matching and weights compatibility over the same Report that `inspect` produces.
export * from './types.js';
export * from './units.js';
export { architectureHash, canonicalArchitecture, layerSummary, sha256Hex, summarize, type SummaryInputs } from './summary.js';
export { BASELINE_KIND, identityMismatch, makeBaseline, parseBaseline, serializeBaseline } from './baseline.js';
export { change, compareSummaries, matchLayers, type LayerMatch } from './compare.js';
export { checkExitStatus, runCheck, type BudgetResult, type Budgets, type CheckResult } from './check.js';
export { runDiff, type DiffResult, type DiffSide } from './diff.js';
export { shapeHint, weightsCompat, type LoadMode, type WeightsCompat } from './weights.js';
export { CONFIG_FILE, parseGateConfig, type GateEntry } from './config.js';
