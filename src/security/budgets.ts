// Budgets on what a file may declare, checked once a model is loaded and before anything walks it: over a
// budget is an InputError (one line, exit 2), never a hang, a stack overflow or an out-of-memory crash.
import { InputError } from '../model/errors.js';
import type { LoadedModel } from '../model/types.js';
import { type Budgets, DEFAULT_BUDGETS, overBudget } from '../model/budgets.js';

/** Throws an InputError naming the first budget the loaded model goes over. */
export function enforceBudgets(saved: LoadedModel, budgets: Budgets = DEFAULT_BUDGETS): void {
  for (const [what, value] of [
    ['config', saved.config],
    ['training config', saved.trainingConfig],
  ] as const) {
    if (value === null || value === undefined) continue;
    const { depth, nodes, layers } = measure(value, budgets);
    if (depth > budgets.configDepth)
      throw overBudget(saved.file, 'configDepth', `the ${what} nests deeper than ${budgets.configDepth} levels`, budgets);
    if (nodes > budgets.configNodes)
      throw overBudget(saved.file, 'configNodes', `the ${what} has more than ${budgets.configNodes} JSON values`, budgets);
    if (layers > budgets.layers) throw overBudget(saved.file, 'layers', `the ${what} has more than ${budgets.layers} layers`, budgets);
  }
  const tensors = saved.tensors.length + saved.optimizer.length;
  if (tensors > budgets.tensors) throw overBudget(saved.file, 'tensors', `the file stores ${tensors} tensors`, budgets);
  let bytes = 0;
  for (const t of saved.tensors.concat(saved.optimizer)) {
    if (!Number.isFinite(t.bytes) || t.bytes < 0)
      throw new InputError(saved.file, `tensor ${t.name} declares an impossible size (shape ${JSON.stringify(t.shape)})`);
    bytes += t.bytes;
  }
  if (bytes > budgets.declaredBytes) {
    throw overBudget(saved.file, 'declaredBytes', `the stored tensors declare ${bytes} bytes (a shape bomb, not a model)`, budgets);
  }
}

/** Depth, value count and layer-entry count of a JSON tree, without recursion (deep input cannot overflow). */
export function measure(root: unknown, budgets: Budgets = DEFAULT_BUDGETS): { depth: number; nodes: number; layers: number } {
  let depth = 0;
  let nodes = 0;
  let layers = 0;
  // Three parallel stacks (value, depth, under a `layers` key) rather than a tuple per value: a config of
  // thousands of values is measured without allocating for each.
  const values: unknown[] = [root];
  const depths: number[] = [1];
  const inLayerLists: boolean[] = [false];
  const seen = new Set<object>();
  while (values.length) {
    const v = values.pop();
    const d = depths.pop()!;
    const inLayers = inLayerLists.pop()!;
    nodes++;
    if (nodes > budgets.configNodes || d > budgets.configDepth) return { depth: Math.max(depth, d), nodes, layers };
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    if (d > depth) depth = d;
    if (Array.isArray(v)) {
      for (const e of v) {
        values.push(e);
        depths.push(d + 1);
        inLayerLists.push(inLayers);
      }
      continue;
    }
    const o = v as Record<string, unknown>;
    if (inLayers && typeof o.class_name === 'string') layers++;
    for (const k of Object.keys(o)) {
      values.push(o[k]);
      depths.push(d + 1);
      inLayerLists.push(k === 'layers');
    }
  }
  return { depth, nodes, layers };
}
