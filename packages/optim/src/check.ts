/**
 * Argument checks shared by the optimizer and the schedules: a finite number
 * within bounds, or a clear error naming the function, the argument and its value.
 */
export function checkNumber(
  where: string,
  arg: string,
  value: unknown,
  { min = -Infinity, max = Infinity, minExclusive = false, integer = false } = {},
): number {
  const isNumber = typeof value === 'number' && Number.isFinite(value);
  const inRange = isNumber && (minExclusive ? value > min : value >= min) && value <= max;
  if (!inRange || (integer && !Number.isInteger(value))) {
    const parts = [integer ? 'an integer' : 'a finite number'];
    if (min > -Infinity && max < Infinity) parts.push(`in ${minExclusive ? '(' : '['}${min}, ${max}]`);
    else if (min > -Infinity) parts.push(`${minExclusive ? '>' : '>='} ${min}`);
    else if (max < Infinity) parts.push(`<= ${max}`);
    const shown = typeof value === 'number' ? String(value) : value === undefined ? 'undefined' : JSON.stringify(value);
    throw new Error(`${where}: ${arg} must be ${parts.join(' ')}, got ${shown}`);
  }
  return value as number;
}
