// Deep graphs folded along the model's own structure: MobileNetV2 (162 layers) and mini-Xception from
// ../shared/models. Each fold is one whole block (no box mixes two `block_N_` prefixes, each block's layers
// but its Add share one box), every residual merge's inputs stay edges from other boxes, the folded graph
// is acyclic, and the drawing stays small enough to read at 100%.
import { describe, expect, it } from 'vitest';
import { foldGraph } from '../../../src/card/fold.js';
import { namePrefix } from '../../../src/card/structure.js';
import { renderGraphSvg } from '../../../src/card/svg.js';
import type { Graph } from '../../../src/graph/index.js';
import { inspectModel } from '../../../src/node/inspect.js';
import { inspectArgs, realModels } from '../../helpers/real-models.js';

const models = realModels();
const MERGES = new Set(['Add', 'Concatenate', 'Multiply', 'Average', 'Subtract', 'Maximum', 'Minimum']);

async function folded(id: string) {
  const m = models!.find((x) => x.id === id)!;
  const inspection = await inspectModel(inspectArgs(m).file);
  const graph = inspection.graph as Graph;
  return { graph, f: foldGraph(graph, inspection.report), expected: m };
}

/** Kahn's algorithm over the units: true when every unit can be ordered (no cycle). */
function acyclic(f: ReturnType<typeof foldGraph>): boolean {
  const indeg = new Map(f.units.map((u) => [u.id, 0]));
  for (const e of f.edges) indeg.set(e.to, indeg.get(e.to)! + 1);
  const ready = [...indeg].filter(([, d]) => d === 0).map(([id]) => id);
  let seen = 0;
  while (ready.length) {
    const id = ready.pop()!;
    seen++;
    for (const e of f.edges.filter((x) => x.from === id)) {
      indeg.set(e.to, indeg.get(e.to)! - 1);
      if (indeg.get(e.to) === 0) ready.push(e.to);
    }
  }
  return seen === f.units.length;
}

function mergeEdgesKept(graph: Graph, f: ReturnType<typeof foldGraph>) {
  const unitOf = new Map(f.units.flatMap((u) => u.layers.map((l) => [l.name, u.id] as const)));
  const edges = new Set(f.edges.map((e) => `${e.from}>${e.to}`));
  let checked = 0;
  for (const l of graph.layers.filter((x) => MERGES.has(x.className))) {
    const producers = [...new Set(l.inbound.flat().map((e) => e.layer))];
    expect(producers.length).toBeGreaterThanOrEqual(2);
    const from = producers.map((p) => unitOf.get(p)!);
    // Each input arrives from a box other than the merge's own, and the inputs come from distinct boxes.
    for (const u of from) {
      expect(u).not.toBe(unitOf.get(l.name));
      expect(edges.has(`${u}>${unitOf.get(l.name)}`), `${l.name} input from ${u}`).toBe(true);
    }
    expect(new Set(from).size, `${l.name}: its inputs from distinct boxes`).toBe(producers.length);
    checked++;
  }
  return checked;
}

describe.skipIf(!models)('folding along the model structure', () => {
  it('namePrefix reads the block a layer belongs to', () => {
    expect(namePrefix('block_3_expand_BN')).toBe('block_3');
    expect(namePrefix('block_12_add')).toBe('block_12');
    expect(namePrefix('expanded_conv_project_BN')).toBe('expanded_conv');
    expect(namePrefix('conv2d_1')).toBeNull();
    expect(namePrefix('batch_normalization_12')).toBeNull();
    expect(namePrefix('Conv1_relu')).toBeNull();
  });

  it('MobileNetV2: one box per block_N, each Add on its own with both inputs as edges', async () => {
    const { graph, f } = await folded('nsfwjs_mobilenet_v2');
    expect(graph.layers).toHaveLength(162);
    expect(acyclic(f)).toBe(true);
    // Every layer in exactly one box.
    expect(f.units.flatMap((u) => u.layers.map((l) => l.name)).sort()).toEqual(graph.layers.map((l) => l.name).sort());
    const blockOf = (name: string) => /^block_(\d+)_/.exec(name)?.[1] ?? null;
    for (const u of f.units) {
      // No box cuts across two blocks.
      const blocks = new Set(u.layers.map((l) => blockOf(l.name)));
      expect(blocks.size, u.title).toBe(1);
    }
    // Each block's layers other than its Add are one box (blocks 1 … 16).
    for (let n = 1; n <= 16; n++) {
      const boxes = new Set(f.units.filter((u) => u.layers.some((l) => blockOf(l.name) === String(n) && l.className !== 'Add')));
      expect(boxes.size, `block_${n}`).toBe(1);
    }
    // MobileNetV2 has 10 residual Adds (blocks 2, 4, 5, 7, 8, 9, 11, 12, 14, 15): each keeps its skip edge.
    expect(mergeEdgesKept(graph, f)).toBe(10);
    // Legible at 100%: under 45 boxes, the drawing no wider than the card's 1100-px column.
    expect(f.units.length).toBeLessThanOrEqual(45);
    const width = Number(/width="(\d+)"/.exec(renderGraphSvg(f))![1]);
    expect(width).toBeLessThanOrEqual(1100);
  });

  it('mini-Xception: each residual unit as main path, shortcut and Add; the skip branches visible', async () => {
    const { graph, f } = await folded('fc_tiny_xception_kdef');
    expect(acyclic(f)).toBe(true);
    expect(mergeEdgesKept(graph, f)).toBe(4);
    // The 1×1 projection shortcut of each unit is its own box, apart from the separable-conv main path.
    const shortcuts = f.units.filter((u) => u.layers[0]!.className === 'Conv2D' && u.layers.length === 2);
    expect(shortcuts.map((u) => u.layers.map((l) => l.className))).toEqual(Array(4).fill(['Conv2D', 'BatchNormalization']));
    for (const s of shortcuts) expect(s.layers.every((l) => !l.name.startsWith('separable'))).toBe(true);
    // Params of the boxes add up to the model's (EXPECTED.json).
    const m = models!.find((x) => x.id === 'fc_tiny_xception_kdef')!;
    expect(f.units.reduce((s, u) => s + u.params, 0)).toBe(m.totals.params);
  });
});
