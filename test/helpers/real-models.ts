// Locates ../shared/models (real third-party models, never copied into the repo). Under CI they must be
// there; elsewhere tests that need them skip with a printed reason.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MODELS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'models');

export interface ExpectedLayer {
  name: string;
  className: string | null;
  stored: number;
  params?: number | null;
  trainable?: number | null;
  nonTrainable?: number | null;
}

export interface ExpectedModel {
  id: string;
  format: string;
  kerasVersion: string | null;
  files: string[];
  totals: {
    stored: number;
    storedTensors: number;
    optimizerStored: number;
    /** SavedModels: compiled-metric values (`keras_api/metrics/…`), apart from stored and optimizer. */
    metricsStored?: number;
    params: number | null;
    trainable: number | null;
    nonTrainable: number | null;
  };
  layers: ExpectedLayer[];
  notes: string[];
}

/**
 * The one line printed (or, under CI=true, thrown) when a real model the tests need is absent: which file is
 * missing and what is skipped because of it.
 */
function missing(file: string, skipped: string): void {
  const line = `${skipped}: ${file} is missing (real models live beside the project in ../shared/models)`;
  if (process.env.CI === 'true') throw new Error(`real models are required under CI=true, but ${line}`);
  console.warn(`skipping ${line}`);
}

/** EXPECTED.json's models, or null (after one printed line; an error under CI=true) when it is absent. */
export function realModels(skipped = 'real-model tests'): ExpectedModel[] | null {
  const file = path.join(MODELS_DIR, 'EXPECTED.json');
  if (!fs.existsSync(file)) {
    missing(file, skipped);
    return null;
  }
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { models: ExpectedModel[] }).models;
}

/**
 * The absolute paths of real model files (relative to ../shared/models), or null when any is absent: one
 * printed line names the first missing file and what is skipped (`skipped`); under CI=true that is an error.
 */
export function realModelFiles(skipped: string, ...files: string[]): string[] | null {
  const full = files.map((f) => path.join(MODELS_DIR, f));
  const absent = full.find((f) => !fs.existsSync(f));
  if (absent === undefined) return full;
  missing(absent, skipped);
  return null;
}

/** The TensorFlow SavedModel directories, listed apart under `savedModels` (null when ../shared is absent). */
export function realSavedModels(): ExpectedModel[] | null {
  const file = path.join(MODELS_DIR, 'EXPECTED.json');
  if (!fs.existsSync(file)) return realModels();
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { savedModels?: ExpectedModel[] }).savedModels ?? [];
}

/** The CLI arguments that inspect a model entry: `[main]` or `[arch.json, '--weights', w.h5]`. */
export function inspectArgs(m: ExpectedModel): { file: string; weights?: string } {
  const files = m.files.map((f) => path.join(MODELS_DIR, f));
  // A TensorFlow SavedModel is its folder (files[0] is the folder's saved_model.pb).
  if (m.format === 'savedmodel') return { file: path.dirname(files.find((f) => path.basename(f) === 'saved_model.pb') ?? files[0]!) };
  const arch = files.find((f) => f.endsWith('.json') && path.basename(f) !== 'model.json');
  const weights = files.find((f) => f.endsWith('.h5'));
  if (arch && weights) return { file: arch, weights };
  return { file: files.find((f) => path.basename(f) === 'model.json') ?? files[0]! };
}
