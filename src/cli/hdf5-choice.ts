// `--hdf5 typescript|h5wasm`: which HDF5 reader a run uses, taken off the command line before the commands see
// it (it may stand before or after the command). The choice travels as KERASCOPE_HDF5, the environment switch
// the Node entry reads (src/node/inspect.ts), so that every command that reads a model, the watchdog's worker
// and `scan`'s workers all see it. The default is the TypeScript reader; h5wasm runs only when chosen, and
// then only in the watchdog's worker (see watchdog.ts).
import { UsageError } from './limits.js';

export type Hdf5Choice = 'typescript' | 'h5wasm';

const CHOICES: readonly Hdf5Choice[] = ['typescript', 'h5wasm'];

/** Splits `--hdf5 X` / `--hdf5=X` off `argv` (the last one wins); a missing or unknown value is a UsageError. */
export function takeHdf5Choice(argv: string[]): { argv: string[]; hdf5: Hdf5Choice | null } {
  const rest: string[] = [];
  let hdf5: Hdf5Choice | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--hdf5(?:=(.*))?$/.exec(a);
    if (!m) {
      rest.push(a);
      continue;
    }
    const value = m[1] ?? argv[++i];
    if (value === undefined || !(CHOICES as readonly string[]).includes(value))
      throw new UsageError(`--hdf5 takes one of: ${CHOICES.join(', ')}`);
    hdf5 = value as Hdf5Choice;
  }
  return { argv: rest, hdf5 };
}

/** The reader a run uses: `--hdf5` on the command line, else KERASCOPE_HDF5, else the TypeScript reader. */
export function hdf5Choice(argv: string[], env: string | undefined): Hdf5Choice {
  const taken = takeHdf5Choice(argv).hdf5;
  if (taken) return taken;
  return env === 'h5wasm' ? 'h5wasm' : 'typescript';
}
