// Core layers: Dense, Embedding, InputLayer and the other layers with no family of their own.
import type { LayerDef } from './registry.js';
import { input0, inputDim, num, bool, v } from './registry.js';

export const defs: LayerDef[] = [
  {
    classNames: ['InputLayer'],
    formula: 'no weights',
    verifiedBy: 'tfjs',
    outputShape: ({ config }) => {
      const batch = (config.batch_shape ?? config.batch_input_shape) as (number | null)[] | undefined;
      if (Array.isArray(batch)) return batch.map((d) => (typeof d === 'number' ? d : null));
      const shape = (config.shape ?? config.input_shape) as (number | null)[] | undefined;
      if (Array.isArray(shape)) return [null, ...shape.map((d) => (typeof d === 'number' ? d : null))];
      return null;
    },
  },
  {
    classNames: ['Dense'],
    formula: 'kernel (in, units) + bias (units)',
    verifiedBy: 'tfjs',
    weights: (ctx) => {
      const units = num(ctx.config, 'units');
      return [v('kernel', [inputDim(ctx), units]), ...(bool(ctx.config, 'use_bias', true) ? [v('bias', [units])] : [])];
    },
    outputShape: (ctx) => [...input0(ctx).slice(0, -1), num(ctx.config, 'units')],
  },
];
