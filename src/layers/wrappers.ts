// Wrapper layers: a layer that holds another serialized layer (or RNN cell) in its config and whose variables
// are the wrapped layer's: Bidirectional, TimeDistributed, and tf.keras 2's RNN cell wrappers.
import type { Shape, VarSpec } from '../model/types.js';
import {
  type LayerContext,
  type LayerDef,
  type LayerEntry,
  type LayerResult,
  type MacContext,
  type MacEstimate,
  ShapeUnknown,
  entryAt,
  innerResult,
  input0,
  isShapeList,
} from './registry.js';
import { unknownMacs } from './macs.js';

/** Prefixes sub-layer variable names (`forward/kernel`). */
function prefixed(prefix: string, vars: VarSpec[]): VarSpec[] {
  return vars.map((x) => ({ ...x, name: `${prefix}/${x.name}` }));
}

function innerOutput(r: LayerResult, className: string): [Shape, ...Shape[]] {
  if (!r.outputShape) throw new ShapeUnknown(`output shape of the wrapped ${className} is unknown`);
  // isShapeList() is true only for a non-empty list
  return isShapeList(r.outputShape) ? (r.outputShape as [Shape, ...Shape[]]) : [r.outputShape as Shape];
}

const bidirectional: LayerDef = {
  classNames: ['Bidirectional'],
  notes: "forward layer's variables (forward/…) then backward layer's (backward/…); example: LSTM",
  verifiedBy: 'tfjs',
  example: { config: { layer: { class_name: 'LSTM', config: { units: 100 } } }, inputs: [[null, 20, 6]] },
  weights: (ctx) => {
    const { fw, bw } = directions(ctx);
    return [...prefixed('forward', fw.vars), ...prefixed('backward', bw.vars)];
  },
  outputShape: (ctx) => {
    const { fw, bw } = directions(ctx);
    const [fOut, ...fStates] = innerOutput(fw, 'forward layer');
    const [bOut, ...bStates] = innerOutput(bw, 'backward layer');
    const mode = ctx.config.merge_mode === undefined ? 'concat' : ctx.config.merge_mode;
    let merged: Shape[];
    if (mode === null) merged = [fOut, bOut];
    else if (mode === 'concat') {
      const a = fOut[fOut.length - 1] ?? null;
      const b = bOut[bOut.length - 1] ?? null;
      merged = [[...fOut.slice(0, -1), a === null || b === null ? null : a + b]];
    } else if (mode === 'sum' || mode === 'mul' || mode === 'ave') merged = [fOut];
    else throw new Error(`merge_mode ${String(mode)} is not one Keras knows`);
    const all = [...merged, ...fStates, ...bStates];
    return all.length === 1 ? all[0]! : all;
  },
  macs: bidirectionalMacs,
};

/** Both directions run the wrapped layer over the whole sequence: twice its multiply-accumulates. */
function bidirectionalMacs(ctx: MacContext): MacEstimate {
  const inner = ctx.config.layer as Partial<LayerEntry> | undefined;
  if (!inner?.class_name || !inner.config) return unknownMacs('the wrapped layer');
  const one = ctx.inner(inner as LayerEntry, ctx.inputShapes);
  if (one.macs === null) return one;
  return { macs: 2 * one.macs, rule: `2 directions · (${one.rule})` };
}

function directions(ctx: LayerContext) {
  const forward = entryAt(ctx.config, 'layer');
  const backward = ctx.config.backward_layer ? entryAt(ctx.config, 'backward_layer') : forward;
  const shapes = [ctx.inputShapes[0] ?? null];
  return { fw: innerResult(ctx, forward, shapes), bw: innerResult(ctx, backward, shapes) };
}

const timeDistributed: LayerDef = {
  classNames: ['TimeDistributed'],
  notes: "the wrapped layer's variables, built on the input without its time axis; example: Dense",
  verifiedBy: 'tfjs',
  example: { config: { layer: { class_name: 'Dense', config: { units: 4 } } }, inputs: [[null, 10, 3]] },
  weights: (ctx) => innerResult(ctx, entryAt(ctx.config, 'layer'), [perStep(ctx)]).vars,
  outputShape: (ctx) => {
    const s = input0(ctx);
    const r = innerResult(ctx, entryAt(ctx.config, 'layer'), [perStep(ctx)]);
    const outs = innerOutput(r, entryAt(ctx.config, 'layer').class_name).map((o) => [s[0] ?? null, s[1] ?? null, ...o.slice(1)]);
    return outs.length === 1 ? outs[0]! : outs;
  },
};

function perStep(ctx: LayerContext): Shape | null {
  const s = ctx.inputShapes[0];
  return s ? [s[0] ?? null, ...s.slice(2)] : null;
}

/** tf.keras 2 RNN cell wrappers (tf.nn.RNNCell{Dropout,Residual,Device}Wrapper): no variables of their own. */
export const CELL_WRAPPERS = ['DropoutWrapper', 'ResidualWrapper', 'DeviceWrapper'];

/**
 * A cell wrapper builds the wrapped cell on its own input and adds no variables; its output is the cell's
 * (ResidualWrapper adds the input to it, which needs the same size).
 */
function cellWrapper(className: string): LayerDef {
  return {
    classNames: [className],
    notes: "the wrapped cell's variables (config.cell), nothing of its own; example: LSTMCell",
    verifiedBy: 'hand',
    example: { config: { cell: { class_name: 'LSTMCell', config: { units: 100 } } }, inputs: [[null, 6]] },
    weights: (ctx) => innerResult(ctx, entryAt(ctx.config, 'cell'), ctx.inputShapes).vars,
    outputShape: (ctx) => innerResult(ctx, entryAt(ctx.config, 'cell'), ctx.inputShapes).outputShape,
  };
}

export const defs: LayerDef[] = [...CELL_WRAPPERS.map(cellWrapper), bidirectional, timeDistributed];
