// The formula table's contract. Each family module (core.ts, conv.ts, …) exports `defs: LayerDef[]`;
// index.ts gathers them. A new layer class is one entry in its family plus one test.
import type { Shape, VarSpec } from '../model/types.js';

export type Cfg = Record<string, unknown>;

/** A serialized layer as it appears inside a config: `{class_name, config, module?, registered_name?}`. */
export interface LayerEntry {
  class_name: string;
  config: Cfg;
  [key: string]: unknown;
}

export interface LayerResult {
  /** Expected variables in Keras' order, or null when the class is unknown. */
  vars: VarSpec[] | null;
  /** Output shape (one tensor) or shapes (several), or null when unknown. */
  outputShape: Shape | Shape[] | null;
  /** A sentence when something could not be inferred (unknown class, unknown input). */
  note: string | null;
}

export interface LayerContext {
  className: string;
  config: Cfg;
  /** Input shapes of the (first) call, batch axis included; `null` for an input whose shape is unknown. */
  inputShapes: (Shape | null)[];
  /**
   * Keras 2 call keyword arguments (TF-op layers keep their operands there); the shapes of the tensors named
   * in them follow the positional inputs in `inputShapes`, depth-first.
   */
  callArgs?: Cfg;
  /** Applies the table to a wrapped layer (Bidirectional, TimeDistributed, RNN cells, …). */
  inner(entry: LayerEntry, inputShapes: (Shape | null)[]): LayerResult;
}

export type Verification = 'tfjs' | 'hand';

/** A multiply-accumulate estimate (one sample): the count, or null with the reason in `rule`. */
export interface MacEstimate {
  /** Multiply-accumulates for one sample, or null when the class has no rule or a shape is unknown. */
  macs: number | null;
  /** The rule applied, with the numbers (`positions·in·units = 1·64·10`), or why there is none. */
  rule: string;
}

/** What a multiply-accumulate rule sees: the layer's config and its inferred shapes (batch axis included). */
export interface MacContext {
  className: string;
  config: Cfg;
  inputShapes: (Shape | null)[];
  /** The (first) output shape, or null when unknown. */
  outputShape: Shape | null;
  /** The estimate for a wrapped layer on the given inputs (Bidirectional). */
  inner(entry: LayerEntry, inputShapes: (Shape | null)[]): MacEstimate;
}

export interface LayerDef {
  /** Class names this entry serves (aliases included: Keras 1 names, CuDNN variants, …). */
  classNames: string[];
  /**
   * What the parameter formula does not show, for the README coverage table: other stored layouts (Keras 1,
   * quantized), the output-shape rule of weightless layers. The parameter formula itself is never written
   * here: it is printed from the variables `weights` builds (see `example` and explain/layer.ts).
   */
  notes?: string;
  /** How tests verify the entry: differential against TF.js `countParams()`, or hand arithmetic. */
  verifiedBy: Verification;
  /** Ordered expected variables; omitted = no weights. Throw `ShapeUnknown` if a needed input is unknown. */
  weights?(ctx: LayerContext): VarSpec[];
  /** Output shape(s); omitted = same as the first input. */
  outputShape?(ctx: LayerContext): Shape | Shape[] | null;
  /**
   * A representative layer of the class (config and input shapes, batch axis included) on which `weights`
   * runs to print the class's general formula (`kerascope explain --class X`). Required when `weights` is set.
   */
  example?: { config: Cfg; inputs: Shape[] };
  /**
   * Multiply-accumulates per inference (one sample) from the config and the inferred shapes; omitted = not
   * estimated. Biases, activations and normalisations are not multiply-accumulates. Keras 1 configs are read
   * through keras1Args like the weight rules.
   */
  macs?(ctx: MacContext): MacEstimate;
}

/** Thrown by a formula that needs a shape which is not known; the caller records a note. */
export class ShapeUnknown extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'ShapeUnknown';
  }
}

/** Marks a shape-list result so it is not mistaken for a shape: `[[null, 3], [null, 4]]`. */
export function isShapeList(s: Shape | Shape[] | null): s is Shape[] {
  return Array.isArray(s) && s.length > 0 && Array.isArray(s[0]);
}

// ── small helpers formulas share ─────────────────────────────────────────────────────────────────────

/** The first input's shape, or throws ShapeUnknown. */
export function input0(ctx: LayerContext): Shape {
  const s = ctx.inputShapes[0];
  if (!s) throw new ShapeUnknown(`input shape of ${ctx.className} is unknown`);
  return s;
}

/**
 * The size of one axis of the first input (default: the last, the channel/feature axis), or null when the
 * input or that axis is unknown. Weight formulas use this so an unknown input gives a partly known shape
 * (`[null, units]`) that can still be checked against the stored tensor on its known axes.
 */
export function inputDim(ctx: LayerContext, axis = -1): number | null {
  const s = ctx.inputShapes[0];
  if (!s || s.length === 0) return null;
  const i = axis < 0 ? s.length + axis : axis;
  return s[i] ?? null;
}

/** The serialized layer at `cfg[key]` (a wrapper's `layer`, a cell wrapper's `cell`), or throws. */
export function entryAt(cfg: Cfg, key: string): LayerEntry {
  const e = cfg[key];
  if (!e || typeof e !== 'object' || typeof (e as LayerEntry).class_name !== 'string') {
    throw new Error(`config.${key} is not a serialized layer`);
  }
  return e as LayerEntry;
}

/** Applies the table to a wrapped layer and returns its result, or throws with the inner layer's note. */
export function innerResult(ctx: LayerContext, entry: LayerEntry, shapes: (Shape | null)[]): LayerResult & { vars: VarSpec[] } {
  const r = ctx.inner(entry, shapes);
  if (!r.vars) {
    const why = `${entry.class_name}: ${r.note ?? 'weights unknown'}`;
    if (r.note?.includes('not inferred')) throw new ShapeUnknown(why);
    throw new Error(why);
  }
  return r as LayerResult & { vars: VarSpec[] };
}

export function num(cfg: Cfg, key: string, fallback?: number): number {
  const v = cfg[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (fallback !== undefined) return fallback;
  throw new Error(`config key "${key}" is missing or not a number`);
}

export function bool(cfg: Cfg, key: string, fallback: boolean): boolean {
  const v = cfg[key];
  return typeof v === 'boolean' ? v : fallback;
}

export function str(cfg: Cfg, key: string, fallback: string): string {
  const v = cfg[key];
  return typeof v === 'string' ? v : fallback;
}

/** An int or a list of ints (Keras accepts both for kernel_size, strides, …), expanded to `rank` entries. */
export function tuple(cfg: Cfg, key: string, rank: number, fallback?: number): number[] {
  const v = cfg[key];
  if (typeof v === 'number') return Array(rank).fill(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) {
    if (v.length === rank) return v as number[];
    if (v.length === 1) return Array(rank).fill(v[0]);
  }
  if (fallback !== undefined) return Array(rank).fill(fallback);
  throw new Error(`config key "${key}" is missing or has the wrong length`);
}

export function v(name: string, shape: Shape, trainable = true): VarSpec {
  return { name, shape, trainable };
}
