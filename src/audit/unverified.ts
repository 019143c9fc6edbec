// "No findings" means every count was checked: every row whose count could not be checked is named by a
// finding that says why. Rows already covered (a finding about the layer, an `unknown-layer` finding for its
// class, a file-level `no-architecture` / `graph-model` / `subclassed-model` / `savedmodel-no-keras`) get nothing more.
import { finding } from '../model/findings.js';
import type { Finding, LayerNode, LayerRow } from '../model/types.js';

/** Codes that speak for every stored-only row of their report: nothing could be checked at all. */
const FILE_LEVEL = new Set(['no-architecture', 'graph-model', 'subclassed-model', 'config-unreadable', 'savedmodel-no-keras']);

/** One `unverified-layer` finding per unverified row that no other finding explains. */
export function unverifiedFindings(rows: LayerRow[], nodes: LayerNode[], findings: Finding[]): Finding[] {
  const byName = new Map<string, LayerNode>();
  const unknownClasses = new Set(findings.filter((f) => f.code === 'unknown-layer').map((f) => f.message.split(' ')[0]));
  const visit = (n: LayerNode) => {
    if (!byName.has(n.name)) byName.set(n.name, n);
    n.children.forEach(visit);
  };
  nodes.forEach(visit);
  const named = new Set(findings.map((f) => f.layer).filter((l) => l !== null));
  const fileLevel = findings.some((f) => FILE_LEVEL.has(f.code));
  const out: Finding[] = [];
  for (const row of rows) {
    if (row.status !== 'unverified' || named.has(row.name)) continue;
    const node = byName.get(row.name);
    if (!node && fileLevel) continue;
    if (node && node.vars === null && node.children.length === 0 && unknownClasses.has(node.className)) continue;
    named.add(row.name);
    out.push(finding('unverified-layer', row.name, null, `${row.name}: count not checked: ${reason(row, node)}`));
  }
  return out;
}

function reason(row: LayerRow, node: LayerNode | undefined): string {
  const stored = `${row.params.stored} stored values counted as they are`;
  if (!node) return `variables of the model object itself, outside its layers; nothing in the config describes them (${stored})`;
  if (/^(TensorFlowOpLayer|TFOpLambda)$/.test(node.className))
    return `${node.className} wraps a raw TensorFlow op whose variables the config does not describe (${stored})`;
  if (node.vars === null && node.children.length === 0)
    return `${node.className} is not a built-in Keras layer (custom class): no formula (${stored})`;
  const inner = firstUnchecked(node);
  if (inner && inner !== node) return `inner layer ${inner.name} (${inner.className}) of ${node.name}: ${reasonOf(inner)}`;
  return reasonOf(node);
}

function reasonOf(n: LayerNode): string {
  if (n.vars === null && n.children.length === 0) return `${n.className} is not a built-in Keras layer (custom class): no formula`;
  return n.note ?? 'its input shape is unknown, so the sizes of its weights are not';
}

/** The first layer inside a nested model whose variables are not known. */
function firstUnchecked(n: LayerNode): LayerNode | null {
  if (n.children.length === 0) return n.vars === null || n.vars.some((v) => v.shape.includes(null)) ? n : null;
  for (const c of n.children) {
    const u = firstUnchecked(c);
    if (u) return u;
  }
  return null;
}
