// Attention layers. Inputs come in call order: query, value, then key (key defaults to value).
// MultiHeadAttention / GroupedQueryAttention own four einsum projections, stored as `query/…`, `key/…`,
// `value/…`, `attention_output/…`; Attention and AdditiveAttention own at most a scale.
import type { Shape, VarSpec } from '../model/types.js';
import { type LayerContext, type LayerDef, type MacContext, type MacEstimate, ShapeUnknown, bool, num, str } from './registry.js';
import { macNum, prod, unknownMacs } from './macs.js';
import { type Expr, fv, sym } from './expr.js';

type Dim = number | null;

const last = (s: Shape | null): Dim => (s?.length ? (s[s.length - 1] ?? null) : null);

/** query, value and key shapes (value defaults to query for self-attention with one input, key to value). */
function qkv(ctx: LayerContext): { q: Shape | null; value: Shape | null; key: Shape | null } {
  const [q = null, value = q, key = value] = ctx.inputShapes;
  return { q, value, key };
}

/** One einsum projection: kernel (in, …inner) and, with use_bias, bias (…inner). */
function projection(name: string, kernel: Expr[], bias: Expr[], useBias: boolean): VarSpec[] {
  return [fv(`${name}/kernel`, kernel), ...(useBias ? [fv(`${name}/bias`, bias)] : [])];
}

/** MultiHeadAttention's `output_shape`: an int, a list, or absent (= query's last axis). */
function mhaOutput(ctx: LayerContext, q: Shape | null): Dim[] {
  const o = ctx.config.output_shape;
  if (typeof o === 'number') return [o];
  if (Array.isArray(o) && o.length > 0 && o.every((x) => typeof x === 'number')) return o as number[];
  return [last(q)];
}

/**
 * MultiHeadAttention over (batch, T, d) inputs: the query, key and value projections, the scores
 * (heads·Tq·Tv·key_dim), the weighted sum (heads·Tq·Tv·value_dim) and the output projection.
 */
function multiHeadMacs(ctx: MacContext): MacEstimate {
  const cfg = ctx.config;
  const [q = null, v = q, k = v] = ctx.inputShapes;
  const heads = macNum(cfg.num_heads);
  const keyDim = macNum(cfg.key_dim);
  const valueDim = macNum(cfg.value_dim) ?? keyDim;
  if (!q || !v || !k || heads === null || keyDim === null || valueDim === null) return unknownMacs('a shape');
  if (q.length !== 3 || v.length !== 3 || k.length !== 3) return { macs: null, rule: 'attention over more than one axis is not estimated' };
  const [tq, dq] = [q[1] ?? null, q[2] ?? null];
  const [tv, dv] = [v[1] ?? null, v[2] ?? null];
  const dk = k[2] ?? null;
  const out =
    typeof cfg.output_shape === 'number'
      ? cfg.output_shape
      : Array.isArray(cfg.output_shape)
        ? (prod(cfg.output_shape as number[]) ?? null)
        : dq;
  if (tq === null || dq === null || tv === null || dv === null || dk === null || out === null) return unknownMacs('a sequence length');
  const proj = tq * dq * heads * keyDim + tv * dk * heads * keyDim + tv * dv * heads * valueDim;
  const attn = heads * tq * tv * keyDim + heads * tq * tv * valueDim;
  const o = tq * heads * valueDim * out;
  return {
    macs: proj + attn + o,
    rule: `projections ${tq}·${dq}·${heads}·${keyDim} + ${tv}·${dk}·${heads}·${keyDim} + ${tv}·${dv}·${heads}·${valueDim}; scores ${heads}·${tq}·${tv}·${keyDim}; weighted sum ${heads}·${tq}·${tv}·${valueDim}; output ${tq}·${heads}·${valueDim}·${out}`,
  };
}

const multiHead: LayerDef = {
  classNames: ['MultiHeadAttention'],
  notes: 'use_bias=false: kernels only; a list output_shape gives attention_output one axis per entry',
  verifiedBy: 'hand',
  example: {
    config: { num_heads: 8, key_dim: 64 },
    inputs: [
      [null, 10, 512],
      [null, 12, 256],
    ],
  },
  weights: (ctx) => {
    const cfg = ctx.config;
    const heads = sym('heads', num(cfg, 'num_heads'));
    const kd = num(cfg, 'key_dim');
    const keyDim = sym('key_dim', kd);
    const valueDim = sym('value_dim', num(cfg, 'value_dim', kd) || kd);
    const useBias = bool(cfg, 'use_bias', true);
    const { q, value, key } = qkv(ctx);
    const outDims = mhaOutput(ctx, q);
    const out = outDims.map((d, i) => sym(outDims.length === 1 ? 'out' : `out${i + 1}`, d));
    return [
      ...projection('query', [sym('dim_q', last(q)), heads, keyDim], [heads, keyDim], useBias),
      ...projection('key', [sym('dim_k', last(key)), heads, keyDim], [heads, keyDim], useBias),
      ...projection('value', [sym('dim_v', last(value)), heads, valueDim], [heads, valueDim], useBias),
      ...projection('attention_output', [heads, valueDim, ...out], out, useBias),
    ];
  },
  outputShape: (ctx) => {
    const { q } = qkv(ctx);
    if (!q) throw new ShapeUnknown('query shape of MultiHeadAttention is unknown');
    return [...q.slice(0, -1), ...mhaOutput(ctx, q)];
  },
  macs: multiHeadMacs,
};

const groupedQuery: LayerDef = {
  classNames: ['GroupedQueryAttention'],
  notes: 'use_bias=false: kernels only',
  verifiedBy: 'hand',
  example: {
    config: { head_dim: 64, num_query_heads: 8, num_key_value_heads: 2 },
    inputs: [
      [null, 10, 512],
      [null, 12, 256],
    ],
  },
  weights: (ctx) => {
    const cfg = ctx.config;
    const headDim = sym('head_dim', num(cfg, 'head_dim'));
    const qHeads = sym('q_heads', num(cfg, 'num_query_heads'));
    const kvHeads = sym('kv_heads', num(cfg, 'num_key_value_heads'));
    const useBias = bool(cfg, 'use_bias', true);
    const { q, value, key } = qkv(ctx);
    const feature = sym('dim_q', last(q));
    return [
      ...projection('query', [feature, qHeads, headDim], [qHeads, headDim], useBias),
      ...projection('key', [sym('dim_k', last(key)), kvHeads, headDim], [kvHeads, headDim], useBias),
      ...projection('value', [sym('dim_v', last(value)), kvHeads, headDim], [kvHeads, headDim], useBias),
      ...projection('attention_output', [qHeads, headDim, feature], [feature], useBias),
    ];
  },
  outputShape: (ctx) => {
    const { q } = qkv(ctx);
    if (!q) throw new ShapeUnknown('query shape of GroupedQueryAttention is unknown');
    return q;
  },
};

/** Dot-product and additive attention: (…query without its last axis, value's last axis). */
function attentionOutput(ctx: LayerContext): Shape {
  const { q, value } = qkv(ctx);
  if (!q) throw new ShapeUnknown(`query shape of ${ctx.className} is unknown`);
  return [...q.slice(0, -1), last(value)];
}

const dotAttention: LayerDef = {
  classNames: ['Attention'],
  notes: 'scale only with use_scale, concat_score_weight only with score_mode concat (none by default)',
  verifiedBy: 'hand',
  example: {
    config: { use_scale: true, score_mode: 'concat' },
    inputs: [
      [null, 10, 16],
      [null, 12, 16],
    ],
  },
  weights: (ctx) => {
    const vars: VarSpec[] = [];
    if (bool(ctx.config, 'use_scale', false)) vars.push(fv('scale', []));
    if (str(ctx.config, 'score_mode', 'dot') === 'concat') vars.push(fv('concat_score_weight', []));
    return vars;
  },
  outputShape: attentionOutput,
};

const additiveAttention: LayerDef = {
  classNames: ['AdditiveAttention'],
  notes: 'use_scale=false: no weights',
  verifiedBy: 'hand',
  example: {
    config: {},
    inputs: [
      [null, 10, 16],
      [null, 12, 16],
    ],
  },
  weights: (ctx) => (bool(ctx.config, 'use_scale', true) ? [fv('scale', [sym('dim_q', last(qkv(ctx).q))])] : []),
  outputShape: attentionOutput,
};

export const defs: LayerDef[] = [multiHead, groupedQuery, dotAttention, additiveAttention];
