// Activation layers: no weights except PReLU's alpha.
import type { LayerContext, LayerDef } from './registry.js';
import { input0 } from './registry.js';
import { type Expr, fv, lit, sym } from './expr.js';

/** PReLU alpha: the input without its batch axis, with each 1-based `shared_axes` axis set to 1. */
function preluAlpha(ctx: LayerContext) {
  const raw = ctx.config.shared_axes;
  const shared = typeof raw === 'number' ? [raw] : Array.isArray(raw) ? (raw as number[]) : [];
  const dims = input0(ctx).slice(1);
  // One alpha per input element (axes named dim1, dim2, … without the batch), 1 on each shared axis.
  const shape: Expr[] = dims.map((d, i) => (shared.includes(i + 1) ? lit(1) : sym(dims.length === 1 ? 'in' : `dim${i + 1}`, d)));
  return [fv('alpha', shape)];
}

export const defs: LayerDef[] = [
  {
    classNames: ['Activation', 'ReLU', 'LeakyReLU', 'ELU', 'Softmax', 'ThresholdedReLU'],
    notes: 'no weights',
    verifiedBy: 'tfjs',
  },
  {
    classNames: ['PReLU'],
    notes: 'alpha has the input shape without batch, 1 on each shared_axes axis',
    verifiedBy: 'tfjs',
    weights: preluAlpha,
    example: { config: {}, inputs: [[null, 10]] },
  },
];
