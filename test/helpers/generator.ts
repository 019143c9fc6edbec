// Random but valid Keras models built with TF.js, for the differential test (test/differential/tfjs-models.test.ts).
// A seeded PRNG picks layers and hyper-parameters; TF.js builds the model, so every model is one TF.js
// accepts, and TF.js's own counts are the oracle. Combinations TF.js rejects are skipped.
//
// The catalogue below lists every layer class TF.js implements, one maker per class, grouped by family.
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../scripts/fixtures/util.mjs';

export { tf };

// ── PRNG ─────────────────────────────────────────────────────────────────────────────────────────────

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Uniform float in [0, 1). */
  float(): number {
    return this.next();
  }
  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)] as T;
  }
}

// ── the catalogue ────────────────────────────────────────────────────────────────────────────────────

/** A shape without the batch axis; TF.js may report unknown axes as null. */
export type Dims = (number | null)[];

export type Family = 'core' | 'activation' | 'norm' | 'conv' | 'pooling' | 'reshape' | 'rnn' | 'wrapper' | 'preprocessing';

interface Maker {
  /** Keras class name of the layer this maker builds (for coverage and reports). */
  cls: string;
  family: Family;
  /** Input ranks (without batch) the layer accepts. */
  ranks: number[];
  /**
   * TF.js 4.22 bug: this layer's computeOutputShape writes into its input's shape array, corrupting shapes
   * TF.js recorded upstream (even the InputLayer's: identity layers pass the same array along). The generator
   * feeds it through a throwaway Reshape to the same shape, whose output is a fresh array.
   */
  mutatesInputShape?: true;
  make(r: Rng, s: Dims): tf.layers.Layer;
}

const ACTIVATIONS = [
  'relu',
  'tanh',
  'sigmoid',
  'linear',
  'softmax',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'hardSigmoid',
  'relu6',
] as const;
type Act = (typeof ACTIVATIONS)[number];
const act = (r: Rng): Act => r.pick(ACTIVATIONS);
const ANY = [1, 2, 3, 4];
const last = (s: Dims): number => (s[s.length - 1] as number | null) ?? 1;
/** A kernel size that fits an axis of length n for padding `valid` (n may be unknown). */
const fit = (r: Rng, n: number | null, max = 3): number => r.int(1, Math.max(1, Math.min(max, n ?? max)));
const padding = (r: Rng): 'valid' | 'same' => (r.bool() ? 'valid' : 'same');
/** A random subset of the non-batch axes (1-based), never all of them. */
const someAxes = (r: Rng, rank: number): number[] => {
  const axes: number[] = [];
  for (let a = 1; a <= rank; a++) if (r.bool(0.4)) axes.push(a);
  return axes.length === rank ? axes.slice(1) : axes;
};

/** Conv args shared by 1D/2D/3D: kernel fits the spatial axes for `valid`; dilation only with stride 1. */
function convArgs(r: Rng, s: Dims, rank: number) {
  const spatial = s.slice(0, rank);
  const pad = padding(r);
  const dilate = r.bool(0.2);
  const kernelSize = spatial.map((n) => (pad === 'valid' ? fit(r, dilate ? Math.floor(((n ?? 3) + 1) / 2) : n) : r.int(1, 3)));
  const strides = dilate ? 1 : r.pick([1, 1, 2]);
  return {
    kernelSize: rank === 1 ? (kernelSize[0] as number) : kernelSize,
    strides,
    padding: pad,
    dilationRate: dilate ? 2 : 1,
    useBias: r.bool(0.8),
    activation: act(r),
  };
}

function recurrentArgs(r: Rng) {
  return {
    units: r.int(1, 5),
    returnSequences: r.bool(),
    useBias: r.bool(0.8),
    goBackwards: r.bool(0.2),
    unitForgetBias: r.bool(),
  };
}

type Cell = ReturnType<typeof tf.layers.simpleRNNCell> | ReturnType<typeof tf.layers.lstmCell> | ReturnType<typeof tf.layers.gruCell>;

function cell(r: Rng): Cell {
  const units = r.int(1, 4);
  const kind = r.pick(['simple', 'lstm', 'gru'] as const);
  if (kind === 'simple') return tf.layers.simpleRNNCell({ units, useBias: r.bool(0.8) });
  if (kind === 'lstm') return tf.layers.lstmCell({ units, useBias: r.bool(0.8) });
  return tf.layers.gruCell({ units, useBias: r.bool(0.8) });
}

function recurrentLayer(r: Rng): tf.layers.Layer {
  const kind = r.pick(['simple', 'lstm', 'gru'] as const);
  const args = recurrentArgs(r);
  if (kind === 'simple') return tf.layers.simpleRNN(args);
  if (kind === 'lstm') return tf.layers.lstm(args);
  return tf.layers.gru(args);
}

/** Two factors of n (for Reshape targets); [n, 1] when n is prime. */
function factor(r: Rng, n: number): [number, number] {
  const ds: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) ds.push(d);
  const a = r.pick(ds);
  return [a, n / a];
}

/** Every layer class TF.js implements, one maker each. Read this list to see what the test covers. */
export const CATALOGUE: Maker[] = [
  // core
  {
    cls: 'Dense',
    family: 'core',
    ranks: ANY,
    make: (r) => tf.layers.dense({ units: r.int(1, 8), useBias: r.bool(0.8), activation: act(r) }),
  },
  { cls: 'Dropout', family: 'core', ranks: ANY, make: (r) => tf.layers.dropout({ rate: r.pick([0.1, 0.5]) }) },
  { cls: 'AlphaDropout', family: 'core', ranks: ANY, make: (r) => tf.layers.alphaDropout({ rate: r.pick([0.1, 0.5]) }) },
  { cls: 'GaussianDropout', family: 'core', ranks: ANY, make: (r) => tf.layers.gaussianDropout({ rate: r.pick([0.1, 0.5]) }) },
  { cls: 'GaussianNoise', family: 'core', ranks: ANY, make: (r) => tf.layers.gaussianNoise({ stddev: r.pick([0.1, 1]) }) },
  { cls: 'SpatialDropout1D', family: 'core', ranks: [2], make: (r) => tf.layers.spatialDropout1d({ rate: r.pick([0.1, 0.5]) }) },
  { cls: 'Masking', family: 'core', ranks: [2], make: (r) => tf.layers.masking({ maskValue: r.pick([0, -1]) }) },
  // activation
  { cls: 'Activation', family: 'activation', ranks: ANY, make: (r) => tf.layers.activation({ activation: act(r) }) },
  { cls: 'ReLU', family: 'activation', ranks: ANY, make: (r) => tf.layers.reLU({ maxValue: r.bool() ? 6 : undefined }) },
  { cls: 'LeakyReLU', family: 'activation', ranks: ANY, make: (r) => tf.layers.leakyReLU({ alpha: r.pick([0.1, 0.3]) }) },
  { cls: 'ELU', family: 'activation', ranks: ANY, make: (r) => tf.layers.elu({ alpha: r.pick([0.5, 1]) }) },
  { cls: 'ThresholdedReLU', family: 'activation', ranks: ANY, make: (r) => tf.layers.thresholdedReLU({ theta: r.pick([0.5, 1]) }) },
  { cls: 'Softmax', family: 'activation', ranks: ANY, make: (r, s) => tf.layers.softmax({ axis: r.bool(0.7) ? -1 : r.int(1, s.length) }) },
  {
    cls: 'PReLU',
    family: 'activation',
    ranks: ANY,
    make: (r, s) => tf.layers.prelu({ sharedAxes: r.bool() ? someAxes(r, s.length) : undefined }),
  },
  // normalization
  {
    cls: 'BatchNormalization',
    family: 'norm',
    ranks: ANY,
    make: (r, s) => tf.layers.batchNormalization({ axis: r.bool(0.7) ? -1 : r.int(1, s.length), center: r.bool(0.8), scale: r.bool(0.8) }),
  },
  {
    cls: 'LayerNormalization',
    family: 'norm',
    ranks: ANY,
    make: (r, s) => tf.layers.layerNormalization({ axis: r.bool(0.7) ? -1 : r.int(1, s.length), center: r.bool(0.8), scale: r.bool(0.8) }),
  },
  // convolution
  { cls: 'Conv1D', family: 'conv', ranks: [2], make: (r, s) => tf.layers.conv1d({ filters: r.int(1, 6), ...convArgs(r, s, 1) }) },
  {
    cls: 'Conv2D',
    family: 'conv',
    ranks: [3],
    make: (r, s) =>
      r.bool(0.15)
        ? tf.layers.conv2d({ filters: r.int(1, 6), ...convArgs(r, s.slice(1), 2), dataFormat: 'channelsFirst' })
        : tf.layers.conv2d({ filters: r.int(1, 6), ...convArgs(r, s, 2) }),
  },
  { cls: 'Conv3D', family: 'conv', ranks: [4], make: (r, s) => tf.layers.conv3d({ filters: r.int(1, 4), ...convArgs(r, s, 3) }) },
  {
    cls: 'Conv2DTranspose',
    family: 'conv',
    ranks: [3],
    make: (r) =>
      tf.layers.conv2dTranspose({
        filters: r.int(1, 5),
        kernelSize: [r.int(1, 3), r.int(1, 3)],
        strides: r.int(1, 2),
        padding: padding(r),
        useBias: r.bool(0.8),
      }),
  },
  {
    cls: 'Conv3DTranspose',
    family: 'conv',
    ranks: [4],
    make: (r) =>
      tf.layers.conv3dTranspose({
        filters: r.int(1, 3),
        kernelSize: r.int(1, 2),
        strides: r.int(1, 2),
        padding: padding(r),
        useBias: r.bool(0.8),
      }),
  },
  {
    cls: 'SeparableConv2D',
    family: 'conv',
    ranks: [3],
    // depth_multiplier stays 1: TF.js 4.22's SeparableConv2D.getConfig() leaves it out, so a model saved with
    // another value is not what its own JSON says (TF.js itself would rebuild it with 1).
    make: (r, s) => tf.layers.separableConv2d({ filters: r.int(1, 6), ...convArgs(r, s, 2) }),
  },
  {
    cls: 'DepthwiseConv2D',
    family: 'conv',
    ranks: [3],
    make: (r, s) => {
      const { kernelSize, strides, padding: pad, useBias, activation } = convArgs(r, s, 2);
      return tf.layers.depthwiseConv2d({
        kernelSize: kernelSize as [number, number],
        strides,
        padding: pad,
        useBias,
        activation,
        depthMultiplier: r.int(1, 3),
      });
    },
  },
  // pooling
  {
    cls: 'MaxPooling1D',
    family: 'pooling',
    ranks: [2],
    make: (r, s) => tf.layers.maxPooling1d({ poolSize: fit(r, s[0] ?? null, 2), padding: padding(r) }),
  },
  {
    cls: 'AveragePooling1D',
    family: 'pooling',
    ranks: [2],
    make: (r, s) => tf.layers.averagePooling1d({ poolSize: fit(r, s[0] ?? null, 2), padding: padding(r) }),
  },
  {
    cls: 'MaxPooling2D',
    family: 'pooling',
    ranks: [3],
    make: (r, s) => tf.layers.maxPooling2d({ poolSize: [fit(r, s[0] ?? null, 2), fit(r, s[1] ?? null, 2)], padding: padding(r) }),
  },
  {
    cls: 'AveragePooling2D',
    family: 'pooling',
    ranks: [3],
    make: (r, s) => tf.layers.averagePooling2d({ poolSize: [fit(r, s[0] ?? null, 2), fit(r, s[1] ?? null, 2)], padding: padding(r) }),
  },
  {
    cls: 'MaxPooling3D',
    family: 'pooling',
    ranks: [4],
    make: (r, s) =>
      tf.layers.maxPooling3d({ poolSize: s.slice(0, 3).map((n) => fit(r, n, 2)) as [number, number, number], padding: padding(r) }),
  },
  {
    cls: 'AveragePooling3D',
    family: 'pooling',
    ranks: [4],
    make: (r, s) =>
      tf.layers.averagePooling3d({ poolSize: s.slice(0, 3).map((n) => fit(r, n, 2)) as [number, number, number], padding: padding(r) }),
  },
  { cls: 'GlobalMaxPooling1D', family: 'pooling', ranks: [2], make: () => tf.layers.globalMaxPooling1d({}) },
  { cls: 'GlobalAveragePooling1D', family: 'pooling', ranks: [2], make: () => tf.layers.globalAveragePooling1d({}) },
  { cls: 'GlobalMaxPooling2D', family: 'pooling', ranks: [3], make: () => tf.layers.globalMaxPooling2d({}) },
  { cls: 'GlobalAveragePooling2D', family: 'pooling', ranks: [3], make: () => tf.layers.globalAveragePooling2d({}) },
  // reshaping
  { cls: 'Flatten', family: 'reshape', ranks: [2, 3, 4], make: () => tf.layers.flatten({}) },
  {
    cls: 'Reshape',
    family: 'reshape',
    ranks: ANY,
    make: (r, s) => {
      const n = s.reduce<number>((a, b) => a * (b ?? 1), 1);
      const [a, b] = factor(r, n);
      return tf.layers.reshape({ targetShape: r.bool(0.3) ? [a, -1] : r.bool() ? [a, b] : [n] });
    },
  },
  {
    cls: 'Permute',
    family: 'reshape',
    ranks: [2, 3, 4],
    make: (r, s) => {
      const dims = s.map((_, i) => i + 1);
      for (let i = dims.length - 1; i > 0; i--) {
        const j = r.int(0, i);
        [dims[i], dims[j]] = [dims[j] as number, dims[i] as number];
      }
      return tf.layers.permute({ dims });
    },
  },
  { cls: 'RepeatVector', family: 'reshape', ranks: [1], make: (r) => tf.layers.repeatVector({ n: r.int(1, 4) }) },
  {
    cls: 'Cropping2D',
    family: 'reshape',
    ranks: [3],
    make: (r, s) => {
      const crop = (n: number | null): [number, number] => {
        const room = Math.max(0, (n ?? 1) - 1);
        const a = r.int(0, Math.min(2, room));
        return [a, r.int(0, Math.min(2, room - a))];
      };
      return tf.layers.cropping2D({ cropping: [crop(s[0] ?? null), crop(s[1] ?? null)] });
    },
  },
  {
    cls: 'ZeroPadding2D',
    family: 'reshape',
    ranks: [3],
    make: (r) =>
      tf.layers.zeroPadding2d({
        padding: [
          [r.int(0, 2), r.int(0, 2)],
          [r.int(0, 2), r.int(0, 2)],
        ],
      }),
  },
  { cls: 'UpSampling2D', family: 'reshape', ranks: [3], make: (r) => tf.layers.upSampling2d({ size: [r.int(1, 2), r.int(1, 2)] }) },
  // recurrent
  { cls: 'SimpleRNN', family: 'rnn', ranks: [2], make: (r) => tf.layers.simpleRNN(recurrentArgs(r)) },
  { cls: 'LSTM', family: 'rnn', ranks: [2], make: (r) => tf.layers.lstm(recurrentArgs(r)) },
  { cls: 'GRU', family: 'rnn', ranks: [2], make: (r) => tf.layers.gru(recurrentArgs(r)) },
  { cls: 'RNN', family: 'rnn', ranks: [2], make: (r) => tf.layers.rnn({ cell: cell(r), returnSequences: r.bool() }) },
  {
    cls: 'RNN(StackedRNNCells)',
    family: 'rnn',
    ranks: [2],
    make: (r) => tf.layers.rnn({ cell: tf.layers.stackedRNNCells({ cells: [cell(r), cell(r)] }), returnSequences: r.bool() }),
  },
  {
    cls: 'ConvLSTM2D',
    family: 'rnn',
    ranks: [4],
    make: (r, s) => {
      const { kernelSize, strides, padding: pad, useBias } = convArgs(r, s.slice(1), 2);
      return tf.layers.convLstm2d({
        filters: r.int(1, 3),
        kernelSize: kernelSize as number[],
        strides,
        padding: pad,
        useBias,
        returnSequences: r.bool(),
      });
    },
  },
  // wrappers
  {
    cls: 'Bidirectional',
    family: 'wrapper',
    ranks: [2],
    make: (r) =>
      tf.layers.bidirectional({ layer: recurrentLayer(r) as tf.RNN, mergeMode: r.pick(['concat', 'sum', 'mul', 'ave'] as const) }),
  },
  {
    cls: 'TimeDistributed',
    family: 'wrapper',
    ranks: [2, 3, 4],
    make: (r, s) => {
      const inner =
        s.length === 4 && r.bool()
          ? tf.layers.conv2d({ filters: r.int(1, 4), ...convArgs(r, s.slice(1), 2) })
          : s.length === 3 && r.bool()
            ? tf.layers.conv1d({ filters: r.int(1, 4), ...convArgs(r, s.slice(1), 1) })
            : tf.layers.dense({ units: r.int(1, 6), useBias: r.bool(0.8) });
      return tf.layers.timeDistributed({ layer: inner });
    },
  },
  // preprocessing
  {
    cls: 'Rescaling',
    family: 'preprocessing',
    ranks: ANY,
    make: (r) => tf.layers.rescaling({ scale: r.pick([1 / 255, 2]), offset: r.pick([0, -1]) }),
  },
  {
    cls: 'CenterCrop',
    family: 'preprocessing',
    ranks: [3],
    mutatesInputShape: true,
    make: (r, s) => tf.layers.centerCrop({ height: r.int(1, (s[0] as number | null) ?? 4), width: r.int(1, (s[1] as number | null) ?? 4) }),
  },
  // Not Resizing: TF.js 4.22's Resizing.computeOutputShape drops the batch axis ([h, w, input[2]]), so every
  // shape TF.js infers after it is wrong and the model would not be a valid Keras model.
  {
    cls: 'CategoryEncoding',
    family: 'preprocessing',
    ranks: [1],
    mutatesInputShape: true,
    make: (r, s) =>
      tf.layers.categoryEncoding({ numTokens: r.int(Math.max(2, last(s)), 10), outputMode: r.pick(['multiHot', 'count'] as const) }),
  },
];

/** Layers that join tensors (functional models only). */
export const MERGES = ['Add', 'Average', 'Maximum', 'Minimum', 'Multiply', 'Concatenate', 'Dot'] as const;

// ── the generator ────────────────────────────────────────────────────────────────────────────────────

export interface GenOptions {
  /** Families whose single layers may appear (default: all). */
  families?: Family[];
  /** Merges, shared layers, nested models, frozen layers (default true). */
  structure?: boolean;
  /** Layer steps on the main path (default 1–6). */
  maxSteps?: number;
}

export interface Generated {
  seed: number;
  model: tf.LayersModel;
  /** Class names of the layers the generator placed (wrapped and nested ones included). */
  classes: string[];
}

/** Elements per example above which a step is skipped, to keep models small and fast. */
const MAX_ELEMENTS = 4096;

function elements(s: Dims): number {
  return s.reduce<number>((a, b) => a * (b ?? 8), 1);
}

function shapeOf(t: tf.SymbolicTensor): Dims {
  return t.shape.slice(1) as Dims;
}

/** An input shape (without batch) of the given rank, small. */
function inputDims(r: Rng, rank: number): number[] {
  if (rank === 1) return [r.int(1, 12)];
  if (rank === 2) return [r.int(2, 6), r.int(1, 6)];
  if (rank === 3) return [r.int(3, 10), r.int(3, 10), r.int(1, 4)];
  return [r.int(2, 5), r.int(2, 6), r.int(2, 6), r.int(1, 3)];
}

class Builder {
  readonly classes: string[] = [];
  constructor(
    readonly r: Rng,
    readonly makers: Maker[],
    readonly structure: boolean,
  ) {}

  /** Applies `layer` to x; null (step skipped) when TF.js rejects it or the result is too big. */
  apply(layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[], cls: string): tf.SymbolicTensor | null {
    try {
      const y = layer.apply(x) as tf.SymbolicTensor;
      // The batch axis must stay first and unknown; anything else is a TF.js shape-inference slip.
      if (
        Array.isArray(y) ||
        y.shape[0] !== null ||
        elements(shapeOf(y)) > MAX_ELEMENTS ||
        shapeOf(y).some((d) => d === 0 || (d !== null && d < 0))
      )
        return null;
      if (this.structure && this.r.bool(0.1)) {
        layer.trainable = false;
        this.classes.push('(frozen)');
      }
      this.classes.push(cls);
      return y;
    } catch {
      return null;
    }
  }

  /** One random single layer that accepts x's rank. */
  single(x: tf.SymbolicTensor): tf.SymbolicTensor | null {
    const s = shapeOf(x);
    const fits = this.makers.filter((m) => m.ranks.includes(s.length));
    if (fits.length === 0) return null;
    const m = this.r.pick(fits);
    let layer: tf.layers.Layer;
    try {
      layer = m.make(this.r, s);
    } catch {
      return null;
    }
    return this.placeMaker(m, layer, x);
  }

  /** Applies a maker's layer, behind a throwaway Reshape when TF.js would corrupt x's shape. */
  placeMaker(m: Maker, layer: tf.layers.Layer, x: tf.SymbolicTensor): tf.SymbolicTensor | null {
    if (m.mutatesInputShape) {
      const s = shapeOf(x);
      if (s.some((d) => d === null)) return null;
      const guard = this.apply(tf.layers.reshape({ targetShape: s as number[] }), x, 'Reshape');
      if (!guard) return null;
      x = guard;
    }
    return this.apply(layer, x, m.cls);
  }

  /** Two branches from x joined by a merge layer. */
  merge(x: tf.SymbolicTensor): tf.SymbolicTensor | null {
    const r = this.r;
    const s = shapeOf(x);
    const kind = r.pick(MERGES);
    const units = r.int(1, 6);
    const dense = (u: number) => tf.layers.dense({ units: u, useBias: r.bool(0.8) });
    if (kind === 'Dot') {
      if (s.length !== 1) return null;
      const a = this.apply(dense(units), x, 'Dense');
      const b = this.apply(dense(units), x, 'Dense');
      if (!a || !b) return null;
      return this.apply(tf.layers.dot({ axes: -1, normalize: r.bool() }), [a, b], 'Dot');
    }
    if (kind === 'Concatenate') {
      const a = this.apply(dense(units), x, 'Dense');
      return a ? this.apply(tf.layers.concatenate({ axis: -1 }), [x, a], 'Concatenate') : null;
    }
    const a = this.apply(dense(last(s)), x, 'Dense');
    if (!a) return null;
    const inputs = r.bool() ? [x, a] : [x, a, this.apply(dense(last(s)), x, 'Dense') ?? a];
    const layer = {
      Add: () => tf.layers.add({}),
      Average: () => tf.layers.average({}),
      Maximum: () => tf.layers.maximum({}),
      Minimum: () => tf.layers.minimum({}),
      Multiply: () => tf.layers.multiply({}),
    }[kind]();
    return this.apply(layer, inputs, kind);
  }

  /** A shape-preserving layer called twice (shared weights). */
  shared(x: tf.SymbolicTensor): tf.SymbolicTensor | null {
    const layer = tf.layers.dense({ units: last(shapeOf(x)), useBias: this.r.bool(0.8) });
    const once = this.apply(layer, x, 'Dense');
    if (!once) return null;
    this.classes.push('(shared)');
    if (this.r.bool()) {
      try {
        return layer.apply(once) as tf.SymbolicTensor;
      } catch {
        return once;
      }
    }
    // Same layer on two branches, joined.
    try {
      const twice = layer.apply(x) as tf.SymbolicTensor;
      return this.apply(tf.layers.add({}), [once, twice], 'Add');
    } catch {
      return once;
    }
  }

  /** A nested Sequential or functional model of 1–3 random layers, applied as one layer. */
  nested(x: tf.SymbolicTensor, depth: number): tf.SymbolicTensor | null {
    const r = this.r;
    const s = shapeOf(x);
    if (s.some((d) => d === null)) return null;
    const dims = s as number[];
    const placed: string[] = [];
    let model: tf.LayersModel;
    try {
      if (r.bool()) {
        const seq = tf.sequential();
        seq.add(tf.layers.inputLayer({ inputShape: dims }));
        for (let i = r.int(1, 3); i > 0; i--) {
          const cur = shapeOf(seq.outputs[0] as tf.SymbolicTensor);
          const fits = this.makers.filter((m) => m.ranks.includes(cur.length));
          if (fits.length === 0) break;
          const m = r.pick(fits);
          if (m.mutatesInputShape) seq.add(tf.layers.reshape({ targetShape: cur as number[] }));
          seq.add(m.make(r, cur)); // a rejected layer abandons the whole nested model (catch below)
          placed.push(m.cls);
          if (elements(shapeOf(seq.outputs[0] as tf.SymbolicTensor)) > MAX_ELEMENTS) return null;
        }
        if (seq.layers.length === 0) return null;
        if (r.bool(0.3)) (seq.layers[r.int(0, seq.layers.length - 1)] as tf.layers.Layer).trainable = false;
        model = seq;
        placed.push('Sequential');
      } else {
        const inner = tf.input({ shape: dims });
        let y: tf.SymbolicTensor = inner;
        for (let i = r.int(1, 3); i > 0; i--) y = this.step(y, depth + 1) ?? y;
        if (y === inner) return null;
        model = tf.model({ inputs: inner, outputs: y });
        placed.push('Functional');
      }
      // Not `model.trainable = false`: TF.js freezes a nested model's weights without writing it to the JSON,
      // so a file could not carry it. Frozen layers inside nested models are covered (their flag is saved).
      const out = model.apply(x) as tf.SymbolicTensor;
      if (elements(shapeOf(out)) > MAX_ELEMENTS) return null;
      this.classes.push(...placed);
      return out;
    } catch {
      return null;
    }
  }

  step(x: tf.SymbolicTensor, depth = 0): tf.SymbolicTensor | null {
    if (!this.structure) return this.single(x);
    const p = this.r.float();
    if (p < 0.12) return this.merge(x);
    if (p < 0.18) return this.shared(x);
    if (p < 0.25 && depth < 2) return this.nested(x, depth);
    return this.single(x);
  }
}

/**
 * A random valid model for `seed`, or null when TF.js rejects everything the seed led to. The first layer is
 * drawn from the allowed families so each family's input kinds get exercised.
 */
export function generateModel(seed: number, opts: GenOptions = {}): Generated | null {
  const r = new Rng(seed);
  const makers = opts.families ? CATALOGUE.filter((m) => opts.families!.includes(m.family)) : CATALOGUE;
  const b = new Builder(r, makers, opts.structure ?? true);
  const first = r.pick(makers);
  const useEmbedding = first.ranks.includes(2) && r.bool(0.1);
  const rank = r.pick(first.ranks);
  let input: tf.SymbolicTensor;
  let x: tf.SymbolicTensor;
  if (useEmbedding) {
    // Integer sequence → Embedding → [t, dim].
    input = tf.input({ shape: [r.int(2, 6)], dtype: 'int32' });
    const emb = b.apply(tf.layers.embedding({ inputDim: r.int(2, 20), outputDim: r.int(1, 6), maskZero: r.bool(0.3) }), input, 'Embedding');
    if (!emb) return null;
    x = emb;
  } else {
    input = tf.input({ shape: inputDims(r, rank) });
    x = input;
  }
  const firstLayer = (() => {
    try {
      return first.make(r, shapeOf(x));
    } catch {
      return null;
    }
  })();
  if (firstLayer && first.ranks.includes(shapeOf(x).length)) x = b.placeMaker(first, firstLayer, x) ?? x;
  const steps = r.int(1, opts.maxSteps ?? 6);
  for (let i = 0; i < steps; i++) x = b.step(x) ?? x;
  if (x === input) return null;
  try {
    const model = tf.model({ inputs: input, outputs: x });
    return { seed, model, classes: b.classes };
  } catch {
    return null;
  }
}
