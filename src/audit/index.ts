// The audit: expected variables (from the graph) against stored tensors (from the file), layer by layer.
// It owns the findings about integrity and is the only place that decides the exit status.
import { buildGraph, type Graph } from '../graph/index.js';
import type { Finding, LayerNode, LayerRow, LayerStatus, Report, SavedModel, StoredTensor, Totals, WeightRow } from '../model/types.js';
import { assignTensors } from './assign.js';
import { finding } from '../model/findings.js';
import { sortFindings } from './status.js';
import { compatible, matchVars, type Pair } from './match.js';

export { exitStatus } from './status.js';

export interface AuditOptions {
  /** Expand nested models this many levels deep in `layers` (like Keras `expand_nested`). */
  depth?: number;
  /** Findings other passes made about the same model (security scanners). */
  extra?: Finding[];
}

/** The layer graph of a model's config, or null (no config) — or the finding that says why it could not be built. */
export function graphOf(saved: SavedModel): { graph: Graph | null; problem: Finding | null } {
  if (saved.config === null) return { graph: null, problem: null };
  try {
    return { graph: buildGraph(saved.config), problem: null };
  } catch (e) {
    return { graph: null, problem: finding('config-unreadable', null, null, `the model config could not be read as layers: ${(e as Error).message}`) };
  }
}

const BYTES: Record<string, number> = {
  float16: 2, bfloat16: 2, float32: 4, float64: 8, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4,
  int64: 8, uint64: 8, bool: 1, float8_e4m3fn: 1, float8_e5m2: 1, int4: 0.5,
};

const elements = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Bytes one element takes once loaded (TF.js dequantizes to its logical dtype). */
function loadedBytes(t: StoredTensor | null): number {
  if (!t) return 4;
  return BYTES[t.logicalDtype ?? t.dtype] ?? 4;
}

/** The audit of a loaded model against its graph (`graphOf(saved)` unless given). */
export function audit(saved: SavedModel, opts: AuditOptions = {}, built = graphOf(saved)): Report {
  const findings: Finding[] = [...saved.problems];
  const graph = built.graph;
  if (built.problem) findings.push(built.problem);
  const acc = new Tally();
  const layers: LayerRow[] = [];
  if (graph) {
    const assignment = assignTensors(saved, graph.layers);
    const weightsPresent = saved.format !== 'keras-json' && !saved.problems.some((p) => p.code === 'no-weights');
    for (const node of graph.layers) {
      const stored = assignment.byLayer.get(node.name) ?? [];
      const own = new Set([node.name, ...(assignment.groupsOf.get(node.name) ?? [])]);
      layers.push(...auditNode(node, stored, own, weightsPresent, findings, acc, 0, opts.depth ?? 0));
    }
    findings.push(...unknownClassFindings(graph.layers, assignment.byLayer));
    for (const [key, tensors] of assignment.orphans) {
      findings.push(finding('orphan-weights', key, null, `stored group ${key} (${tensors.length} tensors, ${sum(tensors)} values) matches no layer of the config`));
      layers.push(storedOnlyRow(key, tensors, 'mismatch'));
    }
  } else {
    if (saved.format !== 'tfjs-graph' && !findings.some((f) => f.code === 'config-unreadable')) {
      findings.push(finding('no-architecture', null, null, 'no architecture in the file: stored tensors are listed but cannot be checked (give the architecture JSON, with --weights for this file)'));
    }
    const groups = new Map<string, StoredTensor[]>();
    for (const t of saved.tensors) {
      const g = groups.get(t.layerKey);
      if (g) g.push(t);
      else groups.set(t.layerKey, [t]);
    }
    for (const [key, tensors] of groups) {
      layers.push(storedOnlyRow(key, tensors, 'unverified'));
      acc.addUnverified(tensors, true);
    }
  }
  // Without an architecture nothing says which weights train: the split is unknown, not "all trainable".
  const split = graph !== null;
  findings.push(...(opts.extra ?? []));
  const optimizerStored = saved.optimizer.reduce((n, t) => n + elements(t.shape), 0);
  if (optimizerStored > 0) {
    findings.push(finding('optimizer-state', null, null, `${optimizerStored} optimizer values (${saved.optimizer.length} tensors) are stored with the model: training state, not parameters`));
  }
  const totals: Totals = {
    params: acc.trainable + acc.nonTrainable,
    trainable: split ? acc.trainable : null,
    nonTrainable: split ? acc.nonTrainable : null,
    stored: saved.tensors.reduce((n, t) => n + elements(t.shape), 0),
    storedBytes: saved.tensors.reduce((n, t) => n + t.bytes, 0),
    optimizerStored,
    paramBytes: Math.round(acc.trainableBytes + acc.nonTrainableBytes),
    trainableBytes: split ? Math.round(acc.trainableBytes) : null,
    nonTrainableBytes: split ? Math.round(acc.nonTrainableBytes) : null,
  };
  return {
    schemaVersion: 1,
    file: saved.file,
    format: saved.format,
    kerasVersion: saved.kerasVersion,
    backend: saved.backend,
    layers,
    totals,
    findings: sortFindings(findings),
    files: saved.files,
    meta: saved.meta,
  };
}

/** Running totals of counted parameters. */
class Tally {
  trainable = 0;
  nonTrainable = 0;
  trainableBytes = 0;
  nonTrainableBytes = 0;
  add(n: number, trainable: boolean, bytesPer: number) {
    if (trainable) {
      this.trainable += n;
      this.trainableBytes += n * bytesPer;
    } else {
      this.nonTrainable += n;
      this.nonTrainableBytes += n * bytesPer;
    }
  }
  addTally(t: Tally) {
    this.trainable += t.trainable;
    this.nonTrainable += t.nonTrainable;
    this.trainableBytes += t.trainableBytes;
    this.nonTrainableBytes += t.nonTrainableBytes;
  }
  /** Tensors of a layer kerascope cannot check: counted as stored, trainable unless the layer is frozen. */
  addUnverified(tensors: StoredTensor[], trainable: boolean) {
    for (const t of tensors) this.add(elements(t.shape), trainable, loadedBytes(t));
  }
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
    return finding('unknown-layer', nodes[0]!.name, null,
      `${cls} is not a built-in Keras layer (${nodes.length} layer${nodes.length > 1 ? 's' : ''}: ${shown}): its ${tensors.length} stored tensors (${sum(tensors)} values) are counted but not verified`);
  });
}

function sum(ts: StoredTensor[]): number {
  return ts.reduce((n, t) => n + elements(t.shape), 0);
}

function storedOnlyRow(name: string, tensors: StoredTensor[], status: LayerStatus): LayerRow {
  const n = sum(tensors);
  return {
    name,
    className: null,
    path: [],
    outputShape: null,
    params: { expected: null, stored: n, trainable: null, nonTrainable: null },
    weights: tensors.map((t) => ({ name: t.name, expectedShape: null, storedShape: t.shape, dtype: t.dtype, trainable: null })),
    status,
    depth: 0,
  };
}

function shapeText(s: readonly (number | null)[]): string {
  return `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
}

function auditNode(
  node: LayerNode,
  stored: StoredTensor[],
  own: Set<string>,
  weightsPresent: boolean,
  findings: Finding[],
  acc: Tally,
  depth: number,
  maxDepth: number,
): LayerRow[] {
  const storedCount = sum(stored);
  const base = { name: node.name, className: node.className, path: node.path, outputShape: node.outputShape, depth };
  if (node.vars === null) {
    // A class kerascope does not know: its stored tensors are shown and counted, not verified.
    const rowAcc = new Tally();
    rowAcc.addUnverified(stored, node.trainable);
    acc.addTally(rowAcc);
    return [{
      ...base,
      params: { expected: null, stored: storedCount, trainable: rowAcc.trainable, nonTrainable: rowAcc.nonTrainable },
      weights: stored.map((t) => ({ name: t.name, expectedShape: null, storedShape: t.shape, dtype: t.dtype, trainable: null })),
      status: 'unverified',
    }];
  }

  const expectedKnown = node.vars.every((v) => v.shape.every((d) => d !== null));
  const expectedCount = expectedKnown ? node.vars.reduce((n, v) => n + elements(v.shape as number[]), 0) : null;
  const layerMissing = weightsPresent && stored.length === 0 && node.vars.length > 0;
  const pairs: Pair[] = layerMissing || !weightsPresent ? node.vars.map((v) => ({ expected: v, stored: null })) : matchVars(node.vars, stored, own);

  let status: LayerStatus = 'ok';
  const rowAcc = new Tally();
  const weights: WeightRow[] = [];
  for (const p of pairs) {
    const e = p.expected;
    const t = p.stored;
    weights.push({
      name: e?.name ?? t!.name,
      expectedShape: e?.shape ?? null,
      storedShape: t?.shape ?? null,
      dtype: t?.dtype ?? null,
      trainable: e ? e.trainable && node.trainable : null,
    });
    if (e) {
      const known = e.shape.every((d) => d !== null);
      const n = known ? elements(e.shape as number[]) : t ? elements(t.shape) : 0;
      rowAcc.add(n, e.trainable && node.trainable, loadedBytes(t));
    }
    if (!weightsPresent || layerMissing) continue;
    if (e && t && !compatible(e.shape, t.shape)) {
      status = 'mismatch';
      findings.push(finding('shape-mismatch', node.name, e.name, `${node.name}/${e.name}: stored ${shapeText(t.shape)} but ${describeLayer(node)} needs ${shapeText(e.shape)}`));
    } else if (e && !t) {
      status = 'mismatch';
      findings.push(finding('missing-weight', node.name, e.name, `${node.name}/${e.name}: ${describeLayer(node)} needs a ${shapeText(e.shape)} tensor that the file does not store`));
    } else if (!e && t) {
      status = 'mismatch';
      findings.push(finding('unexpected-weight', node.name, t.name, `${node.name}: the file stores ${t.name} ${shapeText(t.shape)}, which ${node.className} does not have`));
    }
  }
  if (layerMissing) {
    status = 'no weights stored';
    findings.push(finding('layer-weights-missing', node.name, null, `${node.name} (${node.className}) needs ${expectedCount ?? 'some'} parameters but the file stores no weights for it`));
  } else if (!weightsPresent && node.vars.length > 0) {
    status = 'no weights stored';
  } else if (status === 'ok' && !expectedKnown) {
    status = 'unverified';
    findings.push(finding('shape-unknown', node.name, null, `${node.name}: ${node.note ?? 'its input shape is unknown'}; only the known axes of its weights were checked`));
  }
  acc.addTally(rowAcc);
  const row: LayerRow = {
    ...base,
    params: { expected: expectedCount, stored: storedCount, trainable: rowAcc.trainable, nonTrainable: rowAcc.nonTrainable },
    weights,
    status,
  };
  const rows = [row];
  if (depth < maxDepth && node.children.length) rows.push(...childRows(node, pairs, depth + 1, maxDepth));
  return rows;
}

/** Rows for a nested model's layers, cut from the parent's pairs by their `<layer>/` prefix. */
function childRows(node: LayerNode, pairs: Pair[], depth: number, maxDepth: number): LayerRow[] {
  const rows: LayerRow[] = [];
  for (const child of node.children) {
    const prefix = `${child.name}/`;
    const mine = pairs.filter((p) => p.expected?.name.startsWith(prefix));
    const vars = mine.map((p) => ({ ...p.expected!, name: p.expected!.name.slice(prefix.length) }));
    let trainable = 0;
    let nonTrainable = 0;
    let storedN = 0;
    let bad = false;
    for (const p of mine) {
      const n = p.expected!.shape.every((d) => d !== null) ? elements(p.expected!.shape as number[]) : p.stored ? elements(p.stored.shape) : 0;
      if (p.expected!.trainable) trainable += n;
      else nonTrainable += n;
      if (p.stored) storedN += elements(p.stored.shape);
      if (!p.stored || !compatible(p.expected!.shape, p.stored.shape)) bad = true;
    }
    const known = vars.every((v) => v.shape.every((d) => d !== null));
    rows.push({
      name: child.name,
      className: child.className,
      path: child.path,
      outputShape: child.outputShape,
      params: { expected: known ? trainable + nonTrainable : null, stored: storedN, trainable, nonTrainable },
      weights: mine.map((p, i) => ({
        name: vars[i]!.name,
        expectedShape: vars[i]!.shape,
        storedShape: p.stored?.shape ?? null,
        dtype: p.stored?.dtype ?? null,
        trainable: vars[i]!.trainable,
      })),
      status: child.vars === null ? 'unverified' : bad ? 'mismatch' : 'ok',
      depth,
    });
    if (depth < maxDepth && child.children.length) {
      const inner = mine.map((p) => ({ expected: { ...p.expected!, name: p.expected!.name.slice(prefix.length) }, stored: p.stored }));
      rows.push(...childRows(child, inner, depth + 1, maxDepth));
    }
  }
  return rows;
}

/** "Dense(units=32) after a 128-wide input" — the formula's inputs in words. */
function describeLayer(node: LayerNode): string {
  const c = node.config;
  const args: string[] = [];
  for (const k of ['units', 'filters', 'kernel_size', 'output_dim', 'input_dim', 'num_heads', 'key_dim']) {
    if (c[k] !== undefined && c[k] !== null) args.push(`${k}=${JSON.stringify(c[k])}`);
  }
  const input = node.inputShapes[0];
  const last = input?.length ? input[input.length - 1] : null;
  const after = last !== null && last !== undefined ? ` after a ${last}-wide input` : '';
  return `${node.className}(${args.join(', ')})${after}`;
}
