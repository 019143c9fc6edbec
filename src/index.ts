// kerascope's library API (Node). The core under it reads any ByteSource; `inspect` opens paths.
export { explainFile, inspect, inspectModel, type InspectOptions } from './node/inspect.js';
export { inspectIsolated, type IsolatedOptions } from './node/isolated.js';
export { sweepStaleScratch } from './node/worker-runner.js';
export { FileSource, openPath } from './node/file-source.js';
export { isRemote, openRemote, type RemoteInput, type RemoteOptions } from './node/remote.js';
export { parseHubUri, type HubUri } from './io/hub.js';
export { analyze, type AnalyzeOptions, type Inspection } from './inspect.js';
export { type ByteSource, MemorySource } from './io/byte-source.js';
export { loadModel, type LoadOptions } from './formats/index.js';
export { audit, exitStatus, type AuditOptions } from './audit/index.js';
export { buildGraph, expectedCounts, type Graph } from './graph/index.js';
export { applyLayer, lookupLayer, registeredClasses } from './layers/index.js';
export { CATALOGUE, finding, type FindingCode } from './model/findings.js';
export { InputError, InspectionStopped, type StopCause } from './model/errors.js';
export { DEFAULT_BUDGETS, type BudgetName, type Budgets } from './model/budgets.js';
export type * from './model/types.js';
export {
  classFormula,
  type ClassFormula,
  type ExplainedEntry,
  type ExplainedLayer,
  explainReport,
  type Explanation,
} from './explain/index.js';
export * as gate from './gate/index.js';
export * as card from './card/index.js';
export { renderCardHtml, renderCardMarkdown, renderGraphSvg, updateCard, type CardOptions } from './card/index.js';
export { renderTable, renderFindings, type TableOptions } from './report/table.js';
export { renderJson } from './report/json.js';
export { renderQuiet } from './report/quiet.js';
export { auditFindings, renderAuditJson, renderAuditTable } from './report/audit.js';
export { renderSarif } from './report/sarif.js';
export type { TextStyle } from './report/style.js';
