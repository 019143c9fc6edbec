// Activation layers: no weights except PReLU's alpha.
import type { LayerContext, LayerDef } from './registry.js';
import { input0, v } from './registry.js';

/** PReLU alpha: the input without its batch axis, with each 1-based `shared_axes` axis set to 1. */
function preluAlpha(ctx: LayerContext) {
  const raw = ctx.config.shared_axes;
  const shared = typeof raw === 'number' ? [raw] : Array.isArray(raw) ? (raw as number[]) : [];
  const shape = input0(ctx).slice(1);
  for (const axis of shared) shape[axis - 1] = 1;
  return [v('alpha', shape)];
}

export const defs: LayerDef[] = [
  {
    classNames: ['Activation', 'ReLU', 'LeakyReLU', 'ELU', 'Softmax', 'ThresholdedReLU'],
    formula: 'no weights',
    verifiedBy: 'tfjs',
  },
  { classNames: ['PReLU'], formula: 'alpha (input without batch, 1 on shared_axes)', verifiedBy: 'tfjs', weights: preluAlpha },
];
