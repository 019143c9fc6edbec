// Pairs one layer's expected variables with the tensors stored for it.
// Stored names differ by writer — `dense_1/kernel:0` (Keras 2), `lstm/lstm_cell/kernel:0` (tf.keras 2),
// `forward_layer/cell/vars/0` (Keras 3), `bidirectional/forward_lstm/kernel` (TF.js) — so a name is read
// as scope tokens plus a leaf. Expected names carry the same scopes (`forward/kernel`, `dense/bias` for a
// nested model's layer). Pairing is by scope, then by leaf name, then by order within the scope; a plain
// positional pairing is used instead when it explains more tensors.
import type { Shape, StoredTensor, VarSpec } from '../model/types.js';

export interface Pair {
  expected: VarSpec | null;
  stored: StoredTensor | null;
}

/** Tokens that carry no meaning for pairing: containers of the Keras 3 layout and RNN cell wrappers. */
const NOISE = new Set(['vars', 'layers', '_layer_checkpoint_dependencies', 'cell', 'cells', '']);

interface Parsed {
  scope: string[];
  leaf: string;
}

function parseStored(t: StoredTensor, ownNames: Set<string>): Parsed {
  const tokens = t.name.split('/').map((s) => s.replace(/:\d+$/, ''));
  let leaf = tokens.pop() ?? '';
  // Keras 1 named weights `<layer>_W`, `<layer>_b`: the leaf is what follows the layer's own name.
  for (const own of ownNames) {
    if (leaf.length > own.length + 1 && leaf.startsWith(`${own}_`)) {
      leaf = leaf.slice(own.length + 1);
      break;
    }
  }
  const scope = tokens.filter((s, i) => !NOISE.has(s) && !/_cell$/.test(s) && !(i === 0 && ownNames.has(s)));
  return { scope, leaf };
}

function parseExpected(v: VarSpec): Parsed {
  const tokens = v.name.split('/');
  const leaf = tokens.pop() ?? '';
  return { scope: tokens, leaf };
}

/**
 * How well stored scope tokens fit an expected scope: -1 no fit, else higher is better. A stored token fits
 * exactly, or by its start (`forward_lstm_4` for `forward`), or — Keras 3 names sub-objects by their Python
 * attribute, `_query_dense`, `_output_dense` — without its leading underscore and by its first word
 * (`output_dense` for `attention_output`).
 */
function scopeFit(stored: string[], expected: string[]): number {
  let score = 0;
  let j = 0;
  for (const p of expected) {
    let found = -1;
    for (; j < stored.length; j++) {
      const s = stored[j]!.replace(/^_+/, '');
      if (s === p) {
        found = 2;
        break;
      }
      if (s.startsWith(p) || p.endsWith(`_${s.split('_')[0]}`)) {
        found = 1;
        break;
      }
    }
    if (found < 0) return -1;
    score += found;
    j++;
  }
  return score;
}

export function compatible(expected: Shape, stored: number[]): boolean {
  return expected.length === stored.length && expected.every((d, i) => d === null || d === stored[i]);
}

/**
 * Pairs expected with stored. `ownNames` are names that may open a stored name and only repeat the layer's
 * own name (the layer group, the config name).
 */
export function matchVars(expected: VarSpec[], stored: StoredTensor[], ownNames: Set<string>): Pair[] {
  const scoped = matchByScope(expected, stored, ownNames);
  // Every expected variable has a stored tensor that fits: no pairing explains more (the common case).
  const good = goodPairs(scoped);
  if (good === expected.length) return scoped;
  const positional = matchByPosition(expected, stored);
  return goodPairs(positional) > good ? positional : scoped;
}

function goodPairs(pairs: Pair[]): number {
  return pairs.filter((p) => p.expected && p.stored && compatible(p.expected.shape, p.stored.shape)).length;
}

function matchByPosition(expected: VarSpec[], stored: StoredTensor[]): Pair[] {
  const n = Math.max(expected.length, stored.length);
  const pairs: Pair[] = [];
  for (let i = 0; i < n; i++) pairs.push({ expected: expected[i] ?? null, stored: stored[i] ?? null });
  return pairs;
}

function matchByScope(expected: VarSpec[], stored: StoredTensor[], ownNames: Set<string>): Pair[] {
  // One scope, the layer's own (no expected name has a `/`): every stored tensor fits it (scopeFit 0), in order.
  if (expected.every((v) => !v.name.includes('/'))) {
    const leaves = new Map(stored.map((t) => [t, parseStored(t, ownNames).leaf]));
    return pairWithin(expected, stored, (t) => leaves.get(t)!);
  }
  const exp = expected.map(parseExpected);
  const scopes = [...new Set(exp.map((e) => e.scope.join('/')))];
  const scopeTokens = scopes.map((s) => (s ? s.split('/') : []));
  // Each stored tensor goes to the expected scope it fits best (exact names beat prefixes).
  const groups = new Map<string, StoredTensor[]>(scopes.map((s) => [s, []]));
  const unplaced: StoredTensor[] = [];
  // Each stored name parsed once (pairing asks for the same tensor's leaf again and again).
  const parsed = new Map(stored.map((t) => [t, parseStored(t, ownNames)]));
  const leafOf = (t: StoredTensor) => parsed.get(t)!.leaf;
  for (const t of stored) {
    const p = parsed.get(t)!;
    let best = -1;
    let bestScope: string | null = null;
    scopes.forEach((s, i) => {
      const fit = scopeFit(p.scope, scopeTokens[i]!);
      if (fit > best) {
        best = fit;
        bestScope = s;
      }
    });
    if (bestScope === null) unplaced.push(t);
    else groups.get(bestScope)!.push(t);
  }
  const pairs: Pair[] = [];
  for (const s of scopes) {
    const want = expected.filter((_, i) => exp[i]!.scope.join('/') === s);
    for (const item of pairWithin(want, groups.get(s)!, leafOf)) pairs.push(item);
  }
  for (const t of unplaced) pairs.push({ expected: null, stored: t });
  return pairs;
}

/** Within one scope: by leaf name first, then the rest in order. */
function pairWithin(want: VarSpec[], have: StoredTensor[], leafOf: (t: StoredTensor) => string): Pair[] {
  const used = new Set<number>();
  const byExpected = new Map<VarSpec, StoredTensor>();
  for (const e of want) {
    const leaf = parseExpected(e).leaf;
    const i = have.findIndex((t, k) => !used.has(k) && leafOf(t) === leaf);
    if (i >= 0) {
      used.add(i);
      byExpected.set(e, have[i]!);
    }
  }
  // The rest: numbered variables (Keras 3 `vars/<i>`) by position; named ones only where the shape fits,
  // so a stray `extra:0` is reported as extra rather than as a wrong-shaped `bias`.
  const rest = have.filter((_, k) => !used.has(k));
  const pairs: Pair[] = [];
  for (const e of want) {
    let t = byExpected.get(e) ?? null;
    if (!t) {
      const i = rest.findIndex((s) => /^\d+$/.test(leafOf(s)) || compatible(e.shape, s.shape));
      if (i >= 0) t = rest.splice(i, 1)[0]!;
    }
    pairs.push({ expected: e, stored: t });
  }
  for (const t of rest) pairs.push({ expected: null, stored: t });
  return pairs;
}
