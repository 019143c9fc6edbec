// Option parsers shared by the commands; a bad value is a usage error (exit 2).
import { InvalidArgumentError } from 'commander';

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
