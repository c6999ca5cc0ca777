import { expect } from 'vitest';

/** Numbers to compare: an array, a typed array, or anything with `dataSync()` (a tf.Tensor). */
export type Values = ArrayLike<number> | { dataSync(): ArrayLike<number> };

const valuesOf = (v: Values): ArrayLike<number> =>
  typeof (v as { dataSync?: unknown }).dataSync === 'function'
    ? (v as { dataSync(): ArrayLike<number> }).dataSync()
    : (v as ArrayLike<number>);

/** max |actual − expected| over all elements (same length required). */
export function maxAbsDiff(actual: Values, expected: Values): number {
  const a = valuesOf(actual);
  const e = valuesOf(expected);
  expect(a.length, 'maxAbsDiff: element counts').toBe(e.length);
  let worst = 0;
  for (let i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(a[i] - e[i]));
  return worst;
}

export interface Tolerance {
  /** Absolute part (default 0). */
  atol?: number;
  /** Relative part, times |expected| (default 0). */
  rtol?: number;
}

/**
 * Every element within `atol + rtol·|expected|` (numpy's `allclose` form); a failure
 * names `what`, the worst index and both values instead of dumping arrays.
 */
export function expectAllClose(
  what: string,
  actual: Values,
  expected: Values,
  { atol = 0, rtol = 0 }: Tolerance,
): void {
  const a = valuesOf(actual);
  const e = valuesOf(expected);
  expect(a.length, `${what}: element count`).toBe(e.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < e.length; i++) {
    const diff = Math.abs(a[i] - e[i]);
    const ratio = diff === 0 ? 0 : diff / (atol + rtol * Math.abs(e[i]));
    if (!(ratio <= worst)) {
      worst = ratio;
      at = i;
    }
  }
  expect(worst, `${what}: worst |actual − expected| / tolerance, at [${at}]: ${a[at]} vs ${e[at]}`).toBeLessThanOrEqual(
    1,
  );
}
