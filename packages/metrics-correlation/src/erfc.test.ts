import { describe, expect, it } from 'vitest';
import { erf, erfc } from './erfc';

// Values from mpmath 1.3 at 30 digits (mpmath.erfc), rounded to 17 significant digits.
const KNOWN: Array<[number, number]> = [
  [0.1, 0.8875370839817151],
  [0.5, 0.47950012218695346],
  [1, 0.15729920705028513],
  [1.9, 0.0072095707647425328],
  [2, 0.0046777349810472658],
  [2.5, 0.00040695201744495894],
  [3, 2.2090496998585441e-5],
  [5, 1.5374597944280349e-12],
  [10, 2.0884875837625448e-45],
  [26, 5.6631924088561428e-296],
];

describe('erfc', () => {
  it.each(KNOWN)('erfc(%d) matches mpmath to 1e-13 relative', (x, expected) => {
    expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(1e-13);
  });

  it('satisfies erfc(0) = 1, erfc(-x) = 2 - erfc(x) and erf + erfc = 1', () => {
    expect(erfc(0)).toBe(1);
    for (const x of [0.3, 1.7, 2.2, 4]) {
      expect(erfc(-x)).toBeCloseTo(2 - erfc(x), 15);
      expect(erf(x) + erfc(x)).toBeCloseTo(1, 15);
      expect(erf(-x)).toBe(-erf(x));
    }
  });

  it('is continuous where it switches from the series to the continued fraction', () => {
    const below = erfc(2 - 1e-12);
    const above = erfc(2);
    expect(Math.abs(below - above) / above).toBeLessThan(1e-10);
  });

  it('underflows to 0 far in the tail and propagates NaN', () => {
    expect(erfc(40)).toBe(0);
    expect(erfc(Number.NaN)).toBeNaN();
  });
});
