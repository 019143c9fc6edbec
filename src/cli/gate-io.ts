// The Node side of the CI gate: reading models into summaries, hashing files, reading baselines, writing
// them atomically (temp file + rename in the same folder), and the option parsers for budgets.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { parseBaseline, summarize, type Baseline, type ModelSummary } from '../gate/index.js';
import { parseBytes, parseCount, parseGrowth, type Growth } from '../gate/units.js';
import { inspectModel } from '../node/inspect.js';
import { VERSION } from '../version.js';
import { InputError } from '../model/errors.js';
import type { Report } from '../model/types.js';
import { isTerminal } from './stdio.js';
import { remoteOptions } from './limits.js';

export interface Loaded {
  report: Report;
  summary: ModelSummary;
}

async function sha256File(file: string): Promise<string> {
  // Loaded here, not at start-up: only a baseline written with hashes needs it.
  const { createHash } = await import('node:crypto');
  const h = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * inspect() the model, keep its layer graph (for the architecture hash), and measure its files; SHA-256 them
 * only when the result is written to a baseline (`hash`), since hashing costs a full read of the weights.
 */
export async function loadSummary(file: string, weights?: string, { hash = false }: { hash?: boolean } = {}): Promise<Loaded> {
  const { report, graph } = await inspectModel(file, { weights, remote: remoteOptions() });
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
  return { report, summary: await summarize({ report, graph, files }) };
}

export function kerascopeVersion(): string {
  return VERSION;
}

function readText(file: string): string {
  try {
    if (fs.statSync(file).isDirectory()) throw new InputError(file, 'is a directory, not a baseline file');
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new InputError(
      file,
      err.code === 'ENOENT'
        ? 'no such file (record a baseline first: `kerascope baseline MODEL -o FILE`)'
        : `cannot read the baseline (${err.code ?? err.message})`,
    );
  }
}

export function readBaseline(file: string): Baseline {
  return parseBaseline(readText(file), file);
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
