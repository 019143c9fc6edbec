// Layer by layer: what was added, removed, changed or only renamed between two models.
// Layers are matched by name first; the rest by structure (same class, output shape and weight shapes, in
// model order), so renumbered generated names (`dense_3` vs `dense_7`) are renames, not remove + add.
import { percentChange } from './units.js';
import type { Change, LayerChange, LayerComparison, LayerSide, LayerSummary, ModelSummary } from './types.js';

const key = (x: unknown) => JSON.stringify(x);
const signature = (l: LayerSummary) => key([l.className, l.outputShape, l.params, l.weights.map((w) => w.shape)]);

export interface LayerMatch {
  pairs: { before: number; after: number; byName: boolean }[];
  removed: number[];
  added: number[];
}

export function matchLayers(before: LayerSummary[], after: LayerSummary[]): LayerMatch {
  const pairs: LayerMatch['pairs'] = [];
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const byName = new Map<string, number>();
  after.forEach((l, j) => {
    if (!byName.has(l.name)) byName.set(l.name, j);
  });
  before.forEach((l, i) => {
    const j = byName.get(l.name);
    if (j !== undefined && !usedB.has(j)) {
      pairs.push({ before: i, after: j, byName: true });
      usedA.add(i);
      usedB.add(j);
    }
  });
  // By structure, in order: each unmatched layer takes the first unmatched layer of the other model with the same
  // signature and the same inputs (its inputs' counterparts, as matched so far: layers come in topological order).
  const counterpart = new Map(pairs.map((p) => [before[p.before]!.name, after[p.after]!.name]));
  const sameInputs = (x: LayerSummary, y: LayerSummary) =>
    x.inputs.length === y.inputs.length && x.inputs.every((n, k) => counterpart.get(n) === y.inputs[k]);
  before.forEach((l, i) => {
    if (usedA.has(i)) return;
    const sig = signature(l);
    for (let j = 0; j < after.length; j++) {
      if (usedB.has(j) || signature(after[j]!) !== sig || !sameInputs(l, after[j]!)) continue;
      counterpart.set(l.name, after[j]!.name);
      pairs.push({ before: i, after: j, byName: false });
      usedA.add(i);
      usedB.add(j);
      break;
    }
  });
  pairs.sort((p, q) => p.after - q.after);
  return {
    pairs,
    removed: before.map((_, i) => i).filter((i) => !usedA.has(i)),
    added: after.map((_, j) => j).filter((j) => !usedB.has(j)),
  };
}

const side = (l: LayerSummary): LayerSide => ({
  name: l.name,
  className: l.className,
  outputShape: l.outputShape,
  params: l.params,
  trainable: l.trainable,
  nonTrainable: l.nonTrainable,
  weights: l.weights,
  inputs: l.inputs,
});

export function change(before: number | null, after: number | null): Change {
  if (before === null || after === null) return { before, after, delta: null, percent: null };
  return { before, after, delta: after - before, percent: percentChange(before, after) };
}

export function compareSummaries(a: ModelSummary, b: ModelSummary): LayerComparison {
  const m = matchLayers(a.layers, b.layers);
  const layers: LayerChange[] = [];
  for (const p of m.pairs) {
    const x = a.layers[p.before]!;
    const y = b.layers[p.after]!;
    const aspects: LayerChange['aspects'] = [];
    // A side that does not know something (a weights-only file has no classes or shapes) changes nothing.
    if (x.className !== null && y.className !== null && x.className !== y.className) aspects.push('class');
    if (x.params !== y.params) aspects.push('params');
    if (x.outputShape !== null && y.outputShape !== null && key(x.outputShape) !== key(y.outputShape)) aspects.push('outputShape');
    if (key(x.weights.map((w) => w.shape)) !== key(y.weights.map((w) => w.shape))) aspects.push('weights');
    // A move between trainable and non-trainable (freezing): only when both sides know the split.
    // Growth that stays trainable is not a move; weights that change side are.
    if (
      x.trainable !== null &&
      y.trainable !== null &&
      x.nonTrainable !== null &&
      y.nonTrainable !== null &&
      (x.nonTrainable !== y.nonTrainable || y.trainable - x.trainable !== y.params - x.params)
    )
      aspects.push('trainable');
    const renamed = x.name !== y.name;
    if (!aspects.length && !renamed) continue;
    layers.push({
      kind: aspects.length ? 'changed' : 'renamed',
      name: y.name,
      renamedFrom: renamed ? x.name : null,
      aspects,
      before: side(x),
      after: side(y),
      delta: y.params - x.params,
    });
  }
  // Removed layers go where they stood: after the change entry of the layer that preceded them.
  // An InputLayer holds no weights, and whether a Sequential lists one depends on the format (Keras 3 does,
  // Keras 2 and TF.js do not): one present on a single side is not a change.
  const isInput = (l: LayerSummary) => l.className === 'InputLayer' && l.params === 0;
  // Against a file without an architecture (weights only), layers without weights have nothing to match.
  const hasArch = (s: ModelSummary) => s.layers.some((l) => l.className !== null);
  m.removed = m.removed.filter((i) => !isInput(a.layers[i]!) && (hasArch(b) || a.layers[i]!.params > 0));
  m.added = m.added.filter((j) => !isInput(b.layers[j]!) && (hasArch(a) || b.layers[j]!.params > 0));
  for (const i of m.removed) {
    const x = a.layers[i]!;
    layers.push({ kind: 'removed', name: x.name, renamedFrom: null, aspects: [], before: side(x), after: null, delta: -x.params });
  }
  for (const j of m.added) {
    const y = b.layers[j]!;
    layers.push({ kind: 'added', name: y.name, renamedFrom: null, aspects: [], before: null, after: side(y), delta: y.params });
  }
  // Sort keys computed once per change, from indexes built once (linear, whatever the number of layers).
  const firstIndex = (ls: LayerSummary[]) => {
    const at = new Map<string, number>();
    ls.forEach((l, i) => {
      if (!at.has(l.name)) at.set(l.name, i);
    });
    return at;
  };
  const inA = firstIndex(a.layers);
  const inB = firstIndex(b.layers);
  // afterBefore[i]: the largest new-model position among pairs whose old position is below i.
  const afterBefore = new Array<number>(a.layers.length + 1).fill(-1);
  for (const p of m.pairs) if (p.before + 1 < afterBefore.length) afterBefore[p.before + 1] = Math.max(afterBefore[p.before + 1]!, p.after);
  for (let i = 1; i < afterBefore.length; i++) afterBefore[i] = Math.max(afterBefore[i]!, afterBefore[i - 1]!);
  const order = (c: LayerChange) => {
    if (c.after) return inB.get(c.after.name) ?? -1;
    // A removed layer sorts just after the position its predecessor took in the new model.
    const i = inA.get(c.before!.name) ?? -1;
    return (i < 0 ? -1 : afterBefore[i]!) + 0.5;
  };
  const keys = new Map(layers.map((c) => [c, order(c)]));
  layers.sort((p, q) => keys.get(p)! - keys.get(q)!);
  return {
    layers,
    totals: {
      params: change(a.totals.params, b.totals.params),
      trainable: change(a.totals.trainable, b.totals.trainable),
      nonTrainable: change(a.totals.nonTrainable, b.totals.nonTrainable),
      diskBytes: change(a.totals.diskBytes, b.totals.diskBytes),
    },
    sameArchitecture: a.architectureHash === b.architectureHash,
  };
}
