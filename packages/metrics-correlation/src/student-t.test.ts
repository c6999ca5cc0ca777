import { describe, expect, it } from 'vitest';
import { studentTTwoSidedP } from './student-t';

describe('studentTTwoSidedP', () => {
  it('matches the closed forms for 1 dof (Cauchy) and 2 dof', () => {
    for (const t of [0, 0.4, 1, 3.2, 25]) {
      expect(studentTTwoSidedP(t, 1)).toBeCloseTo(1 - (2 / Math.PI) * Math.atan(Math.abs(t)), 14);
      expect(studentTTwoSidedP(-t, 2)).toBeCloseTo(1 - Math.abs(t) / Math.sqrt(2 + t * t), 14);
    }
  });

  it('tends to the normal tail for many degrees of freedom', () => {
    // Two-sided normal p at |z| = 1.96 is 0.04999579...; t with 1e6 dof differs by O(1e-6).
    expect(studentTTwoSidedP(1.959963984540054, 1e6)).toBeCloseTo(0.05, 5);
  });

  it('gives 0 for an infinite statistic and rejects NaN', () => {
    expect(studentTTwoSidedP(Number.POSITIVE_INFINITY, 5)).toBe(0);
    expect(() => studentTTwoSidedP(Number.NaN, 5)).toThrow('got NaN');
  });
});
