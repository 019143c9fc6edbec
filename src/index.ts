// kerascope's library API (Node). The core under it reads any ByteSource; `inspect` opens paths.
export { explainFile, inspect, inspectModel, type InspectOptions } from './node/inspect.js';
export { FileSource, openPath } from './node/file-source.js';
export { analyze, type AnalyzeOptions, type Inspection } from './inspect.js';
export { type ByteSource, MemorySource } from './io/byte-source.js';
export { loadModel, type LoadOptions } from './formats/index.js';
export { audit, exitStatus, type AuditOptions } from './audit/index.js';
export { buildGraph, expectedCounts, type Graph } from './graph/index.js';
export { applyLayer, lookupLayer, registeredClasses } from './layers/index.js';
export { CATALOGUE, finding, type FindingCode } from './model/findings.js';
export { InputError } from './model/errors.js';
export type * from './model/types.js';
export { explainReport, type Explanation, type ExplainedEntry } from './explain.js';
export { classFormula, type ClassFormula, type ExplainedLayer } from './layers/explain.js';
export * as gate from './gate/index.js';
export * as card from './card/index.js';
export { renderCardHtml, renderCardMarkdown, renderGraphSvg, updateCard, type CardOptions } from './card/index.js';
