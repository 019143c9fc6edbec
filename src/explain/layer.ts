// What `kerascope explain` shows: each layer's variables as products of named sizes, their sum, and the
// class's general formula. Everything here is read off the VarSpecs the formula table computes (their
// `factors`), so the printed formula is the one that produced the shapes audit checks.
import type { LayerNode, Shape, VarSpec } from '../model/types.js';
import { type Expr, add, evaluate, factorsOf, mul, print, symbolsOf } from '../layers/expr.js';
import { applyLayer, lookupLayer } from '../layers/index.js';
import { quantizationMode } from '../layers/core.js';
import type { Cfg } from '../layers/registry.js';

export interface ExplainedVar {
  name: string;
  shape: Shape;
  /** Trainable once the layer's own (and enclosing models') `trainable: false` is applied. */
  trainable: boolean;
  /** One expression per axis. */
  factors: Expr[];
  /** False when the formula gave only numbers for this variable (no named sizes). */
  symbolic: boolean;
  /** The product of the factors (the variable's element count). */
  expression: Expr;
  count: number | null;
}

export interface ExplainedLayer {
  name: string;
  className: string;
  path: string[];
  /** The named sizes the formula used, with their values, in first-use order. */
  sizes: { name: string; value: number | null }[];
  /**
   * Config values that decide which variables exist or how they are laid out (`use_bias`, `reset_after`,
   * `center`, `implementation`, …), as the config states them; absent keys are left out, `trainable` only when false.
   */
  settings: Record<string, unknown>;
  variables: ExplainedVar[];
  /** The sum of the variables' products. */
  expression: Expr;
  params: number | null;
  trainable: number | null;
  nonTrainable: number | null;
  /** A sentence when the formula could not be applied (unknown class or input shape). */
  note: string | null;
}

/** Config keys that change a layer's variable set or layout (they add no named size of their own). */
const SETTINGS = [
  'use_bias',
  'bias',
  'reset_after',
  'center',
  'scale',
  'renorm',
  'rms_scaling',
  'tie_weights',
  'use_scale',
  'score_mode',
  'implementation',
  'consume_less',
  'data_format',
  'dim_ordering',
  'axis',
  'shared_axes',
  'mode',
  'quantization_mode',
  'trainable',
];

/** The SETTINGS keys a config has. */
export function settingsOf(config: Cfg): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of SETTINGS) if (config[k] !== undefined && !(k === 'trainable' && config[k] !== false)) out[k] = config[k];
  // Keras 3 quantized layers keep the mode in their dtype policy.
  const q = quantizationMode(config);
  if (q !== null) out.quantization_mode = q;
  return out;
}

/** Explains a list of variables (of a layer that is `trainable` or frozen). */
export function explainVars(vars: VarSpec[], trainable: boolean) {
  const variables: ExplainedVar[] = vars.map((v) => {
    const factors = factorsOf(v);
    const expression = mul(...factors);
    return {
      name: v.name,
      shape: v.shape,
      trainable: v.trainable && trainable,
      factors,
      symbolic: v.factors !== undefined,
      expression,
      count: expression.value,
    };
  });
  const expression = add(...variables.map((v) => v.expression));
  const sumOf = (vs: ExplainedVar[]) => vs.reduce<number | null>((n, v) => (n === null || v.count === null ? null : n + v.count), 0);
  return {
    variables,
    expression,
    sizes: [...symbolsOf(variables.flatMap((v) => v.factors))].map(([name, value]) => ({ name, value })),
    params: expression.value,
    trainable: sumOf(variables.filter((v) => v.trainable)),
    nonTrainable: sumOf(variables.filter((v) => !v.trainable)),
  };
}

/** One layer (not a nested model) of a graph. */
export function explainNode(node: LayerNode): ExplainedLayer {
  const base = { name: node.name, className: node.className, path: node.path, note: node.note, settings: settingsOf(node.config) };
  if (node.vars === null) {
    return { ...base, sizes: [], variables: [], expression: add(), params: null, trainable: null, nonTrainable: null };
  }
  return { ...base, ...explainVars(node.vars, node.trainable) };
}

/**
 * The layers of a graph that have weights (or whose weights are unknown), nested models opened into their
 * layers, in config order.
 */
export function explainLayers(nodes: LayerNode[]): ExplainedLayer[] {
  return nodes.flatMap((n) => {
    if (n.children.length) return explainLayers(n.children);
    if (n.vars !== null && n.vars.length === 0) return [];
    return [explainNode(n)];
  });
}

// ── general formulas ─────────────────────────────────────────────────────────────────────────────────

export interface ClassFormula {
  /** The class asked for, and the entry's main class name. */
  className: string;
  entry: string;
  config: Cfg;
  inputShapes: Shape[];
  layer: ExplainedLayer;
}

/** Thrown for a class the table does not know or one without a representative example. */
export class FormulaError extends Error {}

/**
 * A class's formula, computed by running its entry on its representative example (`LayerDef.example`) with
 * `set` merged into the config and `input` (batch axis excluded) replacing the input shape.
 */
export function classFormula(className: string, set: Cfg = {}, input?: (number | null)[]): ClassFormula {
  const def = lookupLayer(className);
  if (!def) throw new FormulaError(`unknown layer class ${className}`);
  const example = def.example ?? (def.weights ? null : { config: {}, inputs: [[null, 8]] });
  if (!example) throw new FormulaError(`${className} has no general formula (its table entry has no example)`);
  const config = { ...example.config, ...set };
  const inputShapes = input ? example.inputs.map(() => [null, ...input]) : example.inputs;
  const r = applyLayer({ class_name: className, config }, inputShapes);
  if (r.vars === null) throw new FormulaError(`${className}: ${r.note ?? 'the formula could not be applied'}`);
  const layer: ExplainedLayer = {
    name: className,
    className,
    path: [],
    note: r.note,
    settings: settingsOf(config),
    ...explainVars(r.vars, true),
  };
  return { className, entry: def.classNames[0]!, config, inputShapes, layer };
}

/** `kernel (in, units) + bias (units)`: each variable with its symbolic shape. */
export function variablesText(l: Pick<ExplainedLayer, 'variables'>): string {
  if (!l.variables.length) return 'no weights';
  return l.variables
    .map((v) => `${v.name} (${v.factors.map((f) => print(f, 'symbols')).join(', ')})${v.trainable ? '' : ' non-trainable'}`)
    .join(' + ');
}

/** `in·units + units`: the general formula of the parameter count. */
export function generalText(l: Pick<ExplainedLayer, 'variables'>): string {
  if (!l.variables.length) return '0';
  return l.variables.map((v) => print(v.expression, 'symbols')).join(' + ');
}

/** `kernel 3·4 + bias 4`: the same sum with the numbers substituted, each term named. */
export function arithmeticText(l: Pick<ExplainedLayer, 'variables'>): string {
  if (!l.variables.length) return '0';
  return l.variables.map((v) => `${v.name} ${print(v.expression, 'values')}`).join(' + ');
}

export { evaluate, print };
