import { describe, expect, it } from 'vitest';
import { kendallCounts } from './kendall-counts';
import { kendallExactPValue } from './kendall-exact';
import { seededRandom } from './seeded-random';

/** The O(n^2) definition, as an independent oracle for the merge-sort counts. */
function bruteForce(x: number[], y: number[]) {
  let discordant = 0;
  let tiedX = 0;
  let tiedY = 0;
  let tiedBoth = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const dx = Math.sign(x[i] - x[j]);
      const dy = Math.sign(y[i] - y[j]);
      if (dx === 0) tiedX++;
      if (dy === 0) tiedY++;
      if (dx === 0 && dy === 0) tiedBoth++;
      if (dx * dy < 0) discordant++;
    }
  }
  return { discordant, tiedX, tiedY, tiedBoth };
}

/** Permutations of 0..n-1 by brute force, counting inversions. */
function inversionHistogram(n: number): number[] {
  const counts = new Array((n * (n - 1)) / 2 + 1).fill(0);
  const permute = (prefix: number[], rest: number[]) => {
    if (rest.length === 0) {
      let inv = 0;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (prefix[i] > prefix[j]) inv++;
      counts[inv]++;
      return;
    }
    rest.forEach((v, k) => permute([...prefix, v], [...rest.slice(0, k), ...rest.slice(k + 1)]));
  };
  permute(
    [],
    Array.from({ length: n }, (_, i) => i),
  );
  return counts;
}

describe('kendallCounts', () => {
  it('matches the O(n^2) pair definition on random data with heavy ties', () => {
    const random = seededRandom(7);
    for (const [n, levels] of [
      [5, 3],
      [40, 4],
      [301, 11],
      [500, 1000],
    ]) {
      const x = Array.from({ length: n }, () => Math.floor(random() * levels));
      const y = Array.from({ length: n }, () => Math.floor(random() * levels));
      const counts = kendallCounts(x, y);
      const expected = bruteForce(x, y);
      expect(counts.discordant).toBe(expected.discordant);
      expect(counts.xTies.pairs).toBe(expected.tiedX);
      expect(counts.yTies.pairs).toBe(expected.tiedY);
      expect(counts.tiedBoth).toBe(expected.tiedBoth);
    }
  });
});

describe('kendallExactPValue', () => {
  it('equals 2 P(D <= c) from enumerating every permutation (n = 6 and 7)', () => {
    for (const n of [6, 7]) {
      const histogram = inversionHistogram(n);
      const total = histogram.reduce((a, b) => a + b, 0);
      const pairs = (n * (n - 1)) / 2;
      for (let d = 0; d <= pairs; d++) {
        const c = Math.min(d, pairs - d);
        const tail = histogram.slice(0, c + 1).reduce((a, b) => a + b, 0) / total;
        expect(kendallExactPValue(n, d)).toBeCloseTo(Math.min(1, 2 * tail), 14);
      }
    }
  });

  it('gives 2/n! for a perfect ranking and 1 at the centre', () => {
    expect(kendallExactPValue(8, 0)).toBeCloseTo(2 / 40320, 18);
    expect(kendallExactPValue(8, 28)).toBeCloseTo(2 / 40320, 18);
    expect(kendallExactPValue(8, 14)).toBe(1);
  });

  it('rejects counts outside [0, n(n-1)/2]', () => {
    expect(() => kendallExactPValue(5, 11)).toThrow('discordant must be an integer in [0, 10], got 11');
  });
});
