import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, normalSf } from './normal';

describe('normal distribution', () => {
  it('has the textbook symmetry and central value', () => {
    expect(normalCdf(0)).toBe(0.5);
    for (const z of [0.4, 1.3, 3.3]) expect(normalCdf(-z)).toBeCloseTo(normalSf(z), 16);
  });

  // mpmath 1.3: sqrt(2) * erfinv(2p - 1) at 30 digits.
  it.each([
    [0.975, 1.9599639845400539],
    [0.025, -1.9599639845400542],
    [0.9, 1.2815515655446006],
    [1e-10, -6.3613409024040562],
  ])('normalQuantile(%d) matches mpmath to 1e-12', (p, expected) => {
    expect(Math.abs(normalQuantile(p) - expected)).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected)));
  });

  it('inverts normalCdf', () => {
    for (const p of [1e-300, 1e-8, 0.01, 0.3, 0.5, 0.77, 0.999]) {
      expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 12);
    }
  });

  it('rejects p outside (0, 1) naming the value', () => {
    expect(() => normalQuantile(1)).toThrow('p must be in (0, 1), got 1');
    expect(() => normalQuantile(Number.NaN)).toThrow('got NaN');
  });
});
