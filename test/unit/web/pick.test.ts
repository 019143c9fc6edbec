// Which dropped file the page opens first: what `kerascope inspect` would be given for the same files.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/model/errors.js';
import { dropName, pickModel } from '../../../src/web/pick.js';

describe('pickModel', () => {
  it('a TF.js model.json with its shards', () => {
    expect(pickModel(['m/group1-shard1of2.bin', 'm/model.json', 'm/group1-shard2of2.bin'])).toEqual({ main: 'm/model.json' });
  });

  it('a TensorFlow SavedModel folder: its saved_model.pb, even with a vocabulary JSON in assets/', () => {
    const folder = [
      'sm/saved_model.pb',
      'sm/keras_metadata.pb',
      'sm/variables/variables.index',
      'sm/variables/variables.data-00000-of-00001',
      'sm/assets/vocab.json',
    ];
    expect(pickModel(folder)).toEqual({ main: 'sm/saved_model.pb' });
  });

  it('a .keras archive, alone or beside other files', () => {
    expect(pickModel(['model.keras'])).toEqual({ main: 'model.keras' });
    expect(pickModel(['README.md', 'model.keras'])).toEqual({ main: 'model.keras' });
  });

  it('an architecture JSON with its one weights file, as --weights', () => {
    expect(pickModel(['KERAS_3layer_weights.h5', 'KERAS_3layer.json'])).toEqual({
      main: 'KERAS_3layer.json',
      weights: 'KERAS_3layer_weights.h5',
    });
    expect(pickModel(['a.json', 'a.weights.json', 'a_00000.weights.h5', 'a_00001.weights.h5'])).toEqual({ main: 'a.json' });
    expect(pickModel(['a.json', 'a.weights.json'])).toEqual({ main: 'a.json', weights: 'a.weights.json' });
  });

  it('an architecture JSON alone, or with several weights files (the loader pairs by name, as the CLI does)', () => {
    expect(pickModel(['arch.json'])).toEqual({ main: 'arch.json' });
    expect(pickModel(['arch.json', 'arch_weights.h5', 'other.h5'])).toEqual({ main: 'arch.json' });
  });

  it('an HDF5 file; pieces of an unzipped .keras are not architectures', () => {
    expect(pickModel(['x/model.hdf5'])).toEqual({ main: 'x/model.hdf5' });
    expect(pickModel(['config.json', 'metadata.json', 'model.weights.h5'])).toEqual({ main: 'model.weights.h5' });
  });

  it('one file of any name is read (its bytes decide)', () => {
    expect(pickModel(['weights.bin'])).toEqual({ main: 'weights.bin' });
  });

  it('several models, or none, is a one-line error naming the drop', () => {
    const err = (paths: string[]) => {
      try {
        pickModel(paths);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return `${(e as InputError).file}: ${(e as InputError).message}`;
      }
      return null;
    };
    expect(err(['d/a.h5', 'd/b.h5'])).toBe('d: several HDF5 files (d/a.h5, d/b.h5): drop one model at a time');
    expect(err(['a/model.json', 'b/model.json'])).toBe(
      '2 files: several model.json files (a/model.json, b/model.json): drop one model at a time',
    );
    expect(err(['a.txt', 'b.txt'])).toBe(
      '2 files: no model file among the dropped files (.h5, .keras, model.json, saved_model.pb, or an architecture .json)',
    );
    expect(err([])).toBe('(nothing): no file was dropped');
  });

  it('names a drop by its file or its folder', () => {
    expect(dropName(['a.h5'])).toBe('a.h5');
    expect(dropName(['m/model.json', 'm/shard'])).toBe('m');
    expect(dropName(['x.json', 'y.h5'])).toBe('2 files');
  });
});
