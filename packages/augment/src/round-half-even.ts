/**
 * Python's `round()` (ties to even: 2.5 -> 2, 1.5 -> 2, 0.5 -> 0, -1.5 -> -2), which
 * torchvision uses for crop offsets and sizes; JS `Math.round` rounds ties up.
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
