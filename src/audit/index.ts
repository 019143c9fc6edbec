// The audit: expected variables (from the graph) against stored tensors (from the file), layer by layer.
// It owns the findings about integrity and is the only place that decides the exit status.
import { buildGraph, type Graph } from '../graph/index.js';
import { finding } from '../model/findings.js';
import { elements } from '../model/shape.js';
import type { Finding, LayerNode, LayerRow, Report, LoadedModel, StoredTensor, Totals } from '../model/types.js';
import { assignTensors } from './assign.js';
import { auditNode, storedOnlyRow } from './rows.js';
import { sortFindings } from './status.js';
import { unverifiedFindings } from './unverified.js';
import { sum, Tally } from './tally.js';
import { thousands } from '../model/text.js';

const count = thousands;

export { exitStatus } from './status.js';

export interface AuditOptions {
  /** Expand nested models this many levels deep in `layers` (like Keras `expand_nested`). */
  depth?: number;
  /** Findings other passes made about the same model (security scanners). */
  extra?: Finding[];
}

/** The layer graph of a model's config, or null (no config) — or the finding that says why it could not be built. */
export function graphOf(saved: LoadedModel): { graph: Graph | null; problem: Finding | null } {
  if (saved.config === null) return { graph: null, problem: null };
  try {
    return { graph: buildGraph(saved.config), problem: null };
  } catch (e) {
    return {
      graph: null,
      problem: finding('config-unreadable', null, null, `the model config could not be read as layers: ${(e as Error).message}`),
    };
  }
}

/** The audit of a loaded model against its graph (`graphOf(saved)` unless given). */
export function audit(saved: LoadedModel, opts: AuditOptions = {}, built = graphOf(saved)): Report {
  const findings: Finding[] = [...saved.problems];
  const graph = built.graph;
  if (built.problem) findings.push(built.problem);
  const acc = new Tally();
  const layers: LayerRow[] = [];
  const modelVariables = saved.modelVariables ?? [];
  const whole = graph ? wholeModelNode(graph) : null;
  if (graph && whole) {
    // A subclassed model (or one custom layer saved as the model): the config lists no layers, so every
    // stored variable belongs to it, counted and not checked.
    const stored = [...saved.tensors, ...modelVariables];
    const keys = new Set(stored.map((t) => t.layerKey));
    const rows = auditNode({ node: whole, stored, own: new Set([whole.name, ...keys]), weightsPresent: true, findings, totals: acc });
    layers.push(...rows);
    if ((opts.depth ?? 0) > 0)
      for (const [key, tensors] of groupByKey(stored))
        layers.push({ ...storedOnlyRow(key || '(own variables)', tensors, 'unverified'), path: [whole.name], depth: 1 });
    findings.push(
      finding(
        'subclassed-model',
        whole.name,
        null,
        saved.meta.kerasHubClass
          ? `${whole.className} is a KerasHub backbone (registered as ${saved.meta.kerasHubClass}; its config holds constructor arguments, not layers): its ${count(stored.length)} stored variables (${count(sum(stored))} values) are counted under the model, not checked against a formula`
          : `${whole.className} is a subclassed model (its config lists no layers): its ${count(stored.length)} stored variables (${count(sum(stored))} values) are counted under the model, not checked against a formula`,
      ),
    );
  } else if (graph) {
    const assignment = assignTensors(saved, graph.layers);
    const weightsPresent = saved.format !== 'keras-json' && !saved.problems.some((p) => p.code === 'no-weights');
    for (const node of graph.layers) {
      const stored = assignment.byLayer.get(node.name) ?? [];
      const own = new Set([node.name, ...(assignment.groupsOf.get(node.name) ?? [])]);
      for (const item of auditNode({ node, stored, own, weightsPresent, findings, totals: acc, maxDepth: opts.depth ?? 0 }))
        layers.push(item);
    }
    for (const item of unknownClassFindings(graph.layers, assignment.byLayer)) findings.push(item);
    for (const [key, tensors] of assignment.orphans) {
      findings.push(
        finding(
          'orphan-weights',
          key,
          null,
          `stored group ${key} (${count(tensors.length)} tensors, ${count(sum(tensors))} values) matches no layer of the config`,
        ),
      );
      layers.push(storedOnlyRow(key, tensors, 'mismatch'));
    }
    // Variables of the model object itself (outside its layers): counted, nothing to check them against.
    for (const [key, tensors] of groupByKey(modelVariables)) {
      layers.push(storedOnlyRow(key || '(own variables)', tensors, 'unverified'));
      acc.addUnverified(tensors, true);
    }
  } else {
    // A graph model and a plain tf.Module SavedModel have no Keras layers by nature (the loader says so).
    if (saved.format !== 'tfjs-graph' && saved.format !== 'savedmodel' && !findings.some((f) => f.code === 'config-unreadable')) {
      findings.push(
        finding(
          'no-architecture',
          null,
          null,
          'no architecture in the file: stored tensors are listed but cannot be checked (give the architecture JSON, with --weights for this file)',
        ),
      );
    }
    for (const [key, tensors] of groupByKey([...saved.tensors, ...modelVariables])) {
      layers.push(storedOnlyRow(key || '(own variables)', tensors, 'unverified'));
      acc.addUnverified(tensors, true);
    }
  }
  for (const f of unverifiedFindings(layers, graph?.layers ?? [], findings)) findings.push(f);
  // Without an architecture nothing says which weights train: the split is unknown, not "all trainable".
  const split = graph !== null;
  for (const item of opts.extra ?? []) findings.push(item);
  const optimizerStored = saved.optimizer.reduce((n, t) => n + elements(t.shape), 0);
  if (optimizerStored > 0) {
    findings.push(
      finding(
        'optimizer-state',
        null,
        null,
        `${count(optimizerStored)} optimizer values (${count(saved.optimizer.length)} tensors) are stored with the model: training state, not parameters`,
      ),
    );
  }
  const metrics = saved.metrics ?? [];
  const metricsStored = sum(metrics);
  if (metrics.length > 0) {
    findings.push(
      finding(
        'metric-state',
        null,
        null,
        `${count(metricsStored)} compiled-metric values (${count(metrics.length)} tensors) are stored with the model: metric state, neither parameters nor optimizer state`,
      ),
    );
  }
  const totals: Totals = {
    params: acc.trainable + acc.nonTrainable,
    trainable: split ? acc.trainable : null,
    nonTrainable: split ? acc.nonTrainable : null,
    stored: sum(saved.tensors) + sum(modelVariables),
    storedBytes: [...saved.tensors, ...modelVariables].reduce((n, t) => n + t.bytes, 0),
    optimizerStored,
    metricsStored,
    paramBytes: Math.round(acc.trainableBytes + acc.nonTrainableBytes),
    trainableBytes: split ? Math.round(acc.trainableBytes) : null,
    nonTrainableBytes: split ? Math.round(acc.nonTrainableBytes) : null,
  };
  // A KerasHub preset's metadata.json says how many parameters the backbone had when it was saved.
  const recorded = saved.meta.presetParameterCount;
  if (recorded !== undefined && Number(recorded) !== totals.stored)
    findings.push(
      finding(
        'preset-count-mismatch',
        null,
        null,
        `metadata.json records ${count(Number(recorded))} parameters, the stored weights hold ${count(totals.stored)} values (${Number(recorded) > totals.stored ? 'fewer' : 'more'} than recorded)`,
      ),
    );
  return {
    schemaVersion: 3,
    file: saved.file,
    format: saved.format,
    kerasVersion: saved.kerasVersion,
    producer: saved.producer ?? (saved.kerasVersion ? `Keras ${saved.kerasVersion}` : null),
    backend: saved.backend,
    model: graph ? { name: graph.name, className: graph.className } : null,
    layers,
    totals,
    findings: sortFindings(findings),
    files: saved.files,
    meta: saved.meta,
  };
}

/** The node that is the whole model when the config is one object without a layer list (a subclassed model). */
function wholeModelNode(graph: Graph): LayerNode | null {
  const only = graph.layers.length === 1 ? graph.layers[0]! : null;
  return only && only.vars === null && only.children.length === 0 && only.className !== 'InputLayer' ? only : null;
}

/** Stored tensors grouped by their layer key, in stored order. */
function groupByKey(tensors: StoredTensor[]): Map<string, StoredTensor[]> {
  const groups = new Map<string, StoredTensor[]>();
  for (const t of tensors) {
    const g = groups.get(t.layerKey);
    if (g) g.push(t);
    else groups.set(t.layerKey, [t]);
  }
  return groups;
}

/** One warning per unknown class (custom layer), naming its layers and what they store. */
function unknownClassFindings(layers: LayerNode[], byLayer: Map<string, StoredTensor[]>): Finding[] {
  const byClass = new Map<string, LayerNode[]>();
  const visit = (n: LayerNode) => {
    if (n.vars === null && n.children.length === 0) byClass.set(n.className, [...(byClass.get(n.className) ?? []), n]);
    n.children.forEach(visit);
  };
  layers.forEach(visit);
  return [...byClass].map(([cls, nodes]) => {
    const tensors = nodes.flatMap((n) => byLayer.get(n.name) ?? []);
    const names = nodes.map((n) => n.name);
    const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')}, …` : names.join(', ');
    return finding(
      'unknown-layer',
      nodes[0]!.name,
      null,
      `${cls} is not a built-in Keras layer (${nodes.length} layer${nodes.length > 1 ? 's' : ''}: ${shown}): its ${count(tensors.length)} stored tensors (${count(sum(tensors))} values) are counted but not verified`,
    );
  });
}
