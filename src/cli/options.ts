// Options the commands share, declared once; a bad value is a usage error (exit 2).
import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULT_FAIL_ON, SEVERITIES, type Severity } from '../model/findings.js';

/** `--fail-on LEVEL`: findings at or above it exit 1. */
export function parseSeverity(value: string): Severity {
  if (!(SEVERITIES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of: ${SEVERITIES.join(', ')}`);
  return value as Severity;
}

/** Adds `--fail-on LEVEL` (default `high`). */
export function failOnOption(cmd: Command, what = 'a finding'): Command {
  return cmd.option(
    '--fail-on <level>',
    `exit 1 on ${what} at or above this severity: ${SEVERITIES.join(', ')}`,
    parseSeverity,
    DEFAULT_FAIL_ON,
  );
}

export function parseFormat(allowed: string[]) {
  return (value: string): string => {
    if (!allowed.includes(value)) throw new InvalidArgumentError(`expected one of: ${allowed.join(', ')}`);
    return value;
  };
}

export function parseDepth(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new InvalidArgumentError('expected a whole number from 0 to 64');
  return n;
}

/** What every command that reads one model takes. */
export interface ModelOptions {
  weights?: string;
  manifestOnly?: boolean;
  format: string;
}

/**
 * The model argument and the options that say how to read it, plus `--format` with the given choices.
 * `many`: the command takes several files (`-` is standard input).
 */
export function modelCommand(cmd: Command, formats: string[], many = false): Command {
  return cmd
    .argument(
      many ? '<file...>' : '<file>',
      `model file: .h5/.hdf5, .keras, TF.js model.json, or an architecture .json; or an https:// URL or hf://owner/repo[@revision][/path]${many ? ' (several allowed; - reads standard input)' : ''}`,
    )
    .option('-w, --weights <file>', 'weights to pair with an architecture JSON (HDF5, or a Keras 3 .weights.json sharding index)')
    .option('-f, --format <format>', `output format: ${formats.join(', ')}`, parseFormat(formats), formats[0])
    .option('--manifest-only', 'TF.js: read model.json without checking its shard files')
    .option('--debug', 'print a stack trace with an error');
}

export function parseWidth(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 20 || n > 1000) throw new InvalidArgumentError('expected a whole number of columns from 20 to 1000');
  return n;
}
