// Translates Keras 1 argument names (nb_filter, nb_row, subsample, border_mode, dim_ordering, …) in a layer
// config to their Keras 2 spellings, so Keras 2/3 formulas can read Keras 1 configs unchanged.
// Only adds a Keras 2 key when the config lacks it; the Keras 1 keys stay (Embedding keeps its output_dim).
// A Keras 2/3 config has none of these keys, so for it the function returns an equal copy.
import type { Cfg } from './registry.js';

/** Keras 1 key → Keras 2 key, copied as they are. */
const RENAMES: [string, string][] = [
  ['nb_filter', 'filters'],
  ['border_mode', 'padding'],
  ['subsample', 'strides'],
  ['subsample_length', 'strides'],
  ['stride', 'strides'], // MaxPooling1D(pool_length, stride)
  ['pool_length', 'pool_size'],
  ['atrous_rate', 'dilation_rate'],
  ['output_dim', 'units'], // Dense, RNNs (Embedding keeps output_dim, the Keras 2 name too)
  ['bias', 'use_bias'],
  ['init', 'kernel_initializer'],
  ['inner_init', 'recurrent_initializer'],
  ['W_regularizer', 'kernel_regularizer'],
  ['U_regularizer', 'recurrent_regularizer'],
  ['b_regularizer', 'bias_regularizer'],
  ['W_constraint', 'kernel_constraint'],
  ['U_constraint', 'recurrent_constraint'],
  ['b_constraint', 'bias_constraint'],
  ['dropout_W', 'dropout'],
  ['dropout_U', 'recurrent_dropout'],
  ['beta_init', 'beta_initializer'],
  ['gamma_init', 'gamma_initializer'],
  ['p', 'rate'], // Dropout, SpatialDropout*, GaussianDropout
  ['sigma', 'stddev'], // GaussianNoise
  ['length', 'size'], // UpSampling1D
];

/** Keras 1 kernel sizes, by the argument names of the layer families that used them. */
const KERNEL_KEYS: string[][] = [
  ['kernel_dim1', 'kernel_dim2', 'kernel_dim3'], // Convolution3D
  ['nb_row', 'nb_col'], // Convolution2D, SeparableConvolution2D, Deconvolution2D, LocallyConnected2D
  ['filter_length'], // Convolution1D, LocallyConnected1D
];

const IMPLEMENTATION: Record<string, number> = { cpu: 0, mem: 1, gpu: 2 };

export function keras1Args(cfg: Cfg): Cfg {
  const out: Cfg = { ...cfg };
  const add = (key: string, value: unknown) => {
    if (value !== undefined && out[key] === undefined) out[key] = value;
  };
  // (indexed: this runs for every Dense and convolution, mostly before the JIT has warmed up)
  for (let i = 0; i < RENAMES.length; i++) add(RENAMES[i]![1], cfg[RENAMES[i]![0]]);
  for (const keys of KERNEL_KEYS) {
    if (keys.every((k) => typeof cfg[k] === 'number'))
      add(
        'kernel_size',
        keys.map((k) => cfg[k]),
      );
  }
  const ordering = cfg.dim_ordering;
  if (ordering === 'th') add('data_format', 'channels_first');
  if (ordering === 'tf') add('data_format', 'channels_last');
  // 'default' meant keras.json's image_dim_ordering, 'tf' unless the user changed it: leave data_format unset.
  if (typeof cfg.consume_less === 'string') add('implementation', IMPLEMENTATION[cfg.consume_less]);
  const padding = zeroPadding2D(cfg.padding);
  if (padding) out.padding = padding;
  return out;
}

/** Keras 1 ZeroPadding2D took (top, bottom, left, right) or a dict of those; Keras 2 takes ((t, b), (l, r)). */
function zeroPadding2D(v: unknown): number[][] | null {
  if (Array.isArray(v) && v.length === 4 && v.every((x) => typeof x === 'number')) {
    return [
      [v[0]!, v[1]!],
      [v[2]!, v[3]!],
    ];
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const d = v as Record<string, unknown>;
    const n = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : 0);
    if (['top_pad', 'bottom_pad', 'left_pad', 'right_pad'].some((k) => k in d)) {
      return [
        [n('top_pad'), n('bottom_pad')],
        [n('left_pad'), n('right_pad')],
      ];
    }
  }
  return null;
}

/** Keys no Keras 2/3 (or TF.js) layer config has. `output_dim` is not one: Keras 2 Embedding has it too. */
const KERAS1_ONLY = [
  'nb_filter',
  'border_mode',
  'dim_ordering',
  'subsample',
  'subsample_length',
  'init',
  'inner_init',
  'W_regularizer',
  'b_regularizer',
  'consume_less',
];

/** True when a config uses Keras 1 spellings (the layer was saved by Keras 1.x). */
export function isKeras1(cfg: Cfg): boolean {
  return KERAS1_ONLY.some((k) => k in cfg);
}
