// kerascope's library API.
export { inspect, type InspectOptions } from './inspect.js';
export { loadModel, type LoadOptions } from './formats/index.js';
export { audit, exitStatus, type AuditOptions } from './audit/index.js';
export { buildGraph, expectedCounts, type Graph } from './graph/index.js';
export { applyLayer, lookupLayer, registeredClasses } from './layers/index.js';
export { InputError } from './model/errors.js';
export type * from './model/types.js';
export * as gate from './gate/index.js';
