// Keras 3 preprocessing layers added after the first table: augmentation, audio spectrograms, Pipeline.
// Facts from keras/src/layers/preprocessing: augmentation layers own only a SeedGenerator (not a weight) and keep
// the input shape; STFTSpectrogram builds real_kernel then imag_kernel, each (frame_length, 1, fft_length // 2 + 1).
import { describe, expect, it } from 'vitest';
import { described, run } from './expect-tfjs.js';

const img = [null, 32, 30, 3];

describe('Keras 3 augmentation layers by hand: no weights, shape kept', () => {
  const sameShape = [
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
  ];
  for (const name of sameShape) {
    it(`${name}: (None, 32, 30, 3) stays (None, 32, 30, 3), no variables`, () => {
      const r = run(name, { seed: null, value_range: [0, 255] }, img);
      expect(r.note).toBeNull();
      expect(r.vars).toEqual([]);
      expect(r.outputShape).toEqual(img);
    });
  }

  it("'RandomResizedCrop' to 24 x 20: (None, 32, 30, 3) -> (None, 24, 20, 3); channels_first moves the axes", () => {
    expect(run('RandomResizedCrop', { height: 24, width: 20 }, img).outputShape).toEqual([null, 24, 20, 3]);
    expect(run('RandomResizedCrop', { height: 24, width: 20, data_format: 'channels_first' }, [null, 3, 32, 30]).outputShape).toEqual([
      null,
      3,
      24,
      20,
    ]);
    expect(run('RandomResizedCrop', { height: 24, width: 20 }, img).vars).toEqual([]);
  });
});

describe('lookup aliases and tf.keras experimental names', () => {
  it("'IndexLookup' behaves as StringLookup: int keeps (None, 4), multi_hot padded to 20 gives (None, 20)", () => {
    expect(run('IndexLookup', { output_mode: 'int' }, [null, 4]).outputShape).toEqual([null, 4]);
    expect(run('IndexLookup', { output_mode: 'multi_hot', max_tokens: 20, pad_to_max_tokens: true }, [null, 4]).outputShape).toEqual([
      null,
      20,
    ]);
  });

  it("'CategoryCrossing' has no weights and an uninferred (sparse) output", () => {
    const r = run('CategoryCrossing', { depth: null }, [null, 1], [null, 1]);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toBeNull();
    expect(r.note).toMatch(/sparse or ragged/);
  });
});

describe("'MelSpectrogram' by hand (Keras compute_output_shape)", () => {
  it('(None, 16000), stride 128, 80 bins: frames = (16000 + 128 + 1) // 128 = 126', () => {
    const r = run('MelSpectrogram', { num_mel_bins: 80, sequence_stride: 128, fft_length: 2048 }, [null, 16000]);
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual([null, 80, 126]);
  });
  it('defaults (128 bins, stride 512) on (None, 8000): (8000 + 513) // 512 = 16; unknown length stays unknown', () => {
    expect(run('MelSpectrogram', {}, [null, 8000]).outputShape).toEqual([null, 128, 16]);
    expect(run('MelSpectrogram', {}, [null, null]).outputShape).toEqual([null, 128, null]);
  });
});

describe("'STFTSpectrogram' by hand", () => {
  it('frame 256, fft 512, log mode on (None, 160000, 1): real + imag kernels (256, 1, 257); 1249 frames valid', () => {
    // bins = 512 // 2 + 1 = 257; valid frames = floor((160000 - 256) / 128) + 1 = 1248 + 1 = 1249
    const r = run('STFTSpectrogram', { mode: 'log', frame_length: 256, frame_step: 128, fft_length: 512, padding: 'valid' }, [
      null,
      160000,
      1,
    ]);
    expect(described(r)).toEqual([
      ['real_kernel', [256, 1, 257], true],
      ['imag_kernel', [256, 1, 257], true],
    ]);
    expect(r.outputShape).toEqual([null, 1249, 257]);
  });

  it('same padding on 2 channels: ceil(160000 / 128) = 1250 frames, 2 * 257 = 514 features', () => {
    const r = run('STFTSpectrogram', { frame_length: 256, frame_step: 128, fft_length: 512, padding: 'same' }, [null, 160000, 2]);
    expect(r.outputShape).toEqual([null, 1250, 514]);
  });

  it('expand_dims on 3 channels: (None, 1250, 257, 3); channels_first: (None, 3, 1250, 257)', () => {
    const cfg = { frame_length: 256, frame_step: 128, fft_length: 512, padding: 'same', expand_dims: true };
    expect(run('STFTSpectrogram', cfg, [null, 160000, 3]).outputShape).toEqual([null, 1250, 257, 3]);
    expect(run('STFTSpectrogram', { ...cfg, data_format: 'channels_first' }, [null, 3, 160000]).outputShape).toEqual([null, 3, 1250, 257]);
  });

  it('mode real keeps only real_kernel, mode imag only imag_kernel; default fft = next power of two of 200 = 256 -> 129 bins', () => {
    expect(described(run('STFTSpectrogram', { mode: 'real', frame_length: 200 }, [null, 1000, 1]))).toEqual([
      ['real_kernel', [200, 1, 129], true],
    ]);
    expect(described(run('STFTSpectrogram', { mode: 'imag', frame_length: 200 }, [null, 1000, 1]))).toEqual([
      ['imag_kernel', [200, 1, 129], true],
    ]);
  });

  it('mode stft doubles the bins: 2 * 129 = 258; default step 200 // 2 = 100, valid frames floor((1000 - 200) / 100) + 1 = 9', () => {
    expect(run('STFTSpectrogram', { mode: 'stft', frame_length: 200 }, [null, 1000, 1]).outputShape).toEqual([null, 9, 258]);
  });

  it('weights need no input shape: known from the config alone', () => {
    expect(described(run('STFTSpectrogram', { frame_length: 64, fft_length: 64 }, null))).toEqual([
      ['real_kernel', [64, 1, 33], true],
      ['imag_kernel', [64, 1, 33], true],
    ]);
  });
});

describe("'Pipeline' by hand", () => {
  const layer = (class_name: string, config: Record<string, unknown>) => ({ class_name, config });

  it('augmentation then crop: no weights; (None, 32, 30, 3) -> RandomFlip -> CenterCrop 16 x 16 = (None, 16, 16, 3)', () => {
    const r = run(
      'Pipeline',
      { layers: [layer('RandomFlip', { name: 'flip' }), layer('CenterCrop', { name: 'crop', height: 16, width: 16 })] },
      img,
    );
    expect(r.vars).toEqual([]);
    expect(r.outputShape).toEqual([null, 16, 16, 3]);
  });

  it('an adapted Normalization inside: mean (3) + variance (3) + count () under its name', () => {
    const r = run('Pipeline', { layers: [layer('Normalization', { name: 'norm', axis: -1 }), layer('RandomFlip', { name: 'flip' })] }, img);
    expect(described(r)).toEqual([
      ['norm/mean', [3], false],
      ['norm/variance', [3], false],
      ['norm/count', [], false],
    ]);
    expect(r.outputShape).toEqual(img);
  });

  it('an unknown class inside leaves the Pipeline unverified', () => {
    const r = run('Pipeline', { layers: [layer('MyCustomAug', { name: 'c' })] }, img);
    expect(r.vars).toBeNull();
  });
});
