// Report rows: one per layer (expected variables paired with stored tensors, findings for what does not
// fit), rows for a nested model's layers when expanded, and rows for stored groups with no layer.
import { finding } from '../model/findings.js';
import { elements, shapeText } from '../model/shape.js';
import type { Finding, LayerNode, LayerRow, LayerStatus, StoredTensor, WeightRow } from '../model/types.js';
import { compatible, matchVars, type Pair } from './match.js';
import { loadedBytes, sum, Tally } from './tally.js';
import { thousands } from '../model/text.js';

export function storedOnlyRow(name: string, tensors: StoredTensor[], status: LayerStatus): LayerRow {
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

/** One layer to audit, with what it is compared against and where its results go. */
export interface NodeAudit {
  node: LayerNode;
  /** The stored tensors assigned to the layer. */
  stored: StoredTensor[];
  /** The layer keys (groups) that are the layer's own. */
  own: Set<string>;
  /** Whether the file holds weights at all (an architecture alone is not checked against any). */
  weightsPresent: boolean;
  /** Receives the layer's findings. */
  findings: Finding[];
  /** Receives the layer's counts. */
  totals: Tally;
  /** The row's depth (0: a top-level layer), and how deep nested models are expanded. */
  depth?: number;
  maxDepth?: number;
}

/** The layer's row (and its nested rows, to `maxDepth`); its findings and counts go to `findings` and `totals`. */
export function auditNode(a: NodeAudit): LayerRow[] {
  const { node, stored, own, weightsPresent, findings, totals: acc, depth = 0, maxDepth = 0 } = a;
  const storedCount = sum(stored);
  const base = { name: node.name, className: node.className, path: node.path, outputShape: node.outputShape, depth };
  if (node.vars === null) {
    // A class kerascope does not know: its stored tensors are shown and counted, not verified.
    const rowAcc = new Tally();
    rowAcc.addUnverified(stored, node.trainable);
    acc.addTally(rowAcc);
    return [
      {
        ...base,
        params: { expected: null, stored: storedCount, trainable: rowAcc.trainable, nonTrainable: rowAcc.nonTrainable },
        weights: stored.map((t) => ({ name: t.name, expectedShape: null, storedShape: t.shape, dtype: t.dtype, trainable: null })),
        status: 'unverified',
      },
    ];
  }

  const expectedKnown = node.vars.every((v) => v.shape.every((d) => d !== null));
  const expectedCount = expectedKnown ? node.vars.reduce((n, v) => n + elements(v.shape as number[]), 0) : null;
  const layerMissing = weightsPresent && stored.length === 0 && node.vars.length > 0;
  const pairs: Pair[] =
    layerMissing || !weightsPresent ? node.vars.map((v) => ({ expected: v, stored: null })) : matchVars(node.vars, stored, own);

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
      findings.push(
        finding(
          'shape-mismatch',
          node.name,
          e.name,
          `${node.name}/${e.name}: stored ${shapeText(t.shape)} but ${describeLayer(node)} needs ${shapeText(e.shape)}`,
        ),
      );
    } else if (e && !t) {
      status = 'mismatch';
      findings.push(
        finding(
          'missing-weight',
          node.name,
          e.name,
          `${node.name}/${e.name}: ${describeLayer(node)} needs a ${shapeText(e.shape)} tensor that the file does not store`,
        ),
      );
    } else if (!e && t) {
      status = 'mismatch';
      findings.push(
        finding(
          'unexpected-weight',
          node.name,
          t.name,
          `${node.name}: the file stores ${t.name} ${shapeText(t.shape)}, which ${node.className} does not have`,
        ),
      );
    }
  }
  if (layerMissing) {
    status = 'no weights stored';
    findings.push(
      finding(
        'layer-weights-missing',
        node.name,
        null,
        `${node.name} (${node.className}) needs ${expectedCount === null ? 'some' : thousands(expectedCount)} parameters but the file stores no weights for it`,
      ),
    );
  } else if (!weightsPresent && node.vars.length > 0) {
    status = 'no weights stored';
  } else if (status === 'ok' && !expectedKnown) {
    status = 'unverified';
    findings.push(
      finding(
        'shape-unknown',
        node.name,
        null,
        `${node.name}: ${node.note ?? 'its input shape is unknown'}; only the known axes of its weights were checked`,
      ),
    );
  }
  acc.addTally(rowAcc);
  const row: LayerRow = {
    ...base,
    params: { expected: expectedCount, stored: storedCount, trainable: rowAcc.trainable, nonTrainable: rowAcc.nonTrainable },
    weights,
    status,
  };
  const rows = [row];
  if (depth < maxDepth && node.children.length) for (const item of childRows(node, pairs, depth + 1, maxDepth)) rows.push(item);
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
      const n = p.expected!.shape.every((d) => d !== null)
        ? elements(p.expected!.shape as number[])
        : p.stored
          ? elements(p.stored.shape)
          : 0;
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
      for (const item of childRows(child, inner, depth + 1, maxDepth)) rows.push(item);
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
