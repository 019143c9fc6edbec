// The card's view of the layer graph: one unit per top-level layer, or per folded block where a block of
// layers repeats (`[Conv2D → BatchNormalization → ReLU] ×4`, a residual block ×12). A block repeats when the
// next run of layers in the config's (topological) order has the same classes wired the same way: each
// layer's producers at the same distances back. A folded run is contiguous in topological order, so the
// folded graph has no cycle: every edge into it comes from before it, every edge out goes after it.
import type { Graph } from '../graph/index.js';
import type { LayerNode, Report, Shape } from '../model/types.js';
import { structuralGroups } from './structure.js';

export interface Unit {
  /** `n0`, `n1`, … in graph order (Mermaid and SVG ids). */
  id: string;
  layers: LayerNode[];
  /** How often the period repeats (1 for a single layer). */
  repeat: number;
  /** Layers per repetition. */
  period: number;
  /** `dense (Dense)`, or `conv_1 … bn_6: [Conv2D → BatchNormalization] ×3`. */
  title: string;
  outputShape: Shape | Shape[] | null;
  /** Parameters of the unit's layers (the report's count per layer). */
  params: number;
}

export interface FoldedGraph {
  units: Unit[];
  edges: { from: string; to: string }[];
  /** True when at least one block was folded. */
  folded: boolean;
}

export type FoldMode = 'auto' | 'always' | 'never';

/** Models with more top-level layers than this are folded by default (`auto`). */
export const FOLD_ABOVE = 30;
const MAX_PERIOD = 16;

/** Each top-level layer's count as the report has it (its formula's, or its stored tensors'). */
export function paramsByLayer(report: Report): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of report.layers) if (r.depth === 0) out.set(r.name, r.params.expected ?? r.params.stored);
  return out;
}

function producers(node: LayerNode): Set<string> {
  return new Set(node.inbound.flat().map((e) => e.layer));
}

export function foldGraph(graph: Graph, report: Report, mode: FoldMode = 'auto'): FoldedGraph {
  const layers = graph.layers;
  const params = paramsByLayer(report);
  const index = new Map(layers.map((l, i) => [l.name, i]));
  // Class and wiring of each layer: producers as distances back in the config order.
  const sig = layers.map((l, i) => {
    const back = [...producers(l)].map((p) => i - (index.get(p) ?? i)).sort((a, b) => a - b);
    return `${l.className}|${l.calls}|${back.join(',')}`;
  });
  const same = (a: number, b: number, p: number) => {
    for (let k = 0; k < p; k++) if (sig[a + k] !== sig[b + k] || layers[a + k]!.calls !== 1) return false;
    return true;
  };
  const fold = mode === 'always' || (mode === 'auto' && layers.length > FOLD_ABOVE);
  // Repeated runs in [from, to): the longest period-p chain repeated r times at each point.
  const repeats = (from: number, to: number) => {
    const out: { members: number[]; period: number; repeat: number }[] = [];
    let i = from;
    while (i < to) {
      let best = { period: 1, repeat: 1 };
      if (fold) {
        for (let p = 1; p <= MAX_PERIOD && i + 2 * p <= to; p++) {
          let r = 1;
          while (i + (r + 1) * p <= to && same(i, i + r * p, p)) r++;
          if (r >= 2 && r * p >= 3 && r * p > best.period * best.repeat) best = { period: p, repeat: r };
        }
      }
      const len = best.period * best.repeat;
      out.push({ members: Array.from({ length: len }, (_, k) => i + k), ...best });
      i += len;
    }
    return out;
  };
  const structure = fold ? structuralGroups(layers) : null;
  const groups: { members: number[]; period: number; repeat: number; prefix?: string | null }[] = [];
  if (!structure) groups.push(...repeats(0, layers.length));
  else {
    // Along the model's structure; the plain chains left between blocks still fold their repeats.
    let k = 0;
    while (k < structure.length) {
      const g = structure[k]!;
      if (g.chain && g.members.length === 1) {
        let end = k;
        while (end + 1 < structure.length && structure[end + 1]!.chain && structure[end + 1]!.members.length === 1) end++;
        groups.push(...repeats(g.members[0]!, structure[end]!.members[0]! + 1));
        k = end + 1;
      } else {
        groups.push({ members: g.members, period: g.members.length, repeat: 1, prefix: g.prefix });
        k++;
      }
    }
  }
  const unitOf = new Map<string, string>();
  const units: Unit[] = groups.map((g, k) => {
    const members = g.members.map((i) => layers[i]!);
    const id = `n${k}`;
    for (const m of members) unitOf.set(m.name, id);
    const first = members[0]!;
    const last = members[members.length - 1]!;
    let title = `${first.name} (${first.className})`;
    if (members.length > 1 && g.repeat > 1) title = `${first.name} … ${last.name}: [${blockText(members.slice(0, g.period))}] ×${g.repeat}`;
    // A structural block: its name (or first and last layer) and size; the classes are in the tooltip.
    else if (members.length > 1) title = `${g.prefix ? `${g.prefix}_*` : `${first.name} … ${last.name}`} (${members.length} layers)`;
    return {
      id,
      layers: members,
      repeat: g.repeat,
      period: g.period,
      title,
      outputShape: last.outputShape,
      params: members.reduce((s, m) => s + (params.get(m.name) ?? 0), 0),
    };
  });
  const seen = new Set<string>();
  const edges: { from: string; to: string }[] = [];
  for (const l of layers) {
    const to = unitOf.get(l.name)!;
    for (const p of producers(l)) {
      const from = unitOf.get(p);
      if (!from || from === to || seen.has(`${from}>${to}`)) continue;
      seen.add(`${from}>${to}`);
      edges.push({ from, to });
    }
  }
  return { units, edges, folded: units.some((u) => u.layers.length > 1) };
}

/** `Conv2D → BatchNormalization → ReLU`; a long block as `SeparableConv2D → … → Add, 9 layers`. */
function blockText(block: LayerNode[]): string {
  if (block.length <= 4) return block.map((m) => m.className).join(' → ');
  return `${block[0]!.className} → … → ${block[block.length - 1]!.className}, ${block.length} layers`;
}
