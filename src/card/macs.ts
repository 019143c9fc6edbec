// Multiply-accumulates per inference (batch 1), estimated from a layer's config and its inferred shapes, for
// the layer types where the count is well defined: Dense, Conv1D/2D/3D (grouped too), their transposes, DepthwiseConv, SeparableConv, SimpleRNN/GRU/LSTM
// (and Bidirectional around them), MultiHeadAttention, and Embedding (a lookup: 0). Everything else is
// `null`: not estimated, never guessed. Biases, activations and normalisations are not multiply-accumulates.
import type { LayerNode, Shape } from '../model/types.js';

export interface MacEstimate {
  /** Multiply-accumulates for one sample, or null when the class has no rule or a shape is unknown. */
  macs: number | null;
  /** The rule applied, with the numbers (`positions·in·units = 1·64·10`), or why there is none. */
  rule: string;
}

type Cfg = Record<string, unknown>;

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

function ints(x: unknown, rank: number): number[] | null {
  if (typeof x === 'number') return Array.from({ length: rank }, () => x);
  if (Array.isArray(x) && x.length === rank && x.every((v) => typeof v === 'number')) return x as number[];
  return null;
}

function prod(xs: readonly (number | null)[]): number | null {
  let p = 1;
  for (const x of xs) {
    if (x === null) return null;
    p *= x;
  }
  return p;
}

function single(s: Shape | Shape[] | null | undefined): Shape | null {
  if (!s) return null;
  if (s.length > 0 && Array.isArray(s[0])) return (s as Shape[])[0] ?? null;
  return s as Shape;
}

/** Spatial axes and channel count of a conv input/output, honouring `data_format`. */
function split(shape: Shape, cfg: Cfg): { spatial: (number | null)[]; channels: number | null } {
  const first = cfg.data_format === 'channels_first';
  const rest = shape.slice(1);
  return first
    ? { channels: rest[0] ?? null, spatial: rest.slice(1) }
    : { channels: rest[rest.length - 1] ?? null, spatial: rest.slice(0, -1) };
}

const CONV = /^(?:Conv|Convolution)([123])D$/;
const CONV_T = /^(?:Conv|Convolution)([123])DTranspose$|^Deconvolution([23])D$/;
const DEPTHWISE = /^DepthwiseConv([12])D$/;
const SEPARABLE = /^Separable(?:Conv|Convolution)([12])D$/;
const RNN_GATES: Record<string, number> = { SimpleRNN: 1, GRU: 3, CuDNNGRU: 3, LSTM: 4, CuDNNLSTM: 4 };

const unknown = (what: string): MacEstimate => ({ macs: null, rule: `${what} unknown` });

/** The estimate for one layer given its class, config and shapes (a nested model: the sum of its layers). */
export function estimateMacs(node: Pick<LayerNode, 'className' | 'config' | 'inputShapes' | 'outputShape' | 'children'>): MacEstimate {
  const cfg = node.config;
  const cls = node.className;
  const input = node.inputShapes[0] ?? null;
  const output = single(node.outputShape);
  if (node.children.length) {
    let sum = 0;
    for (const c of node.children) sum += estimateMacs(c).macs ?? 0;
    return { macs: sum, rule: 'sum of its layers that have a rule' };
  }
  if (cls === 'Embedding') return { macs: 0, rule: 'a table lookup: no multiply-accumulates' };
  if (cls === 'Dense') {
    const units = num(cfg.units);
    if (!input || !output || units === null) return unknown('a shape');
    const inDim = input[input.length - 1] ?? null;
    const positions = prod(output.slice(1, -1));
    if (inDim === null || positions === null) return unknown('a shape');
    return { macs: positions * inDim * units, rule: `positions·in·units = ${positions}·${inDim}·${units}` };
  }
  let m = CONV.exec(cls);
  if (m) {
    const rank = Number(m[1]);
    const k = ints(cfg.kernel_size, rank);
    const filters = num(cfg.filters);
    const groups = num(cfg.groups) ?? 1;
    if (!input || !output || !k || filters === null) return unknown('a shape');
    const inC = split(input, cfg).channels;
    const outSpatial = prod(split(output, cfg).spatial);
    if (inC === null || outSpatial === null) return unknown('a shape');
    const kk = prod(k)!;
    return {
      macs: kk * (inC / groups) * filters * outSpatial,
      rule: `kernel·(in/groups)·filters·out_positions = ${kk}·${inC / groups}·${filters}·${outSpatial}`,
    };
  }
  m = CONV_T.exec(cls);
  if (m) {
    const rank = Number(m[1] ?? m[2]);
    const k = ints(cfg.kernel_size, rank);
    const filters = num(cfg.filters);
    if (!input || !k || filters === null) return unknown('a shape');
    const { channels: inC, spatial } = split(input, cfg);
    const inSpatial = prod(spatial);
    if (inC === null || inSpatial === null) return unknown('a shape');
    const kk = prod(k)!;
    return { macs: kk * inC * filters * inSpatial, rule: `kernel·in·filters·in_positions = ${kk}·${inC}·${filters}·${inSpatial}` };
  }
  m = DEPTHWISE.exec(cls);
  if (m) {
    const k = ints(cfg.kernel_size, Number(m[1]));
    const dm = num(cfg.depth_multiplier) ?? 1;
    if (!input || !output || !k) return unknown('a shape');
    const inC = split(input, cfg).channels;
    const outSpatial = prod(split(output, cfg).spatial);
    if (inC === null || outSpatial === null) return unknown('a shape');
    const kk = prod(k)!;
    return { macs: kk * inC * dm * outSpatial, rule: `kernel·in·depth_multiplier·out_positions = ${kk}·${inC}·${dm}·${outSpatial}` };
  }
  m = SEPARABLE.exec(cls);
  if (m) {
    const k = ints(cfg.kernel_size, Number(m[1]));
    const dm = num(cfg.depth_multiplier) ?? 1;
    const filters = num(cfg.filters);
    if (!input || !output || !k || filters === null) return unknown('a shape');
    const inC = split(input, cfg).channels;
    const outSpatial = prod(split(output, cfg).spatial);
    if (inC === null || outSpatial === null) return unknown('a shape');
    const kk = prod(k)!;
    return {
      macs: kk * inC * dm * outSpatial + inC * dm * filters * outSpatial,
      rule: `depthwise kernel·in·dm·out_positions + pointwise in·dm·filters·out_positions = ${kk}·${inC}·${dm}·${outSpatial} + ${inC}·${dm}·${filters}·${outSpatial}`,
    };
  }
  const gates = RNN_GATES[cls];
  if (gates !== undefined) {
    const units = num(cfg.units);
    if (!input || units === null) return unknown('a shape');
    const steps = input[1] ?? null;
    const inDim = input[2] ?? null;
    if (steps === null || inDim === null) return unknown('the number of time steps');
    return {
      macs: steps * gates * (inDim * units + units * units),
      rule: `steps·gates·(in·units + units·units) = ${steps}·${gates}·(${inDim}·${units} + ${units}·${units})`,
    };
  }
  if (cls === 'Bidirectional') {
    const inner = cfg.layer as { class_name?: string; config?: Cfg } | undefined;
    if (!inner?.class_name || !inner.config) return unknown('the wrapped layer');
    const one = estimateMacs({
      className: inner.class_name,
      config: inner.config,
      inputShapes: node.inputShapes,
      outputShape: null,
      children: [],
    });
    if (one.macs === null) return one;
    return { macs: 2 * one.macs, rule: `2 directions · (${one.rule})` };
  }
  if (cls === 'MultiHeadAttention') {
    const [q = null, v = q, k = v] = node.inputShapes;
    const heads = num(cfg.num_heads);
    const keyDim = num(cfg.key_dim);
    const valueDim = num(cfg.value_dim) ?? keyDim;
    if (!q || !v || !k || heads === null || keyDim === null || valueDim === null) return unknown('a shape');
    if (q.length !== 3 || v.length !== 3 || k.length !== 3)
      return { macs: null, rule: 'attention over more than one axis is not estimated' };
    const [tq, dq] = [q[1] ?? null, q[2] ?? null];
    const [tv, dv] = [v[1] ?? null, v[2] ?? null];
    const dk = k[2] ?? null;
    const out =
      typeof cfg.output_shape === 'number'
        ? cfg.output_shape
        : Array.isArray(cfg.output_shape)
          ? (prod(cfg.output_shape as number[]) ?? null)
          : dq;
    if (tq === null || dq === null || tv === null || dv === null || dk === null || out === null) return unknown('a sequence length');
    const proj = tq * dq * heads * keyDim + tv * dk * heads * keyDim + tv * dv * heads * valueDim;
    const attn = heads * tq * tv * keyDim + heads * tq * tv * valueDim;
    const o = tq * heads * valueDim * out;
    return {
      macs: proj + attn + o,
      rule: `projections ${tq}·${dq}·${heads}·${keyDim} + ${tv}·${dk}·${heads}·${keyDim} + ${tv}·${dv}·${heads}·${valueDim}; scores ${heads}·${tq}·${tv}·${keyDim}; weighted sum ${heads}·${tq}·${tv}·${valueDim}; output ${tq}·${heads}·${valueDim}·${out}`,
    };
  }
  return { macs: null, rule: `no rule for ${cls}` };
}

/** Classes `estimateMacs` has a rule for (documentation and the card's note). */
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
