import { describe, expect, it } from 'vitest';
import { kendall } from './kendall';
import { pearson } from './pearson';
import { averageRanks } from './ranks';
import { spearman } from './spearman';

const x = [1.5, -2, 3.25, 7, 0.5, 4, -1, 9];

describe('exact identities', () => {
  it('r = +1 / -1 and p = 0 on exactly linear data', () => {
    const up = pearson(
      x,
      x.map((v) => 3 * v + 2),
    );
    const down = pearson(
      x,
      x.map((v) => -0.5 * v + 10),
    );
    expect(up.coefficient).toBeCloseTo(1, 14);
    expect(down.coefficient).toBeCloseTo(-1, 14);
    expect(up.pValue).toBeLessThan(1e-12);
    expect(up.confidenceInterval.low).toBeCloseTo(1, 6);
  });

  it('average ranks for ties (SciPy rankdata "average")', () => {
    expect(Array.from(averageRanks([10, 20, 20, 5, 20, 7]))).toEqual([3, 5, 5, 1, 5, 2]);
    expect(Array.from(averageRanks([2, 2, 1, 1]))).toEqual([3.5, 3.5, 1.5, 1.5]);
  });

  it('spearman is pearson on average ranks and is invariant to monotone maps', () => {
    const y = [3, 1, 4, 1, 5, 9, 2, 6];
    const rho = spearman(x, y);
    expect(rho.coefficient).toBeCloseTo(
      pearson(Array.from(averageRanks(x)), Array.from(averageRanks(y))).coefficient,
      14,
    );
    const warped = spearman(
      x.map(Math.exp),
      y.map((v) => v ** 3),
    );
    expect(warped.coefficient).toBeCloseTo(rho.coefficient, 14);
    expect(warped.pValue).toBeCloseTo(rho.pValue, 14);
  });

  it('rho = tau = 1 with p = 0 (spearman) on a monotone but nonlinear relation', () => {
    const y = x.map((v) => Math.exp(v));
    expect(spearman(x, y)).toEqual({ coefficient: 1, pValue: 0, n: x.length });
    expect(kendall(x, y).coefficient).toBe(1);
    expect(
      kendall(
        x,
        y.map((v) => -v),
      ).coefficient,
    ).toBe(-1);
  });

  it('is symmetric in x and y, and flips sign with y', () => {
    const y = [2, 7, 1, 8, 2, 8, 1, 8];
    for (const f of [pearson, spearman, kendall]) {
      expect(f(y, x).coefficient).toBeCloseTo(f(x, y).coefficient, 14);
      expect(
        f(
          x,
          y.map((v) => -v),
        ).coefficient,
      ).toBeCloseTo(-f(x, y).coefficient, 14);
      expect(
        f(
          x,
          y.map((v) => -v),
        ).pValue,
      ).toBeCloseTo(f(x, y).pValue, 14);
    }
  });

  it('Fisher-z interval contains r, narrows with a lower level and is [-1, 1] for n = 3', () => {
    const y = [0.3, -1.2, 2.5, 5.1, 1.1, 2.2, 0.1, 7.7];
    const wide = pearson(x, y);
    const narrow = pearson(x, y, { confidenceLevel: 0.5 });
    expect(wide.confidenceInterval.low).toBeLessThan(wide.coefficient);
    expect(wide.confidenceInterval.high).toBeGreaterThan(wide.coefficient);
    expect(narrow.confidenceInterval.high - narrow.confidenceInterval.low).toBeLessThan(
      wide.confidenceInterval.high - wide.confidenceInterval.low,
    );
    // tanh(atanh(r) +- 1.959964 / sqrt(n - 3)) by hand.
    const z = Math.atanh(wide.coefficient);
    expect(wide.confidenceInterval.low).toBeCloseTo(Math.tanh(z - 1.959963984540054 / Math.sqrt(5)), 12);
    expect(pearson([1, 2, 3], [1, 3, 2]).confidenceInterval).toEqual({ low: -1, high: 1, level: 0.95 });
  });
});

describe("kendall method 'auto' (SciPy 1.10 rules)", () => {
  const n = 40;
  const ascending = Array.from({ length: n }, (_, i) => i);

  it('is exact beyond n = 33 only within one discordant pair of a perfect ranking', () => {
    const perfect = kendall(ascending, ascending);
    expect(perfect.pMethod).toBe('exact');
    // 2 / 40!, computed as a product to stay in range.
    const twoOverFactorial = ascending.reduce((p, i) => p / (i + 1), 2);
    expect(perfect.pValue / twoOverFactorial).toBeCloseTo(1, 10);
    const oneSwap = [1, 0, ...ascending.slice(2)];
    expect(kendall(ascending, oneSwap).pMethod).toBe('exact');
    const twoSwaps = [1, 0, 3, 2, ...ascending.slice(4)];
    expect(kendall(ascending, twoSwaps).pMethod).toBe('asymptotic');
  });

  it('is asymptotic as soon as there is a tie, even for small n', () => {
    expect(kendall([1, 2, 2, 3, 4], [1, 3, 2, 4, 5]).pMethod).toBe('asymptotic');
    expect(kendall([1, 2, 3, 4, 5], [1, 3, 2, 4, 5]).pMethod).toBe('exact');
  });
});

describe('bad input', () => {
  it.each([
    [() => pearson([1, 2, 3], [1, 2]), 'pearson: x and y must have the same length, got 3 and 2'],
    [() => spearman([1, 2], [2, 1]), 'spearman: needs at least 3 pairs, got n = 2'],
    [() => kendall([1, Number.NaN, 3], [1, 2, 3]), 'kendall: x[1] must be a finite number, got NaN'],
    [() => pearson([1, 2, 3], [1, Number.POSITIVE_INFINITY, 3]), 'pearson: y[1] must be a finite number, got Infinity'],
    [() => pearson([4, 4, 4], [1, 2, 3]), 'pearson: x is constant (every value is 4)'],
    [() => kendall([1, 2, 3], [1, 2, 3], { method: 'exact' as const }), undefined],
    [() => pearson([1, 2, 3], [3, 1, 2], { confidenceLevel: 95 }), 'confidenceLevel must be in (0, 1), got 95'],
    [
      () => kendall([1, 2, 3], [3, 1, 2], { method: 'permutation' as never }),
      `method must be 'auto', 'exact' or 'asymptotic', got "permutation"`,
    ],
    [() => pearson('123' as never, [1, 2, 3]), 'pearson: x must be an array of numbers, got string'],
  ])('%#: clear error', (call, message) => {
    if (message === undefined) expect(call).not.toThrow();
    else expect(call).toThrow(message);
  });

  it('forcing the exact Kendall test on tied data is refused', () => {
    expect(() => kendall([1, 1, 2, 3], [1, 2, 3, 4], { method: 'exact' })).toThrow(
      "method 'exact' needs samples without ties",
    );
  });

  it('accepts typed arrays', () => {
    expect(pearson(new Float32Array([1, 2, 3, 4]), new Float64Array([2, 4, 5, 9])).n).toBe(4);
  });
});
