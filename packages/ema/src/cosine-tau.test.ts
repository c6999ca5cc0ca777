import { describe, expect, it } from 'vitest';
import { cosineTau } from './cosine-tau';

describe('cosineTau', () => {
  it('starts at baseTau, is half-way at K/2, reaches 1 at K and stays there', () => {
    expect(cosineTau(0, 100)).toBe(0.996);
    expect(cosineTau(50, 100, 0.99)).toBeCloseTo(0.995, 15);
    expect(cosineTau(100, 100)).toBe(1);
    expect(cosineTau(250, 100)).toBe(1);
  });

  it('increases monotonically', () => {
    const taus = Array.from({ length: 101 }, (_, k) => cosineTau(k, 100));
    taus.slice(1).forEach((tau, i) => expect(tau).toBeGreaterThanOrEqual(taus[i]));
  });

  it('names the bad argument', () => {
    expect(() => cosineTau(-1, 10)).toThrow('cosineTau: step must be a finite number >= 0, got -1');
    expect(() => cosineTau(1, 0)).toThrow('cosineTau: totalSteps must be an integer >= 1, got 0');
    expect(() => cosineTau(1, 10, 1.2)).toThrow('cosineTau: baseTau must be a finite number in [0, 1], got 1.2');
  });
});
