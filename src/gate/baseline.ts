// The baseline file: a ModelSummary with a kind, a schema version and the kerascope version, written with a
// stable key order and one layer per line so that `git diff` on it reads like the change to the model.
import { InputError } from '../model/errors.js';
import { stringifyJson } from '../model/strings.js';
import { BASELINE_SCHEMA_VERSION, type Baseline, type LayerSummary, type ModelSummary } from './types.js';

export const BASELINE_KIND = 'kerascope-baseline';

export function makeBaseline(summary: ModelSummary, kerascopeVersion: string): Baseline {
  return { schemaVersion: BASELINE_SCHEMA_VERSION, kind: BASELINE_KIND, kerascopeVersion, ...summary };
}

function layerLine(l: LayerSummary): string {
  return stringifyJson({
    name: l.name,
    className: l.className,
    outputShape: l.outputShape,
    params: l.params,
    trainable: l.trainable,
    nonTrainable: l.nonTrainable,
    weights: l.weights.map((w) => ({ name: w.name, shape: w.shape })),
    inputs: l.inputs,
  });
}

/** Stable key order; totals, files and each layer on one line. Ends with a newline. */
export function serializeBaseline(b: Baseline): string {
  const t = b.totals;
  const head: [string, unknown][] = [
    ['schemaVersion', b.schemaVersion],
    ['kind', b.kind],
    ['kerascopeVersion', b.kerascopeVersion],
    ['file', b.file],
    ['format', b.format],
    ['model', b.model],
    ['kerasVersion', b.kerasVersion],
    ['sha256', b.sha256],
    ['architectureHash', b.architectureHash],
    [
      'totals',
      {
        params: t.params,
        trainable: t.trainable,
        nonTrainable: t.nonTrainable,
        stored: t.stored,
        storedBytes: t.storedBytes,
        diskBytes: t.diskBytes,
      },
    ],
  ];
  const lines = head.map(([k, v]) => `  ${stringifyJson(k)}: ${stringifyJson(v)},`);
  const list = (key: string, items: string[], last: boolean) =>
    `  "${key}": ${items.length ? `[\n${items.map((s) => `    ${s}`).join(',\n')}\n  ]` : '[]'}${last ? '' : ','}`;
  lines.push(
    list(
      'files',
      b.files.map((f) => stringifyJson({ path: f.path, bytes: f.bytes, sha256: f.sha256 })),
      false,
    ),
  );
  lines.push(
    list(
      'errors',
      b.errors.map((e) => stringifyJson({ code: e.code, layer: e.layer, message: e.message })),
      false,
    ),
  );
  lines.push(list('layers', b.layers.map(layerLine), true));
  return `{\n${lines.join('\n')}\n}\n`;
}

const isNum = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const isCount = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
const isNumOrNull = (x: unknown) => x === null || isCount(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStrOrNull = (x: unknown) => x === null || typeof x === 'string';
const isShape = (x: unknown) => Array.isArray(x) && x.every((d) => d === null || (Number.isInteger(d) && (d as number) >= 0));
const isOutputShape = (x: unknown) => x === null || isShape(x) || (Array.isArray(x) && x.length > 0 && x.every(isShape));

/**
 * Reads a baseline. A file from another schema version is refused with a message saying what to do, never
 * read as if it were this version; so is anything that is not a baseline or lacks a field the gate uses.
 */
export function parseBaseline(text: string, file: string): Baseline {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(file, `baseline is not valid JSON (${(e as Error).message})`);
  }
  if (!isObj(doc) || doc.kind !== BASELINE_KIND) {
    throw new InputError(
      file,
      `not a kerascope baseline (no "kind": "${BASELINE_KIND}"); record one with \`kerascope baseline MODEL -o ${file}\``,
    );
  }
  const v = doc.schemaVersion;
  if (v !== BASELINE_SCHEMA_VERSION && v !== 1) {
    const made = typeof doc.kerascopeVersion === 'string' ? ` by kerascope ${doc.kerascopeVersion}` : '';
    if (typeof v === 'number' && v < 1) {
      throw new InputError(
        file,
        `baseline schema version ${v} (written${made}) is older than the versions this kerascope reads (1, ${BASELINE_SCHEMA_VERSION}); re-record it with \`kerascope baseline MODEL -o ${file} --force\``,
      );
    }
    if (typeof v === 'number' && v > BASELINE_SCHEMA_VERSION) {
      throw new InputError(
        file,
        `baseline schema version ${v} (written${made}) is newer than the version this kerascope reads (${BASELINE_SCHEMA_VERSION}); upgrade kerascope`,
      );
    }
    throw new InputError(file, `baseline has no valid schemaVersion (expected ${BASELINE_SCHEMA_VERSION})`);
  }
  // Version 1 did not record the model's name.
  if (v === 1) doc.model = null;
  else if (!isStrOrNull(doc.model)) throw new InputError(file, 'baseline field model is missing or has the wrong type');
  const bad = (what: string) => new InputError(file, `baseline field ${what} is missing or has the wrong type`);
  const t = doc.totals;
  if (!isObj(t)) throw bad('totals');
  for (const k of ['params', 'stored', 'diskBytes']) if (!isCount(t[k])) throw bad(`totals.${k}`);
  if (!isNum(t.storedBytes)) throw bad('totals.storedBytes');
  for (const k of ['trainable', 'nonTrainable']) if (!isNumOrNull(t[k])) throw bad(`totals.${k}`);
  for (const k of ['file', 'format', 'architectureHash']) if (typeof doc[k] !== 'string') throw bad(k);
  if (!Array.isArray(doc.layers)) throw bad('layers');
  doc.layers.forEach((l, i) => {
    if (
      !isObj(l) ||
      typeof l.name !== 'string' ||
      !isStrOrNull(l.className) ||
      !isCount(l.params) ||
      !isNumOrNull(l.trainable) ||
      !isNumOrNull(l.nonTrainable) ||
      !isOutputShape(l.outputShape) ||
      !Array.isArray(l.weights) ||
      !l.weights.every((w) => isObj(w) && typeof w.name === 'string' && isShape(w.shape)) ||
      !Array.isArray(l.inputs) ||
      !l.inputs.every((x) => typeof x === 'string')
    ) {
      throw bad(`layers[${i}]`);
    }
  });
  if (
    !Array.isArray(doc.errors) ||
    !doc.errors.every((e) => isObj(e) && typeof e.code === 'string' && isStrOrNull(e.layer) && typeof e.message === 'string')
  )
    throw bad('errors');
  if (!Array.isArray(doc.files)) throw bad('files');
  return doc as unknown as Baseline;
}

/** The file name a path ends in (either separator): what identifies a model across checkouts. */
const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

/**
 * Why the model is not the one the baseline was recorded for, or null when it is: another format, or both
 * another file name and another model name (one of the two may change: a renamed file, a regenerated name).
 */
export function identityMismatch(baseline: Baseline, current: ModelSummary): string | null {
  const describe = (m: ModelSummary) => `${baseName(m.file)} (${m.format}${m.model !== null ? `, model "${m.model}"` : ''})`;
  const sameFile = baseName(baseline.file) === baseName(current.file);
  const sameName = baseline.model !== null && baseline.model === current.model;
  if (baseline.format === current.format && (sameFile || sameName)) return null;
  return `the baseline was recorded for ${describe(baseline)}, not for ${describe(current)}: check the model it was recorded for, or pass --update to record this one`;
}
