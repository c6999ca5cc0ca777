import { expect, it } from 'vitest';
import { describeWithReference, loadReference } from '@selfsup/testing';
import { kendall } from './kendall';
import { pearson } from './pearson';
import { spearman } from './spearman';

interface ReferenceCase {
  name: string;
  n: number;
  x: number[];
  y: number[];
  ties_in_x: boolean;
  ties_in_y: boolean;
  pearson: { r: number; p_two_sided: number };
  spearman: { rho: number; p_two_sided: number };
  kendall_tau_b: {
    tau: number;
    p_two_sided: number;
    p_method_auto: 'exact' | 'asymptotic';
    p_two_sided_asymptotic: number;
    p_two_sided_exact: number | null;
  };
}

// Tolerances from ../shared/reference/README.md (correlation.json).
const COEFFICIENT_ATOL = 1e-6;
function expectPValue(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(1e-4 * Math.abs(expected), 1e-9));
}

describeWithReference('SciPy 1.10 reference (correlation.json)', () => {
  const { cases } = loadReference<{ cases: ReferenceCase[] }>('correlation.json');

  it('covers ties, exact Kendall and a perfect monotone case', () => {
    expect(cases.some((c) => c.ties_in_x && c.ties_in_y)).toBe(true);
    expect(cases.some((c) => c.kendall_tau_b.p_method_auto === 'exact')).toBe(true);
    expect(cases.some((c) => c.spearman.rho === 1)).toBe(true);
  });

  for (const c of cases) {
    it(`${c.name}: pearson`, () => {
      const result = pearson(c.x, c.y);
      expect(result.n).toBe(c.n);
      expect(Math.abs(result.coefficient - c.pearson.r)).toBeLessThanOrEqual(COEFFICIENT_ATOL);
      expectPValue(result.pValue, c.pearson.p_two_sided);
    });

    it(`${c.name}: spearman`, () => {
      const result = spearman(c.x, c.y);
      expect(Math.abs(result.coefficient - c.spearman.rho)).toBeLessThanOrEqual(COEFFICIENT_ATOL);
      expectPValue(result.pValue, c.spearman.p_two_sided);
    });

    it(`${c.name}: kendall tau-b (auto, asymptotic and exact)`, () => {
      const ref = c.kendall_tau_b;
      const auto = kendall(c.x, c.y);
      expect(auto.pMethod).toBe(ref.p_method_auto);
      expect(Math.abs(auto.coefficient - ref.tau)).toBeLessThanOrEqual(COEFFICIENT_ATOL);
      expectPValue(auto.pValue, ref.p_two_sided);
      expectPValue(kendall(c.x, c.y, { method: 'asymptotic' }).pValue, ref.p_two_sided_asymptotic);
      if (ref.p_two_sided_exact === null) {
        expect(() => kendall(c.x, c.y, { method: 'exact' })).toThrow(/ties/);
      } else {
        expectPValue(kendall(c.x, c.y, { method: 'exact' }).pValue, ref.p_two_sided_exact);
      }
    });
  }
});
