/**
 * The argument checks every package shares: a clear error naming the function,
 * the argument, its value and what was expected (`fn: arg must be …, got …`).
 * Plain TypeScript, no tfjs, so every block can use it in a browser too.
 */

export interface NumberBounds {
  min?: number;
  max?: number;
  /** Exclude `min` itself (`> min` rather than `>= min`). */
  minExclusive?: boolean;
  integer?: boolean;
}

/** A short rendering of a bad value for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'undefined';
  if (value !== null && typeof value === 'object' && Array.isArray((value as { shape?: unknown }).shape)) {
    return `a tensor of shape [${(value as { shape: number[] }).shape.join(', ')}]`;
  }
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    const arr = Array.from(value as ArrayLike<number>);
    if (arr.length > 8) return `an array of ${arr.length} numbers`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return typeof value;
  }
}

/** `value` as a finite number within the bounds, or an error naming `fn` and `arg`. */
export function checkNumber(
  fn: string,
  arg: string,
  value: unknown,
  { min = -Infinity, max = Infinity, minExclusive = false, integer = false }: NumberBounds = {},
): number {
  const isNumber = typeof value === 'number' && Number.isFinite(value);
  const inRange = isNumber && (minExclusive ? value > min : value >= min) && value <= max;
  if (!inRange || (integer && !Number.isInteger(value))) {
    const parts = [integer ? 'an integer' : 'a finite number'];
    if (min > -Infinity && max < Infinity) parts.push(`in ${minExclusive ? '(' : '['}${min}, ${max}]`);
    else if (min > -Infinity) parts.push(`${minExclusive ? '>' : '>='} ${min}`);
    else if (max < Infinity) parts.push(`<= ${max}`);
    throw new Error(`${fn}: ${arg} must be ${parts.join(' ')}, got ${describeValue(value)}`);
  }
  return value as number;
}

/** `value` as an integer >= 1, or an error naming `fn` and `arg`. */
export function checkPositiveInteger(fn: string, arg: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1)
    throw new Error(`${fn}: ${arg} must be a positive integer, got ${describeValue(value)}`);
  return value as number;
}

/** `seed` as a finite number (`options.seed` in the message). */
export function checkSeed(fn: string, seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new Error(`${fn}: options.seed must be a finite number, got ${describeValue(seed)}`);
  return seed;
}
