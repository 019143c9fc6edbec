// Would B's stored weights load into A's architecture? Modelled on Keras 2's legacy HDF5 loading
// (`load_weights_from_hdf5_group`, the `load_weights` default, and `..._by_name`, `by_name=True`):
//  - by topological order: the layers that have weights, in model order, against the file's layers that
//    store weights, in the file's order (`layer_names`). Different counts fail first ("Layer count mismatch");
//    then layer by layer (numbered from 0, as Keras numbers them) the number of weights, then each shape.
//  - by name: each of the model's layers with weights takes the file's layer of the same name; layers the
//    file lacks keep their initial values (Keras does not complain); counts and shapes must still agree.
// A and B are Reports: A's rows give the expected shapes (its formulas), B's rows the stored ones.
import type { LayerRow, Report, Shape } from '../model/types.js';
import { plural } from '../model/text.js';

export interface LoadMode {
  ok: boolean;
  /** The first failure, the way Keras would hit it, in words a person can act on; or what happens on success. */
  message: string;
  /** Layer number (0-based, Keras' numbering) and name in A where it fails. */
  layerIndex: number | null;
  layer: string | null;
}

export interface WeightsCompat {
  /** False when A has no architecture or B stores no weights (nothing to load). */
  applicable: boolean;
  reason: string | null;
  topological: LoadMode | null;
  byName: (LoadMode & { keepInitial: string[] }) | null;
}

interface Slot {
  name: string;
  weights: { name: string; shape: Shape }[];
}

const fmtShape = (s: Shape) => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
const tick = (s: string) => `\`${s}\``;

/** Layers of A with weights: the shapes the formulas expect (stored-only extras are not part of the architecture). */
function expectedSlots(rows: LayerRow[]): Slot[] {
  return rows
    .filter((r) => r.depth === 0)
    .map((r) => ({
      name: r.name,
      weights: r.weights.filter((w) => w.expectedShape !== null).map((w) => ({ name: w.name, shape: w.expectedShape! })),
    }))
    .filter((s) => s.weights.length > 0);
}

/** Layers of B that store weights, in the file's order. */
function storedSlots(rows: LayerRow[]): Slot[] {
  return rows
    .filter((r) => r.depth === 0)
    .map((r) => ({
      name: r.name,
      weights: r.weights.filter((w) => w.storedShape !== null).map((w) => ({ name: w.name, shape: w.storedShape as Shape })),
    }))
    .filter((s) => s.weights.length > 0);
}

const sameShape = (exp: Shape, got: Shape) => exp.length === got.length && exp.every((d, i) => d === null || d === got[i]);

/** Why a stored shape might differ, when a pattern says so. */
export function shapeHint(exp: Shape, got: Shape): string {
  if (exp.length !== got.length || exp.some((d) => d === null)) return '';
  const e = exp as number[];
  const g = got as number[];
  const k = e.length - 2;
  if (k >= 1 && e.slice(0, k).join() === g.slice(-k).join() && e.slice(0, k).join() !== e.slice(-k).join()) {
    return ' — the kernel looks transposed (channels-first export?)';
  }
  if ([...e].sort((a, b) => a - b).join() === [...g].sort((a, b) => a - b).join())
    return ' — the same dimensions in another order: the weight looks transposed';
  if (e.reduce((a, b) => a * b, 1) === g.reduce((a, b) => a * b, 1))
    return ' — the same number of values in another shape: a reshaped or transposed export?';
  return '';
}

/** The first difference between one layer's expected and stored weights, or null. */
function compareLayer(label: string, a: Slot, b: Slot): string | null {
  if (a.weights.length !== b.weights.length) {
    return `${label}: expects ${plural(a.weights.length, 'weight')} (${a.weights.map((w) => w.name).join(', ')}), the file stores ${b.weights.length} for ${tick(b.name)} (${b.weights.map((w) => `${w.name} ${fmtShape(w.shape)}`).join(', ')})`;
  }
  for (let i = 0; i < a.weights.length; i++) {
    const e = a.weights[i]!;
    const g = b.weights[i]!;
    if (!sameShape(e.shape, g.shape)) {
      const what = a.weights.length > 1 ? `, weight ${tick(e.name)}` : '';
      return `${label}${what}: expects ${fmtShape(e.shape)}, stored ${fmtShape(g.shape)}${shapeHint(e.shape, g.shape)}`;
    }
  }
  return null;
}

const list = (xs: string[]) =>
  xs.length > 5 ? `${xs.slice(0, 5).map(tick).join(', ')}, … ${xs.length - 5} more` : xs.map(tick).join(', ');

export function weightsCompat(arch: Report, weights: Report): WeightsCompat {
  const hasArch = arch.layers.some((r) => r.className !== null);
  if (!hasArch)
    return { applicable: false, reason: `${arch.file} has no architecture to load weights into`, topological: null, byName: null };
  const a = expectedSlots(arch.layers);
  const b = storedSlots(weights.layers);
  if (!b.length) return { applicable: false, reason: `${weights.file} stores no weights`, topological: null, byName: null };

  let topological: LoadMode;
  if (a.length !== b.length) {
    const aNames = new Set(a.map((s) => s.name));
    const bNames = new Set(b.map((s) => s.name));
    const extra = b.filter((s) => !aNames.has(s.name)).map((s) => s.name);
    const missing = a.filter((s) => !bNames.has(s.name)).map((s) => s.name);
    const notes = [extra.length ? `extra: ${list(extra)}` : '', missing.length ? `missing: ${list(missing)}` : ''].filter(Boolean);
    topological = {
      ok: false,
      layerIndex: null,
      layer: null,
      message: `layer count differs: the architecture has ${a.length} layers with weights, the file stores ${b.length}${notes.length ? ` (${notes.join('; ')})` : ''}`,
    };
  } else {
    topological = {
      ok: true,
      layerIndex: null,
      layer: null,
      message: `loads by topological order: ${a.length} layers with weights, every count and shape agrees`,
    };
    for (let k = 0; k < a.length; k++) {
      const label = `layer #${k} ${tick(a[k]!.name)}${a[k]!.name !== b[k]!.name ? ` (stored as ${tick(b[k]!.name)})` : ''}`;
      const problem = compareLayer(label, a[k]!, b[k]!);
      if (problem) {
        topological = { ok: false, layerIndex: k, layer: a[k]!.name, message: problem };
        break;
      }
    }
  }

  const stored = new Map(b.map((s) => [s.name, s]));
  const keepInitial = a.filter((s) => !stored.has(s.name)).map((s) => s.name);
  let byName: LoadMode & { keepInitial: string[] } = {
    ok: true,
    layerIndex: null,
    layer: null,
    keepInitial,
    message:
      keepInitial.length === a.length
        ? `loads by name, but no layer name matches: every layer keeps its initial weights`
        : keepInitial.length
          ? `loads by name; ${plural(keepInitial.length, 'layer')} not in the file ${keepInitial.length === 1 ? 'keeps its' : 'keep their'} initial weights: ${list(keepInitial)}`
          : `loads by name: all ${a.length} layers with weights found`,
  };
  for (let k = 0; k < a.length; k++) {
    const s = stored.get(a[k]!.name);
    if (!s) continue;
    const problem = compareLayer(`layer ${tick(a[k]!.name)}`, a[k]!, s);
    if (problem) {
      byName = { ok: false, layerIndex: k, layer: a[k]!.name, keepInitial, message: problem };
      break;
    }
  }
  if (byName.ok && keepInitial.length === a.length) byName.ok = false;
  return { applicable: true, reason: null, topological, byName };
}
