// The formula table: every family's entries, looked up by class name.
import type { LayerNode, Shape } from '../model/types.js';
import { type LayerDef, type LayerEntry, type LayerResult, type MacEstimate, ShapeUnknown } from './registry.js';
import { defs as core } from './core.js';
import { defs as conv } from './conv.js';
import { defs as pooling } from './pooling.js';
import { defs as reshape } from './reshape.js';
import { defs as merge } from './merge.js';
import { defs as activation } from './activation.js';
import { defs as norm } from './norm.js';
import { defs as rnn } from './rnn.js';
import { defs as wrappers } from './wrappers.js';
import { defs as attention } from './attention.js';
import { defs as preprocessing } from './preprocessing.js';
import { defs as locallyConnected } from './locally-connected.js';
import { defs as keras1 } from './keras1.js';
import { defs as tfop } from './tfop.js';

export const FAMILIES: Record<string, LayerDef[]> = {
  core,
  conv,
  pooling,
  reshape,
  merge,
  activation,
  norm,
  rnn,
  wrappers,
  attention,
  preprocessing,
  locallyConnected,
  keras1,
  tfop,
};

const byClass = new Map<string, LayerDef>();
for (const family of Object.values(FAMILIES)) {
  for (const def of family) {
    for (const name of def.classNames) {
      if (byClass.has(name)) throw new Error(`layer class ${name} is registered twice`);
      byClass.set(name, def);
    }
  }
}

export function lookupLayer(className: string): LayerDef | undefined {
  return byClass.get(className);
}

export function registeredClasses(): string[] {
  return [...byClass.keys()].sort();
}

/** Applies the table to one layer: its expected variables and output shape, never throwing. */
export function applyLayer(entry: LayerEntry, inputShapes: (Shape | null)[], callArgs?: Record<string, unknown>): LayerResult {
  const className = entry.class_name;
  const def = byClass.get(className);
  if (!def) {
    return { vars: null, outputShape: null, note: `${className} is not a built-in Keras layer kerascope knows` };
  }
  const config = (entry.config ?? {}) as Record<string, unknown>;
  const ctx = { className, config, inputShapes, inner: (e: LayerEntry, shapes: (Shape | null)[]) => applyLayer(e, shapes), callArgs };
  let note: string | null = null;
  let vars: LayerResult['vars'] = [];
  try {
    vars = def.weights ? def.weights(ctx) : [];
  } catch (e) {
    vars = null;
    note = describe(e, className, 'weights');
  }
  let outputShape: LayerResult['outputShape'] = null;
  try {
    outputShape = def.outputShape ? def.outputShape(ctx) : (inputShapes[0] ?? null);
  } catch (e) {
    outputShape = null;
    note ??= describe(e, className, 'output shape');
  }
  return { vars, outputShape, note };
}

function describe(e: unknown, className: string, what: string): string {
  if (e instanceof ShapeUnknown) return `${what} not inferred: ${e.message}`;
  return `${className} ${what} not computed: ${(e as Error).message}`;
}

/** What a MAC estimate reads of a graph node (a LayerNode is one). */
export interface MacNode extends Pick<LayerNode, 'className' | 'config' | 'inputShapes' | 'outputShape'> {
  children: readonly MacNode[];
}

/**
 * Multiply-accumulates per inference (batch 1) of one layer, by its class's `macs` rule in the table, from its
 * config and inferred shapes; a nested model is the sum of its layers. Never throws, never guesses: a class
 * without a rule or an unknown size gives `macs: null` and the reason.
 */
export function estimateMacs(node: MacNode): MacEstimate {
  if (node.children.length) {
    let sum = 0;
    for (const c of node.children) sum += estimateMacs(c).macs ?? 0;
    return { macs: sum, rule: 'sum of its layers that have a rule' };
  }
  const cls = node.className;
  const rule = byClass.get(cls)?.macs;
  if (!rule) return { macs: null, rule: `no rule for ${cls}` };
  const out = node.outputShape;
  const ctx = {
    className: cls,
    config: node.config,
    inputShapes: node.inputShapes,
    outputShape: out && out.length > 0 && Array.isArray(out[0]) ? ((out as Shape[])[0] ?? null) : (out as Shape | null),
    inner: (e: LayerEntry, shapes: (Shape | null)[]) =>
      estimateMacs({ className: e.class_name, config: e.config ?? {}, inputShapes: shapes, outputShape: null, children: [] }),
  };
  try {
    return rule(ctx);
  } catch (e) {
    return { macs: null, rule: `not estimated: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The classes with a multiply-accumulate rule, as the card names them (Keras 1 spellings included). */
export const MAC_CLASSES = [
  'Dense',
  'Conv1D/2D/3D',
  'Conv*Transpose',
  'DepthwiseConv1D/2D',
  'SeparableConv1D/2D',
  'SimpleRNN',
  'GRU',
  'LSTM',
  'Bidirectional',
  'MultiHeadAttention',
  'Embedding (0)',
];
