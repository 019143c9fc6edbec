// Recurrent layers: SimpleRNN / LSTM / GRU and their cells, the generic RNN layer with StackedRNNCells, the CuDNN
// variants, ConvLSTM1D/2D/3D. The wrappers (Bidirectional, TimeDistributed, RNN cell wrappers) are in wrappers.ts.
//
// A recurrent layer with `units` u and g gates (SimpleRNN 1, GRU 3, LSTM 4) on `in` features stores
//   kernel (in, g·u), recurrent_kernel (u, g·u), bias (g·u)   — GRU with reset_after: bias (2, 3u)
// Keras 1 (config has `output_dim`) stored one W/U/b triple per gate instead (same count, other shapes).
import type { Shape, VarSpec } from '../model/types.js';
import {
  type Cfg,
  type LayerContext,
  type LayerDef,
  type LayerEntry,
  type MacContext,
  type MacEstimate,
  bool,
  entryAt,
  innerResult,
  input0,
  inputDim,
  num,
  str,
  tuple,
} from './registry.js';
import { keras1Args } from './keras1-args.js';
import { macNum, unknownMacs } from './macs.js';
import { fv, kernelFactors, mul, renameSizes, sym } from './expr.js';
import { convOutLength, dataFormat, joinSpatial, splitSpatial } from './shapes.js';
import { CELL_WRAPPERS } from './wrappers.js';

type Dim = number | null;
type Kind = 'simple' | 'lstm' | 'gru';

const GATES: Record<Kind, number> = { simple: 1, lstm: 4, gru: 3 };
const STATES: Record<Kind, number> = { simple: 1, lstm: 2, gru: 1 };
/** Keras 1.2 per-gate weight order (LSTM: i, c, f, o — not the i, f, c, o of the fused kernel). */
const KERAS1_GATES: Record<Kind, string[]> = { simple: [], lstm: ['i', 'c', 'f', 'o'], gru: ['z', 'r', 'h'] };

// ── helpers shared by every recurrent entry ─────────────────────────────────────────────────────────

/** A Keras 1 recurrent config: it names the size `output_dim` and has no `units`. */
function isKeras1Rnn(cfg: Cfg): boolean {
  return typeof cfg.output_dim === 'number' && cfg.units === undefined;
}

function unitsOf(cfg: Cfg): number {
  return num(keras1Args(cfg), 'units');
}

/** The variables of one recurrent step on `inDim` features (a cell, or the cell inside an RNN layer). */
function cellVars(kind: Kind, cfg: Cfg, inDim: Dim): VarSpec[] {
  if (isKeras1Rnn(cfg)) return keras1CellVars(kind, cfg, inDim);
  const u = sym('units', num(cfg, 'units'));
  // g gates side by side: kernel (in, g·units), recurrent_kernel (units, g·units)
  const g = GATES[kind] === 1 ? u : mul(GATES[kind], u);
  const vars = [fv('kernel', [sym('in', inDim), g]), fv('recurrent_kernel', [u, g])];
  if (bool(cfg, 'use_bias', true)) {
    vars.push(fv('bias', kind === 'gru' && bool(cfg, 'reset_after', false) ? [2, g] : [g]));
  }
  return vars;
}

/** Keras 1.2: W/U/b fused when consume_less='gpu' (and always for SimpleRNN), else one triple per gate. */
function keras1CellVars(kind: Kind, cfg: Cfg, inDim: Dim): VarSpec[] {
  const u = sym('units', num(cfg, 'output_dim'));
  const x = sym('in', inDim);
  if (kind === 'simple' || cfg.consume_less === 'gpu') {
    const g = GATES[kind] === 1 ? u : mul(GATES[kind], u);
    return [fv('W', [x, g]), fv('U', [u, g]), fv('b', [g])];
  }
  return KERAS1_GATES[kind].flatMap((gate) => [fv(`W_${gate}`, [x, u]), fv(`U_${gate}`, [u, u]), fv(`b_${gate}`, [u])]);
}

/**
 * Output of a layer that runs over the time axis (axis 1, or 0 with `time_major`): the per-step output
 * `step` (without batch) for the last step or every step, then the states (each without batch) with
 * `return_state`.
 */
function sequenceOutput(ctx: LayerContext, step: Dim[], states: Dim[][]): Shape | Shape[] {
  const s = input0(ctx);
  const cfg = ctx.config;
  const timeMajor = bool(cfg, 'time_major', false);
  const [batch, time] = timeMajor ? [s[1] ?? null, s[0] ?? null] : [s[0] ?? null, s[1] ?? null];
  let out: Shape = [batch, ...step];
  if (bool(cfg, 'return_sequences', false)) out = timeMajor ? [time, batch, ...step] : [batch, time, ...step];
  if (!bool(cfg, 'return_state', false)) return out;
  return [out, ...states.map((st) => [batch, ...st])];
}

/**
 * Multiply-accumulates of a recurrent layer over (batch, steps, in): at every step each of the g gates
 * multiplies the input (in·units) and the previous state (units·units). Keras 1 names units `output_dim`.
 */
function recurrentMacs(gates: number) {
  return (ctx: MacContext): MacEstimate => {
    const units = macNum(keras1Args(ctx.config).units);
    const input = ctx.inputShapes[0] ?? null;
    if (!input || units === null) return unknownMacs('a shape');
    const steps = input[1] ?? null;
    const inDim = input[2] ?? null;
    if (steps === null || inDim === null) return unknownMacs('the number of time steps');
    return {
      macs: steps * gates * (inDim * units + units * units),
      rule: `steps·gates·(in·units + units·units) = ${steps}·${gates}·(${inDim}·${units} + ${units}·${units})`,
    };
  };
}

// ── SimpleRNN / LSTM / GRU, their cells, CuDNN ──────────────────────────────────────────────────────

function recurrentLayer(kind: Kind, classNames: string[], verifiedBy: LayerDef['verifiedBy']): LayerDef {
  return {
    classNames,
    notes:
      (kind === 'gru' ? 'reset_after: bias (2, 3·units); ' : '') +
      (kind === 'simple' ? 'Keras 1: W, U, b' : 'Keras 1: W_x, U_x, b_x per gate (fused W, U, b with consume_less=gpu)'),
    verifiedBy,
    example: { config: { units: 100 }, inputs: [[null, 20, 6]] },
    weights: (ctx) => cellVars(kind, ctx.config, inputDim(ctx)),
    macs: recurrentMacs(GATES[kind]),
    outputShape: (ctx) => {
      const u = unitsOf(ctx.config);
      return sequenceOutput(
        ctx,
        [u],
        Array.from({ length: STATES[kind] }, () => [u]),
      );
    },
  };
}

function cellDef(kind: Kind, className: string): LayerDef {
  return {
    classNames: [className],
    notes: kind === 'gru' ? 'reset_after: bias (2, 3·units)' : '',
    verifiedBy: 'tfjs',
    example: { config: { units: 100 }, inputs: [[null, 6]] },
    weights: (ctx) => cellVars(kind, ctx.config, inputDim(ctx)),
    outputShape: (ctx) => [input0(ctx)[0] ?? null, unitsOf(ctx.config)],
  };
}

/** CuDNN layers keep two bias vectors (input and recurrent) per gate: bias (2·g·u). */
function cudnnLayer(kind: 'lstm' | 'gru', className: string): LayerDef {
  const g = GATES[kind];
  return {
    classNames: [className],
    verifiedBy: 'hand',
    example: { config: { units: 100 }, inputs: [[null, 20, 6]] },
    macs: recurrentMacs(g),
    weights: (ctx) => {
      const u = sym('units', num(ctx.config, 'units'));
      return [fv('kernel', [sym('in', inputDim(ctx)), mul(g, u)]), fv('recurrent_kernel', [u, mul(g, u)]), fv('bias', [mul(2, g, u)])];
    },
    outputShape: (ctx) => {
      const u = num(ctx.config, 'units');
      return sequenceOutput(
        ctx,
        [u],
        Array.from({ length: STATES[kind] }, () => [u]),
      );
    },
  };
}

// ── RNN(cell) and StackedRNNCells ───────────────────────────────────────────────────────────────────

/** States each known cell class carries (LSTM: h and c). */
const CELL_STATES: Record<string, number> = { SimpleRNNCell: 1, GRUCell: 1, LSTMCell: 2 };

interface Stack {
  vars: VarSpec[];
  units: number;
  /** State sizes grouped per cell, in cell order. */
  states: number[][];
}

/** The cell a chain of cell wrappers wraps: its states and units are the wrapper's. */
function unwrapCell(cell: LayerEntry): LayerEntry {
  let c = cell;
  while (CELL_WRAPPERS.includes(c.class_name)) c = entryAt(c.config, 'cell');
  return c;
}

/** Runs cells one after the other: each cell's input is the previous cell's output. */
function stackCells(ctx: LayerContext, cells: LayerEntry[], inDim: Dim): Stack {
  const vars: VarSpec[] = [];
  const states: number[][] = [];
  let dim: Dim = inDim;
  // With several cells, each cell's named sizes get its position (`units_1`, `units_2`) so they stay apart.
  const tag = (i: number, vs: VarSpec[]) => (cells.length > 1 ? vs.map((x) => renameSizes(x, (n) => `${n}_${i + 1}`)) : vs);
  for (const [i, cell] of cells.entries()) {
    if (cell.class_name === 'StackedRNNCells') {
      const inner = stackCells(ctx, cellList(cell.config), dim);
      for (const v of tag(i, inner.vars)) vars.push(v);
      for (const st of inner.states) states.push(st);
      dim = inner.units;
      continue;
    }
    const r = innerResult(ctx, cell, [[null, dim]]);
    const core = unwrapCell(cell);
    const n = CELL_STATES[core.class_name];
    if (n === undefined) throw new Error(`states of cell class ${core.class_name} are not known`);
    const units = unitsOf(core.config);
    for (const item of tag(i, r.vars)) vars.push(item);
    states.push(Array<number>(n).fill(units));
    dim = units;
  }
  if (dim === null || cells.length === 0) throw new Error('the cell stack is empty');
  return { vars, units: dim, states };
}

/** The cells of an RNN's `cell` (one cell, a StackedRNNCells, or a list) or of a StackedRNNCells' `cells`. */
function cellList(cfg: Cfg): LayerEntry[] {
  const c = cfg.cells ?? cfg.cell;
  const list = Array.isArray(c) ? c : [c];
  if (list.length === 0 || list.some((x) => !x || typeof (x as LayerEntry).class_name !== 'string')) {
    throw new Error('config.cell is not a serialized cell or list of cells');
  }
  return list as LayerEntry[];
}

/** The `cell` of an RNN layer as a list (a StackedRNNCells entry is unpacked by stackCells). */
function rnnCells(cfg: Cfg): LayerEntry[] {
  const c = cfg.cell;
  if (Array.isArray(c)) return c as LayerEntry[];
  if (c && typeof c === 'object') return [c as LayerEntry];
  return cellList(cfg);
}

const rnnDef: LayerDef = {
  classNames: ['RNN'],
  notes: "the cell's variables (each stacked cell on the previous cell's output); example: one LSTMCell",
  verifiedBy: 'tfjs',
  example: { config: { cell: { class_name: 'LSTMCell', config: { units: 100 } } }, inputs: [[null, 20, 6]] },
  weights: (ctx) => stackCells(ctx, rnnCells(ctx.config), inputDim(ctx)).vars,
  outputShape: (ctx) => {
    const st = stackCells(ctx, rnnCells(ctx.config), inputDim(ctx));
    // TF.js (whose RNN config repeats the stacked cells as a top-level `cells` list) orders the states of
    // stacked cells last cell first; Keras orders them first cell first.
    const groups = Array.isArray(ctx.config.cells) ? [...st.states].reverse() : st.states;
    return sequenceOutput(
      ctx,
      [st.units],
      groups.flat().map((n) => [n]),
    );
  },
};

const stackedDef: LayerDef = {
  classNames: ['StackedRNNCells'],
  notes: "each cell's variables in order, cell i applied to cell i-1's output; example: GRUCell then SimpleRNNCell",
  verifiedBy: 'tfjs',
  example: {
    config: {
      cells: [
        { class_name: 'GRUCell', config: { units: 32 } },
        { class_name: 'SimpleRNNCell', config: { units: 16 } },
      ],
    },
    inputs: [[null, 6]],
  },
  weights: (ctx) => stackCells(ctx, cellList(ctx.config), inputDim(ctx)).vars,
  outputShape: (ctx) => [input0(ctx)[0] ?? null, stackCells(ctx, cellList(ctx.config), inputDim(ctx)).units],
};

// ── ConvLSTM1D/2D/3D ────────────────────────────────────────────────────────────────────────────────

function convLstm(rank: number, className: string, verifiedBy: LayerDef['verifiedBy']): LayerDef {
  const parse = (ctx: LayerContext) => {
    const cfg = ctx.config;
    const df = dataFormat(cfg);
    const s = ctx.inputShapes[0];
    // One time step: the input without its time axis.
    const step: Shape | null = s ? [s[0] ?? null, ...s.slice(2)] : null;
    const inCh = step ? (df === 'channels_first' ? (step[1] ?? null) : (step[step.length - 1] ?? null)) : null;
    return {
      df,
      step,
      inCh,
      kernel: tuple(cfg, 'kernel_size', rank),
      strides: tuple(cfg, 'strides', rank, 1),
      dilation: tuple(cfg, 'dilation_rate', rank, 1),
      padding: str(cfg, 'padding', 'valid').toLowerCase(),
      filters: num(cfg, 'filters'),
    };
  };
  return {
    classNames: [className],
    verifiedBy,
    example: { config: { filters: 16, kernel_size: 3 }, inputs: [[null, 5, ...Array<number>(rank).fill(16), 8]] },
    weights: (ctx) => {
      const a = parse(ctx);
      const k = kernelFactors(a.kernel);
      const f = sym('filters', a.filters);
      const vars = [fv('kernel', [...k, sym('in', a.inCh), mul(4, f)]), fv('recurrent_kernel', [...k, f, mul(4, f)])];
      if (bool(ctx.config, 'use_bias', true)) vars.push(fv('bias', [mul(4, f)]));
      return vars;
    },
    outputShape: (ctx) => {
      const a = parse(ctx);
      const { batch, spatial } = splitSpatial({ ...ctx, inputShapes: [a.step] }, rank, a.df);
      // tuple() gives `rank` entries and splitSpatial `rank` spatial axes.
      const out = spatial.map((len, i) => convOutLength(len, a.kernel[i]!, a.padding, a.strides[i]!, a.dilation[i]!));
      const step = joinSpatial(batch, out, a.filters, a.df).slice(1);
      return sequenceOutput(ctx, step, [step, step]);
    },
  };
}

export const defs: LayerDef[] = [
  recurrentLayer('simple', ['SimpleRNN'], 'tfjs'),
  recurrentLayer('lstm', ['LSTM'], 'tfjs'),
  // TF.js' GRU has no reset_after (its bias is always (3u)); reset_after=true is checked by hand.
  recurrentLayer('gru', ['GRU'], 'tfjs'),
  cellDef('simple', 'SimpleRNNCell'),
  cellDef('lstm', 'LSTMCell'),
  cellDef('gru', 'GRUCell'),
  rnnDef,
  stackedDef,
  cudnnLayer('lstm', 'CuDNNLSTM'),
  cudnnLayer('gru', 'CuDNNGRU'),
  convLstm(1, 'ConvLSTM1D', 'hand'),
  convLstm(2, 'ConvLSTM2D', 'tfjs'),
  convLstm(3, 'ConvLSTM3D', 'hand'),
];
