// `.kerascope.json`: the gate's configuration, one entry per model, as size-limit reads `.size-limit.json`.
//   [ { "name": "classifier", "model": "models/classifier.keras", "baseline": "kerascope.baseline.json",
//       "maxGrowth": "2%", "maxParams": "25M", "maxTrainable": "20M", "maxBytes": "100MB" } ]
// Pure: text in, entries out (paths exactly as written; the front end resolves them against the file's folder).
// Budgets are strings with their unit, parsed by units.ts; a bare JSON number is refused as on the command line.
import { InputError } from '../model/errors.js';
import type { Budgets } from './check.js';
import { parseBytes, parseCount, parseGrowth } from './units.js';

export const CONFIG_FILE = '.kerascope.json';

/** One model the gate checks, as the config file writes it. */
export interface GateEntry {
  /** What the output calls it: `name`, else the model path. */
  name: string;
  model: string;
  weights: string | null;
  baseline: string | null;
  budgets: Budgets;
}

const KEYS = ['name', 'model', 'weights', 'baseline', 'maxGrowth', 'maxParams', 'maxTrainable', 'maxBytes'] as const;
/** More entries than any project gates; a config past it is refused rather than run for hours. */
const MAX_ENTRIES = 1000;

type Raw = Record<string, unknown>;

function text(o: Raw, key: string, where: string, file: string): string | null {
  if (!Object.hasOwn(o, key) || o[key] === null || o[key] === undefined) return null;
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') throw new InputError(file, `${where}: "${key}" must be a non-empty string`);
  return v;
}

function budget<T>(o: Raw, key: string, where: string, file: string, parse: (s: string) => T): T | undefined {
  const v = Object.hasOwn(o, key) ? o[key] : undefined;
  // A JSON number is parsed as the same text on a command line would be, so it gets the same sentence.
  const s = typeof v === 'number' ? String(v) : text(o, key, where, file);
  if (s === null) return undefined;
  try {
    return parse(s);
  } catch (e) {
    throw new InputError(file, `${where}: "${key}": ${(e as Error).message}`);
  }
}

/** The entries of a `.kerascope.json`; every mistake is an InputError naming the entry and the key. */
export function parseGateConfig(source: string, file: string): GateEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(source);
  } catch (e) {
    throw new InputError(file, `not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(doc)) {
    throw new InputError(file, 'a kerascope config is a JSON array of entries, e.g. [{ "model": "model.keras", "maxParams": "25M" }]');
  }
  if (doc.length === 0)
    throw new InputError(file, 'has no entries: add one per model, e.g. [{ "model": "model.keras", "maxParams": "25M" }]');
  if (doc.length > MAX_ENTRIES) throw new InputError(file, `has ${doc.length} entries; at most ${MAX_ENTRIES} are read`);
  const names = new Set<string>();
  return doc.map((item, i) => {
    const where = `entry ${i + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new InputError(file, `${where} is not an object`);
    const o = item as Raw;
    const unknown = Object.keys(o).filter((k) => !(KEYS as readonly string[]).includes(k));
    if (unknown.length) {
      throw new InputError(file, `${where}: unknown key ${JSON.stringify(unknown[0])} (the keys are ${KEYS.join(', ')})`);
    }
    const model = text(o, 'model', where, file);
    if (model === null) throw new InputError(file, `${where} has no "model": the path of the model file, relative to ${file}`);
    const baseline = text(o, 'baseline', where, file);
    const budgets: Budgets = {
      growth: budget(o, 'maxGrowth', where, file, parseGrowth),
      maxParams: budget(o, 'maxParams', where, file, (s) => ({ text: s, value: parseCount(s) })),
      maxTrainable: budget(o, 'maxTrainable', where, file, (s) => ({ text: s, value: parseCount(s) })),
      maxBytes: budget(o, 'maxBytes', where, file, (s) => ({ text: s, value: parseBytes(s) })),
    };
    if (budgets.growth && !baseline) throw new InputError(file, `${where}: "maxGrowth" needs a "baseline" (the size to grow from)`);
    if (!baseline && !budgets.maxParams && !budgets.maxTrainable && !budgets.maxBytes) {
      throw new InputError(file, `${where}: nothing to check: give "baseline" and/or a budget (maxParams, maxTrainable, maxBytes)`);
    }
    const name = text(o, 'name', where, file) ?? model;
    if (names.has(name)) throw new InputError(file, `${where}: another entry is already named ${JSON.stringify(name)}; give each a "name"`);
    names.add(name);
    return { name, model, weights: text(o, 'weights', where, file), baseline, budgets };
  });
}
