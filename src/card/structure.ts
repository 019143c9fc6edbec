// Folding along the model's own structure, for deep graphs (MobileNetV2, Xception): the config's
// topological order is cut where one tensor alone flows on (no edge spans the point); between two cuts lies
// either one layer or a block with branches (a residual unit). In a block every merge layer (Add,
// Concatenate, … with two or more producers) stays its own node, so each skip connection remains an edge,
// and the other layers are grouped by the merge inputs they feed (the main path, the projection shortcut)
// and the merges before them (a key that only shrinks along an edge, so no cycle). Runs of single layers that share a name prefix (`block_1_…`,
// `expanded_conv_…`) become one box. Every box is one whole block, the folded graph stays acyclic (layers
// are grouped by sets that only shrink along an edge), and what is left (plain chains) is handed back for
// the repeat folding.
import type { LayerNode } from '../model/types.js';

/** One group of layer indexes, in order; `chain` is true for a single layer between two cuts. */
export interface Group {
  members: number[];
  /** The block's name prefix, when its layers share one. */
  prefix: string | null;
  chain: boolean;
}

const producersOf = (node: LayerNode): string[] => [...new Set(node.inbound.flat().map((e) => e.layer))];

/** `block_3` from `block_3_expand_BN`, `expanded_conv` from `expanded_conv_project`; null for `conv2d_1`. */
export function namePrefix(name: string): string | null {
  const numbered = /^([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z][A-Za-z0-9]*)*_\d+)_/.exec(name);
  if (numbered) return numbered[1]!;
  const t = name.split('_');
  return t.length >= 3 && !/^\d+$/.test(t[2]!) && !/^\d+$/.test(t[1]!) ? `${t[0]}_${t[1]}` : null;
}

/**
 * The structural groups of a layer list in topological order, or null when the model has no structure to
 * fold along (no prefix run and no branched block): the caller then folds repeats as before.
 */
export function structuralGroups(layers: LayerNode[]): Group[] | null {
  const index = new Map(layers.map((l, i) => [l.name, i]));
  const prods = layers.map((l) =>
    producersOf(l)
      .map((p) => index.get(p))
      .filter((x): x is number => x !== undefined),
  );
  const n = layers.length;
  // spanned[i]: some edge u → v has u < i < v, so i is inside a block.
  const spanned = new Array<boolean>(n).fill(false);
  for (let v = 0; v < n; v++) for (const u of prods[v]!) for (let i = u + 1; i < v; i++) spanned[i] = true;
  const segments: number[][] = [];
  let cur: number[] = [];
  for (let i = 0; i < n; i++) {
    cur.push(i);
    if (!spanned[i]) {
      segments.push(cur);
      cur = [];
    }
  }
  if (cur.length) segments.push(cur);
  const groups: Group[] = [];
  let structured = false;
  for (const seg of segments) {
    if (seg.length === 1) {
      const i = seg[0]!;
      const prefix = namePrefix(layers[i]!.name);
      const last = groups[groups.length - 1];
      if (prefix && last?.chain && last.prefix === prefix && layers[last.members[0]!]!.calls === 1 && layers[i]!.calls === 1) {
        last.members.push(i);
        structured = true;
      } else groups.push({ members: [i], prefix, chain: true });
      continue;
    }
    structured = true;
    groups.push(...blockGroups(seg, prods, layers));
  }
  return structured ? groups : null;
}

/** The groups of one branched block: each merge alone, the rest by the merge inputs they reach. */
function blockGroups(seg: number[], prods: number[][], layers: LayerNode[]): Group[] {
  const inSeg = new Set(seg);
  const isMerge = (i: number) => prods[i]!.length >= 2;
  // down[i]: the merge in-edges `p>m` that layer i is p of or reaches p of; up[i]: merges before it.
  const down = new Map<number, Set<string>>(seg.map((i) => [i, new Set<string>()]));
  for (const m of [...seg].reverse()) {
    if (isMerge(m)) for (const p of prods[m]!) if (inSeg.has(p)) down.get(p)!.add(`${p}>${m}`);
    for (const p of prods[m]!) if (inSeg.has(p)) for (const e of down.get(m)!) down.get(p)!.add(e);
  }
  const up = new Map<number, Set<number>>();
  for (const i of seg) {
    const s = new Set<number>();
    for (const p of prods[i]!) if (inSeg.has(p)) for (const x of [...up.get(p)!, ...(isMerge(p) ? [p] : [])]) s.add(x);
    up.set(i, s);
  }
  const byKey = new Map<string, Group>();
  const out: Group[] = [];
  for (const i of seg) {
    const prefix = namePrefix(layers[i]!.name);
    if (isMerge(i) || layers[i]!.calls !== 1) {
      out.push({ members: [i], prefix, chain: false });
      continue;
    }
    const key = `${[...down.get(i)!].sort().join(',')}|${[...up.get(i)!].sort().join(',')}`;
    const g = byKey.get(key);
    if (g) g.members.push(i);
    else {
      const ng = { members: [i], prefix, chain: false };
      byKey.set(key, ng);
      out.push(ng);
    }
  }
  return out;
}
