import { describe, expect, it } from 'vitest';
import { regularizedIncompleteBeta as betaI } from './incomplete-beta';
import { logGamma } from './log-gamma';

function binomialUpperTail(n: number, p: number, k: number): number {
  let total = 0;
  let coefficient = 1; // C(n, j), built incrementally
  for (let j = 0; j <= n; j++) {
    if (j >= k) total += coefficient * p ** j * (1 - p) ** (n - j);
    coefficient = (coefficient * (n - j)) / (j + 1);
  }
  return total;
}

describe('logGamma', () => {
  it('gives ln((n-1)!) on integers and ln(sqrt(pi)) at 1/2', () => {
    let factorial = 1;
    for (let n = 1; n <= 20; n++) {
      expect(logGamma(n)).toBeCloseTo(Math.log(factorial), 12);
      factorial *= n;
    }
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
  });

  // mpmath 1.3 loggamma at 30 digits.
  it.each([
    [1.5, -0.12078223763524522],
    [3.7, 1.4280723266653881],
    [100, 359.1342053695754],
    [1234.5, 7550.5509010778949],
  ])('logGamma(%d) matches mpmath', (x, expected) => {
    expect(Math.abs(logGamma(x) - expected)).toBeLessThan(1e-13 * Math.max(1, Math.abs(expected)));
  });

  it('rejects non-positive arguments', () => {
    expect(() => logGamma(0)).toThrow('x must be a finite positive number, got 0');
  });
});

describe('regularizedIncompleteBeta', () => {
  it('has the closed forms I_x(1,1) = x, I_x(a,1) = x^a, I_x(1,b) = 1-(1-x)^b, I_1/2(a,a) = 1/2', () => {
    for (const x of [0.05, 0.3, 0.5, 0.82]) {
      expect(betaI(x, 1, 1)).toBeCloseTo(x, 14);
      expect(betaI(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 14);
      expect(betaI(x, 1, 2.25)).toBeCloseTo(1 - (1 - x) ** 2.25, 14);
    }
    for (const a of [0.5, 2, 17.5, 400]) expect(betaI(0.5, a, a)).toBeCloseTo(0.5, 12);
  });

  it('equals the binomial upper tail: I_p(k, n-k+1) = P(Bin(n, p) >= k)', () => {
    for (const [n, p, k] of [
      [10, 0.3, 4],
      [25, 0.05, 6],
      [40, 0.7, 35],
    ]) {
      const expected = binomialUpperTail(n, p, k);
      expect(Math.abs(betaI(p, k, n - k + 1) - expected) / expected).toBeLessThan(1e-12);
    }
  });

  // mpmath 1.3 betainc(a, b, 0, x, regularized=True) at 30 digits.
  it.each([
    [0.3, 2.5, 4.0, 0.35219758590676721],
    [0.9, 0.5, 0.5, 0.79516723530086657],
    [0.01, 50, 50, 3.1130219337164252e-72],
    [0.45, 500, 500, 0.00076367893952650011],
    [0.999, 3, 0.5, 0.94074681048405374],
    [1e-3, 10, 0.5, 1.7627719667501321e-31],
  ])('I_%d(%d, %d) matches mpmath to 1e-11 relative', (x, a, b, expected) => {
    expect(Math.abs(betaI(x, a, b) - expected) / expected).toBeLessThan(1e-11);
  });

  it('rejects arguments outside the domain, naming them', () => {
    expect(() => betaI(1.5, 1, 1)).toThrow('x must be in [0, 1], got 1.5');
    expect(() => betaI(0.5, -1, 1)).toThrow('got a = -1, b = 1');
  });
});
