// Preprocessing layers. Only Normalization stores weights (when it was adapted rather than given mean and
// variance). Lookup, hashing and image layers store none: Keras 3 random layers own a SeedGenerator whose
// `seed_generator_state` (2,) variable is layer state, not a weight, and is neither counted nor saved.
import type { Shape, VarSpec } from '../model/types.js';
import type { LayerContext, LayerDef } from './registry.js';
import { bool, input0, num, str, v } from './registry.js';
import { dataFormat } from './shapes.js';

type Dim = number | null;

/** Normalization: mean and variance on the kept `axis` axes, plus a scalar count, unless mean/variance are given. */
function normalizationWeights(ctx: LayerContext): VarSpec[] {
  if (ctx.config.mean != null) return [];
  const raw = ctx.config.axis === undefined ? -1 : ctx.config.axis;
  const axes = typeof raw === 'number' ? [raw] : Array.isArray(raw) ? (raw as number[]) : [];
  const s = ctx.inputShapes[0];
  const shape: Dim[] = s
    ? axes.map((d) => (d < 0 ? d + s.length : d)).sort((a, b) => a - b).map((d) => s[d] ?? null)
    : axes.map(() => null);
  return [v('mean', shape, false), v('variance', shape, false), v('count', [], false)];
}

/** Encoded output of a layer with an `output_mode` (int / one_hot / multi_hot / count / tf_idf) and `depth` bins. */
function encoded(s: Shape, mode: string, depth: Dim): Shape {
  const m = mode.replace(/([A-Z])/g, '_$1').toLowerCase(); // TF.js writes oneHot / multiHot
  if (m === 'int') return s;
  if (m === 'one_hot' && (s.length === 1 || s[s.length - 1] !== 1)) return [...s, depth];
  return [...s.slice(0, -1), depth];
}

function categoryEncoding(ctx: LayerContext): Shape {
  return encoded(input0(ctx), str(ctx.config, 'output_mode', 'multi_hot'), num(ctx.config, 'num_tokens'));
}

function hashing(ctx: LayerContext): Shape {
  return encoded(input0(ctx), str(ctx.config, 'output_mode', 'int'), num(ctx.config, 'num_bins'));
}

function discretization(ctx: LayerContext): Shape {
  const bounds = ctx.config.bin_boundaries;
  const bins = Array.isArray(bounds) ? bounds.length + 1 : num(ctx.config, 'num_bins', NaN);
  return encoded(input0(ctx), str(ctx.config, 'output_mode', 'int'), Number.isNaN(bins) ? null : bins);
}

/** Vocabulary-sized outputs are known only when padded to max_tokens. */
function vocabDepth(ctx: LayerContext): Dim {
  const max = ctx.config.max_tokens;
  return bool(ctx.config, 'pad_to_max_tokens', false) && typeof max === 'number' ? max : null;
}

function lookup(ctx: LayerContext): Shape {
  const s = input0(ctx);
  return str(ctx.config, 'output_mode', 'int') === 'int' ? s : [s[0], vocabDepth(ctx)];
}

function textVectorization(ctx: LayerContext): Shape {
  const s = input0(ctx);
  if (str(ctx.config, 'output_mode', 'int') !== 'int') return [s[0], vocabDepth(ctx)];
  const len = ctx.config.output_sequence_length;
  return [s[0], typeof len === 'number' ? len : null];
}

function hashedCrossing(ctx: LayerContext): Shape {
  const s = input0(ctx);
  return str(ctx.config, 'output_mode', 'int') === 'int' ? s : [s[0], num(ctx.config, 'num_bins')];
}

/** Image layers that set (or, with null, free) the height and/or width axes. */
function image(height: 'keep' | 'set' | 'free', width: 'keep' | 'set' | 'free') {
  return (ctx: LayerContext): Shape => {
    const s = [...input0(ctx)];
    const first = dataFormat(ctx.config) === 'channels_first';
    const h = s.length - (first ? 2 : 3);
    const w = h + 1;
    if (height !== 'keep') s[h] = height === 'set' ? num(ctx.config, 'height') : null;
    if (width !== 'keep') s[w] = width === 'set' ? num(ctx.config, 'width') : null;
    return s;
  };
}

const NONE = 'no weights';
const RANDOM = 'no weights (Keras 3 seed_generator_state (2,) uint32 is not a weight: not counted, not saved)';
const ENCODED = 'no weights; output_mode int keeps the shape, other modes end in the bin/token count';

export const defs: LayerDef[] = [
  {
    classNames: ['Normalization'],
    formula: 'mean, variance (input axes kept by axis) + count () non-trainable; none when mean/variance are given',
    verifiedBy: 'hand',
    weights: normalizationWeights,
  },
  { classNames: ['Discretization'], formula: `${ENCODED} (Keras 3: no variables)`, verifiedBy: 'hand', outputShape: discretization },
  { classNames: ['CategoryEncoding'], formula: ENCODED, verifiedBy: 'tfjs', outputShape: categoryEncoding },
  { classNames: ['Hashing'], formula: ENCODED, verifiedBy: 'hand', outputShape: hashing },
  { classNames: ['HashedCrossing'], formula: `${NONE}; one_hot ends in num_bins`, verifiedBy: 'hand', outputShape: hashedCrossing },
  { classNames: ['StringLookup', 'IntegerLookup'], formula: `${NONE} (vocabulary is an asset); int keeps the shape`, verifiedBy: 'hand', outputShape: lookup },
  { classNames: ['TextVectorization'], formula: `${NONE} (vocabulary is an asset); int: (batch, output_sequence_length)`, verifiedBy: 'hand', outputShape: textVectorization },
  { classNames: ['Rescaling'], formula: NONE, verifiedBy: 'tfjs' },
  { classNames: ['CenterCrop'], formula: `${NONE}; out height, width from config`, verifiedBy: 'tfjs', outputShape: image('set', 'set') },
  { classNames: ['Resizing'], formula: `${NONE}; out height, width from config`, verifiedBy: 'hand', outputShape: image('set', 'set') },
  { classNames: ['RandomCrop'], formula: `${RANDOM}; out height, width from config`, verifiedBy: 'hand', outputShape: image('set', 'set') },
  { classNames: ['RandomHeight'], formula: `${RANDOM}; height unknown`, verifiedBy: 'hand', outputShape: image('free', 'keep') },
  { classNames: ['RandomWidth'], formula: `${RANDOM}; width unknown`, verifiedBy: 'hand', outputShape: image('keep', 'free') },
  {
    classNames: ['RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomContrast', 'RandomBrightness', 'RandomTranslation'],
    formula: RANDOM,
    verifiedBy: 'hand',
  },
];
