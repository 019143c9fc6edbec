// One command-line run's settings, made by `main` from the command line (and the watchdog's hooks) and handed
// to each command: nothing about a run lives in module state, so two runs in one process never share it.
import type { BudgetName } from '../model/budgets.js';
import type { RemoteOptions } from '../node/remote.js';
import { type Limits, remoteOptions } from './limits.js';

/** What the watchdog asks of a run it starts on its own thread or in its worker. */
export interface RunHooks {
  /** Runs before the WebAssembly HDF5 library starts (the watchdog's thread refuses it by throwing). */
  isolation?: () => void;
  /** Called with each input an inspection opens (the watchdog names it when it stops the run). */
  onInput?: (file: string) => void;
  /** Standard input, already spooled to a private file by the watchdog (`-` reads it). */
  stdin?: { file: string; size: number };
}

export interface CliRun {
  limits: Limits;
  /** What every inspection of the run is given: its budgets and the watchdog's hooks. */
  load: Omit<RunHooks, 'stdin'> & { budgets: Partial<Record<BudgetName, number>>; remote: RemoteOptions };
  stdin?: RunHooks['stdin'];
}

export function cliRun(limits: Limits, hooks: RunHooks = {}): CliRun {
  const { stdin, ...load } = hooks;
  return {
    limits,
    load: { budgets: Object.fromEntries(limits.budgets), remote: remoteOptions(limits), ...load },
    ...(stdin ? { stdin } : {}),
  };
}
