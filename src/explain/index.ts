// explain: each layer's parameter formula read off the formula table (layer.ts: per layer and per class),
// the model-level explanation that sums them to the report's totals (model.ts), and the README coverage
// table printed from the same formulas (coverage.ts). Rendering is in report/explain.ts, as every command's
// rendering is in report/; the command line front end is cli/explain.ts.
export {
  arithmeticText,
  type ClassFormula,
  classFormula,
  type ExplainedLayer,
  type ExplainedVar,
  explainLayers,
  explainNode,
  explainVars,
  FormulaError,
  generalText,
  settingsOf,
  variablesText,
} from './layer.js';
export { type ExplainedEntry, type Explanation, explainReport, formulaColumn, layerKey } from './model.js';
