import { describe, expect, it } from 'vitest';
import { holdoutSplit } from './holdout-split';

describe('holdoutSplit', () => {
  const strata = Int32Array.from({ length: 50 }, (_, i) => (i < 40 ? 0 : 1)); // 40 of class 0, 10 of class 1

  it('holds out round(count * fraction) of each class, seeded, disjoint and sorted', () => {
    const a = holdoutSplit(strata, 0.2, 3);
    expect(a.val.filter((i) => strata[i] === 0)).toHaveLength(8);
    expect(a.val.filter((i) => strata[i] === 1)).toHaveLength(2);
    expect([...a.train, ...a.val].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(a.val)).toEqual(Array.from(a.val).sort((x, y) => x - y));
    expect(holdoutSplit(strata, 0.2, 3)).toEqual(a);
    expect(Array.from(holdoutSplit(strata, 0.2, 4).val)).not.toEqual(Array.from(a.val));
  });

  it('rejects a fraction outside (0, 1)', () => {
    expect(() => holdoutSplit(strata, 1, 0)).toThrow(/fraction must be in \(0, 1\), got 1/);
  });
});
