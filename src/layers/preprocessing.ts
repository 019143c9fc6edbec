// Preprocessing layers. Only Normalization stores weights (when it was adapted rather than given mean and
// variance). Lookup, hashing and image layers store none: Keras 3 random layers own a SeedGenerator whose
// `seed_generator_state` (2,) variable is layer state, not a weight, and is neither counted nor saved.
import type { Shape, VarSpec } from '../model/types.js';
import type { LayerContext, LayerDef, LayerEntry } from './registry.js';
import { ShapeUnknown, bool, input0, isShapeList, num, str } from './registry.js';
import { convOutLength, dataFormat } from './shapes.js';
import { add, floorDiv, fv, sym } from './expr.js';

type Dim = number | null;

/** Normalization: mean and variance on the kept `axis` axes, plus a scalar count, unless mean/variance are given. */
function normalizationWeights(ctx: LayerContext): VarSpec[] {
  if (ctx.config.mean != null) return [];
  const raw = ctx.config.axis === undefined ? -1 : ctx.config.axis;
  const axes = typeof raw === 'number' ? [raw] : Array.isArray(raw) ? (raw as number[]) : [];
  const s = ctx.inputShapes[0];
  const kept = s ? axes.map((d) => (d < 0 ? d + s.length : d)).sort((a, b) => a - b) : axes;
  // One kept axis is the feature width `in`; several are named by their (non-negative) axis index.
  const shape = kept.map((d) => sym(kept.length === 1 ? 'in' : `dim${d}`, s ? (s[d] ?? null) : null));
  return [fv('mean', shape, false), fv('variance', shape, false), fv('count', [], false)];
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
  return str(ctx.config, 'output_mode', 'int') === 'int' ? s : [s[0] ?? null, vocabDepth(ctx)];
}

function textVectorization(ctx: LayerContext): Shape {
  const s = input0(ctx);
  if (str(ctx.config, 'output_mode', 'int') !== 'int') return [s[0] ?? null, vocabDepth(ctx)];
  const len = ctx.config.output_sequence_length;
  return [s[0] ?? null, typeof len === 'number' ? len : null];
}

function hashedCrossing(ctx: LayerContext): Shape {
  const s = input0(ctx);
  return str(ctx.config, 'output_mode', 'int') === 'int' ? s : [s[0] ?? null, num(ctx.config, 'num_bins')];
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

/** Pipeline: applies its `layers` one after another; its variables are theirs, in order, under their names. */
function pipeline(ctx: LayerContext): { vars: VarSpec[]; out: Shape | null } {
  const layers = ctx.config.layers;
  if (!Array.isArray(layers)) throw new Error('Pipeline config has no layers list');
  const vars: VarSpec[] = [];
  let shape: Shape | null = ctx.inputShapes[0] ?? null;
  for (const e of layers as LayerEntry[]) {
    const r = ctx.inner(e, [shape]);
    if (!r.vars) {
      const why = `${e.class_name} inside Pipeline: ${r.note ?? 'weights unknown'}`;
      throw r.note?.includes('not inferred') ? new ShapeUnknown(why) : new Error(why);
    }
    const name = str((e.config ?? {}) as Record<string, unknown>, 'name', e.class_name);
    for (const x of r.vars) vars.push({ ...x, name: `${name}/${x.name}` });
    shape = r.outputShape && !isShapeList(r.outputShape) ? (r.outputShape as Shape) : null;
  }
  return { vars, out: shape };
}

/** MelSpectrogram (Keras 3): (batch, samples) -> (batch, num_mel_bins, (samples + stride + 1) // stride), as Keras computes it. */
function melSpectrogram(ctx: LayerContext): Shape {
  const s = input0(ctx);
  const bins = num(ctx.config, 'num_mel_bins', 128);
  const stride = num(ctx.config, 'sequence_stride', 512);
  const frames = (n: Dim): Dim => (n === null ? null : Math.floor((n + stride + 1) / stride));
  return s.length === 1 ? [bins, frames(s[0]!)] : [s[0] ?? null, bins, frames(s[1] ?? null)];
}

/** STFTSpectrogram fft length: the config's, else the smallest power of two >= frame_length. */
function stftFft(ctx: LayerContext): number {
  const frame = num(ctx.config, 'frame_length', 256);
  return typeof ctx.config.fft_length === 'number' ? ctx.config.fft_length : 2 ** Math.ceil(Math.log2(frame));
}

function stftBins(ctx: LayerContext): number {
  return Math.floor(stftFft(ctx) / 2) + 1;
}

/** real_kernel unless mode is imag, imag_kernel unless mode is real; each (frame_length, 1, fft_length // 2 + 1). */
function stftWeights(ctx: LayerContext): VarSpec[] {
  const mode = str(ctx.config, 'mode', 'log');
  const fft = sym('fft_length', stftFft(ctx));
  const shape = [sym('frame_length', num(ctx.config, 'frame_length', 256)), 1, add(floorDiv(fft, 2), 1)];
  const out: VarSpec[] = [];
  if (mode !== 'imag') out.push(fv('real_kernel', shape));
  if (mode !== 'real') out.push(fv('imag_kernel', shape));
  return out;
}

/** A strided 1-D convolution over time with frame_length taps; channels become channels · bins (bins doubled for stft). */
function stftShape(ctx: LayerContext): Shape {
  const s = input0(ctx);
  if (s.length !== 3) throw new ShapeUnknown(`STFTSpectrogram expects a rank-3 input, got [${s.join(', ')}]`);
  const [batch, a1, a2] = s as [Dim, Dim, Dim]; // rank 3, checked above
  const first = dataFormat(ctx.config) === 'channels_first';
  const [time, channels] = first ? [a2, a1] : [a1, a2];
  const frame = num(ctx.config, 'frame_length', 256);
  const step = typeof ctx.config.frame_step === 'number' ? ctx.config.frame_step : Math.floor(frame / 2);
  const frames = convOutLength(time, frame, str(ctx.config, 'padding', 'valid'), step);
  const bins = stftBins(ctx) * (str(ctx.config, 'mode', 'log') === 'stft' ? 2 : 1);
  if (bool(ctx.config, 'expand_dims', false)) return first ? [batch, channels, frames, bins] : [batch, frames, bins, channels];
  const features = channels === null ? null : channels * bins;
  return first ? [batch, features, frames] : [batch, frames, features];
}

const NONE = 'no weights';
const RANDOM = 'no weights (Keras 3 seed_generator_state (2,) uint32 is not a weight: not counted, not saved)';
const ENCODED = 'no weights; output_mode int keeps the shape, other modes end in the bin/token count';

export const defs: LayerDef[] = [
  {
    classNames: ['Normalization'],
    notes: 'several kept axes: mean, variance of their sizes; no weights when mean and variance are given',
    verifiedBy: 'hand',
    weights: normalizationWeights,
    example: { config: { axis: -1 }, inputs: [[null, 10]] },
  },
  { classNames: ['Discretization'], notes: `${ENCODED} (Keras 3: no variables)`, verifiedBy: 'hand', outputShape: discretization },
  { classNames: ['CategoryEncoding'], notes: ENCODED, verifiedBy: 'tfjs', outputShape: categoryEncoding },
  { classNames: ['Hashing'], notes: ENCODED, verifiedBy: 'hand', outputShape: hashing },
  { classNames: ['HashedCrossing'], notes: `${NONE}; one_hot ends in num_bins`, verifiedBy: 'hand', outputShape: hashedCrossing },
  {
    classNames: ['StringLookup', 'IntegerLookup', 'IndexLookup'],
    notes: `${NONE} (vocabulary is an asset); int keeps the shape`,
    verifiedBy: 'hand',
    outputShape: lookup,
  },
  {
    classNames: ['TextVectorization'],
    notes: `${NONE} (vocabulary is an asset); int: (batch, output_sequence_length)`,
    verifiedBy: 'hand',
    outputShape: textVectorization,
  },
  { classNames: ['Rescaling'], notes: NONE, verifiedBy: 'tfjs' },
  { classNames: ['CenterCrop'], notes: `${NONE}; out height, width from config`, verifiedBy: 'tfjs', outputShape: image('set', 'set') },
  { classNames: ['Resizing'], notes: `${NONE}; out height, width from config`, verifiedBy: 'hand', outputShape: image('set', 'set') },
  { classNames: ['RandomCrop'], notes: `${RANDOM}; out height, width from config`, verifiedBy: 'hand', outputShape: image('set', 'set') },
  { classNames: ['RandomHeight'], notes: `${RANDOM}; height unknown`, verifiedBy: 'hand', outputShape: image('free', 'keep') },
  { classNames: ['RandomWidth'], notes: `${RANDOM}; width unknown`, verifiedBy: 'hand', outputShape: image('keep', 'free') },
  {
    classNames: ['RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomContrast', 'RandomBrightness', 'RandomTranslation'],
    notes: RANDOM,
    verifiedBy: 'hand',
  },
  {
    // Keras 3 image augmentation: each keeps its input's shape and owns at most a SeedGenerator (state, not a weight);
    // RandAugment, AugMix, RandomColorJitter and RandomApply hold only such weightless augmentation sublayers.
    classNames: [
      'RandomGrayscale',
      'AutoContrast',
      'Solarization',
      'RandomColorJitter',
      'Equalization',
      'RandomPosterization',
      'RandomSharpness',
      'RandomShear',
      'RandomElasticTransform',
      'RandomErasing',
      'RandomGaussianBlur',
      'RandomHue',
      'RandomInvert',
      'RandomPerspective',
      'RandomSaturation',
      'RandomColorDegeneration',
      'MixUp',
      'CutMix',
      'AugMix',
      'RandAugment',
      'RandomApply',
      'MaxNumBoundingBoxes',
      'ContrastLimitedAdaptiveHistogramEqualization',
    ],
    notes: `${RANDOM}; out = input`,
    verifiedBy: 'hand',
  },
  {
    classNames: ['RandomResizedCrop'],
    notes: `${RANDOM}; out height, width from config`,
    verifiedBy: 'hand',
    outputShape: image('set', 'set'),
  },
  {
    classNames: ['CategoryCrossing'],
    notes: `${NONE} (tf.keras 2.2–2.5 experimental); output is a sparse/ragged cross, shape not inferred`,
    verifiedBy: 'hand',
    outputShape: () => {
      throw new ShapeUnknown('CategoryCrossing returns a sparse or ragged tensor');
    },
  },
  {
    classNames: ['Pipeline'],
    notes: "the variables of its layers in order (usually none); out = the last layer's output; example: Normalization",
    verifiedBy: 'hand',
    weights: (ctx) => pipeline(ctx).vars,
    example: { config: { layers: [{ class_name: 'Normalization', config: { axis: -1 } }] }, inputs: [[null, 10]] },
    outputShape: (ctx) => {
      const out = pipeline(ctx).out;
      if (!out) throw new ShapeUnknown('output shape of a layer inside Pipeline is unknown');
      return out;
    },
  },
  {
    classNames: ['MelSpectrogram'],
    notes: `${NONE}; (batch, samples) -> (batch, num_mel_bins, (samples + sequence_stride + 1) // sequence_stride)`,
    verifiedBy: 'hand',
    outputShape: melSpectrogram,
  },
  {
    classNames: ['STFTSpectrogram'],
    notes: 'real_kernel unless mode imag, imag_kernel unless mode real; fft_length defaults to the next power of 2 of frame_length',
    verifiedBy: 'hand',
    weights: stftWeights,
    example: { config: { frame_length: 256, fft_length: 512 }, inputs: [[null, 16000, 1]] },
    outputShape: stftShape,
  },
];
