import { parseCliNumber } from '@selfsup/runtime/node';
import { UsageError } from './cli-args';

/**
 * The value of an integer flag such as `--threads` (strict: `0x8`, `1.5`, blank are
 * refused), or `fallback` when the flag was not given; < 1 or not an integer is a UsageError.
 */
export function positiveIntegerFlag<F extends number | undefined>(
  flag: string,
  value: unknown,
  fallback: F,
): number | F {
  if (value === undefined) return fallback;
  const n = parseCliNumber(String(value), 'int');
  if (n === undefined || n < 1) throw new UsageError(`--${flag} must be a positive integer, got '${value}'`);
  return n;
}
