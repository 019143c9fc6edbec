// An Explanation of an inspection: each layer's formula read off the graph
// (layer.ts) and the model total as the sum of the layers, ending at the totals the report prints.
import type { Graph } from '../graph/index.js';
import { type Expr, addAll, lit, print, sym } from '../layers/expr.js';
import { type ExplainedLayer, explainLayers, explainNode, settingsOf } from './layer.js';
import type { FormatId, LayerNode, Report } from '../model/types.js';

export interface ExplainedEntry extends ExplainedLayer {
  /**
   * `formula`: the count is the formula's (the expression evaluates to it); `stored`: the formula could not
   * give it (a class kerascope does not know, or an input shape it cannot infer), so the stored tensors are
   * counted, as in the inspect report.
   */
  source: 'formula' | 'stored';
}

export interface Explanation {
  schemaVersion: 1;
  file: string;
  format: FormatId;
  kerasVersion: string | null;
  /** A sentence when the file has no architecture (weights only, graph model): nothing to explain by formula. */
  note: string | null;
  layers: ExplainedEntry[];
  total: {
    /** The sum of the layers' counts: one term per layer, named by the layer. */
    expression: Expr;
    params: number;
    trainable: number | null;
    nonTrainable: number | null;
  };
}

/** True when every variable of a node (nested models: of their layers) has a known shape. */
function fullyKnown(n: LayerNode): boolean {
  return n.vars?.every((v) => v.shape.every((d) => d !== null)) ?? false;
}

export function explainReport(report: Report, graph: Graph | null): Explanation {
  const layers: ExplainedEntry[] = [];
  for (const node of graph?.layers ?? []) {
    if (fullyKnown(node)) {
      for (const l of explainLayers([node])) layers.push({ ...l, source: 'formula' });
      continue;
    }
    // The formula cannot give this layer's count: take what the report counted (its stored tensors).
    const row = report.layers.find((r) => r.depth === 0 && r.name === node.name && r.className === node.className);
    const t = row?.params.trainable ?? 0;
    const nt = row?.params.nonTrainable ?? 0;
    layers.push({
      name: node.name,
      className: node.className,
      path: node.path,
      sizes: [],
      settings: settingsOf(node.config),
      variables: [],
      expression: lit(t + nt),
      params: t + nt,
      trainable: t,
      nonTrainable: nt,
      note: node.note ?? (node.vars === null ? `${node.className} is not a class kerascope knows` : 'a shape could not be inferred'),
      source: 'stored',
    });
  }
  // Layers without an architecture (weights-only files) have no formula: the total is the report's.
  const expression = graph ? addAll(layers.map((l) => sym(layerKey(l), l.params))) : lit(report.totals.params);
  return {
    schemaVersion: 1,
    file: report.file,
    format: report.format,
    kerasVersion: report.kerasVersion,
    note: graph ? null : 'no layer architecture in this file: its stored tensors are counted, no formula applies',
    layers,
    total: {
      expression,
      params: report.totals.params,
      trainable: report.totals.trainable,
      nonTrainable: report.totals.nonTrainable,
    },
  };
}

/** `model_1/dense` for a layer of a nested model, `dense` at top level. */
export function layerKey(l: { name: string; path: string[] }): string {
  return [...l.path, l.name].join('/');
}

/**
 * For `inspect --explain`: each layer's count as arithmetic (`3·4 + 4`), keyed by `layerKey`, for every layer
 * of the graph (nested models' layers too). A nested model reads "sum of its layers"; a layer whose formula
 * could not be applied has no entry.
 */
export function formulaColumn(graph: Graph | null): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (n: LayerNode) => {
    if (n.children.length) {
      if (fullyKnown(n)) out.set(layerKey(n), 'sum of its layers');
      n.children.forEach(visit);
      return;
    }
    if (!fullyKnown(n)) return;
    const l = explainNode(n);
    out.set(layerKey(n), l.variables.length ? print(l.expression, 'values') : '');
  };
  graph?.layers.forEach(visit);
  return out;
}
