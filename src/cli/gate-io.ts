// The Node side of the CI gate: reading models into summaries, hashing files, reading baselines, writing
// them atomically (temp file + rename in the same folder), and the option parsers for budgets.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { CONFIG_FILE, type GateEntry, parseBaseline, parseGateConfig, summarize, type Baseline, type ModelSummary } from '../gate/index.js';
import { parseBytes, parseCount, parseGrowth, type Growth } from '../gate/units.js';
import { inspectModel } from '../node/inspect.js';
import { sha256File } from '../node/sha256.js';
import { VERSION } from '../version.js';
import { InputError } from '../model/errors.js';
import type { Report, Severity } from '../model/types.js';
import { isTerminal } from './stdio.js';
import type { CliRun } from './run.js';

export interface Loaded {
  report: Report;
  summary: ModelSummary;
}

/**
 * inspect() the model, keep its layer graph (for the architecture hash), and measure its files; SHA-256 them
 * only when the result is written to a baseline (`hash`), since hashing costs a full read of the weights.
 */
export async function loadSummary(
  run: CliRun,
  file: string,
  weights?: string,
  { hash = false, failOn }: { hash?: boolean; failOn?: Severity } = {},
): Promise<Loaded> {
  const { report, graph } = await inspectModel(file, { ...run.load, weights });
  const files = [];
  for (const f of report.files.filter((x) => x.present)) {
    let sha: string | null = null;
    try {
      if (hash) sha = await sha256File(f.path);
    } catch {
      // A file inside an archive or otherwise not addressable on its own: its bytes still count.
    }
    files.push({ path: f.path, bytes: f.bytes, sha256: sha });
  }
  return { report, summary: await summarize({ report, graph, files, failOn }) };
}

export function kerascopeVersion(): string {
  return VERSION;
}

/**
 * A small text file the gate reads (a baseline, a config): one line naming the file when it is missing (with
 * `missing`, what to do), a folder, larger than `maxBytes`, or unreadable.
 */
function readText(file: string, what: string, missing: string, maxBytes = Number.POSITIVE_INFINITY): string {
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new InputError(file, `is a directory, not ${what}`);
    if (st.size > maxBytes) throw new InputError(file, `is ${st.size} bytes; ${what} is at most ${maxBytes >> 20} MiB`);
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new InputError(file, err.code === 'ENOENT' ? `no such file${missing}` : `cannot read ${what} (${err.code ?? err.message})`);
  }
}

/** The entries of a config file, with their paths resolved against the file's folder. */
export function readGateConfig(file: string): GateEntry[] {
  const text = readText(
    file,
    'a kerascope config',
    `: give a model (kerascope check MODEL --max-params 25M), or list your models in ${CONFIG_FILE} (docs/gate.md)`,
    1 << 20,
  );
  const dir = path.dirname(file);
  const at = (p: string | null) => (p === null ? null : path.isAbsolute(p) ? p : path.join(dir, p));
  return parseGateConfig(text, file).map((e) => ({ ...e, model: at(e.model)!, weights: at(e.weights), baseline: at(e.baseline) }));
}

export function readBaseline(file: string): Baseline {
  return parseBaseline(readText(file, 'a baseline file', ' (record a baseline first: `kerascope baseline MODEL -o FILE`)'), file);
}

/**
 * Writes `text` to `file` through a temp file in the same folder and a rename, so a reader never sees half a
 * file. Refuses to replace an existing file unless `overwrite`. The temp file is removed on every failure.
 */
export function writeAtomic(file: string, text: string, overwrite: boolean, what = 'the baseline'): void {
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new InputError(file, `is a directory: give a file name for ${what}`);
  if (!overwrite && fs.existsSync(file)) throw new InputError(file, 'already exists: pass --force to overwrite it');
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(
    dir,
    `.${path.basename(file)}.${process.pid}.${globalThis.crypto.getRandomValues(new Uint32Array(1))[0]!.toString(16)}.tmp`,
  );
  try {
    fs.writeFileSync(tmp, text, { flag: 'wx' });
    if (!overwrite && fs.existsSync(file)) throw new InputError(file, 'already exists: pass --force to overwrite it');
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    if (e instanceof InputError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new InputError(file, `cannot write ${what} (${err.code ?? err.message})`);
  }
}

const wrap =
  <T>(fn: (s: string) => T) =>
  (s: string): T => {
    try {
      return fn(s);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };

export const countOption = wrap((s) => ({ text: s, value: parseCount(s) }));
export const bytesOption = wrap((s) => ({ text: s, value: parseBytes(s) }));
export const growthOption = wrap((s): Growth => parseGrowth(s));

/** Colours only on a terminal (and never with NO_COLOR set). */
export const useColor = () => isTerminal(1) && !process.env.NO_COLOR;
