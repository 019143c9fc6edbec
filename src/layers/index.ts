// The formula table: every family's entries, looked up by class name.
import type { Shape } from '../model/types.js';
import { type LayerDef, type LayerEntry, type LayerResult, ShapeUnknown } from './registry.js';
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
