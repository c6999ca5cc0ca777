import { describe, expect, it } from 'vitest';
import { bootstrapCI } from './bootstrap';
import { pearson } from './pearson';
import { seededRandom } from './seeded-random';

/** n pairs from a bivariate normal with correlation rho (Box-Muller on the seeded stream). */
function correlatedNormals(n: number, rho: number, seed: number): { x: number[]; y: number[] } {
  const random = seededRandom(seed);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    const a = radius * Math.cos(angle);
    const b = radius * Math.sin(angle);
    x.push(a);
    y.push(rho * a + Math.sqrt(1 - rho * rho) * b);
  }
  return { x, y };
}

describe('bootstrapCI', () => {
  const { x, y } = correlatedNormals(200, 0.6, 11);

  it('agrees with the Fisher-z interval on bivariate normal data', () => {
    const boot = bootstrapCI(x, y, 'pearson', { iterations: 2000, seed: 1 });
    const fisher = pearson(x, y).confidenceInterval;
    expect(boot.estimate).toBeCloseTo(pearson(x, y).coefficient, 14);
    expect(boot.low).toBeLessThan(boot.estimate);
    expect(boot.high).toBeGreaterThan(boot.estimate);
    expect(Math.abs(boot.low - fisher.low)).toBeLessThan(0.03);
    expect(Math.abs(boot.high - fisher.high)).toBeLessThan(0.03);
  });

  it('is reproducible for a seed and changes with it', () => {
    const a = bootstrapCI(x, y, 'kendall', { iterations: 300, seed: 5 });
    expect(bootstrapCI(x, y, 'kendall', { iterations: 300, seed: 5 })).toEqual(a);
    expect(bootstrapCI(x, y, 'kendall', { iterations: 300, seed: 6 }).low).not.toBe(a.low);
  });

  it('a wider level gives a wider interval', () => {
    const narrow = bootstrapCI(x, y, 'spearman', { iterations: 1000, level: 0.5, seed: 2 });
    const wide = bootstrapCI(x, y, 'spearman', { iterations: 1000, level: 0.99, seed: 2 });
    expect(wide.low).toBeLessThan(narrow.low);
    expect(wide.high).toBeGreaterThan(narrow.high);
  });

  it('skips constant resamples: with n = 3 they occur with probability 3/27', () => {
    const result = bootstrapCI([1, 2, 3], [2, 1, 4], 'pearson', { iterations: 9000, seed: 3 });
    // Binomial(9000, 1/9): mean 1000, sd ~30.
    expect(Math.abs(result.degenerate - 1000)).toBeLessThan(120);
    expect(result.iterations + result.degenerate).toBe(9000);
  });

  it('is [1, 1] on exactly linear data', () => {
    const line = [0, 1, 2, 3, 4, 5, 6, 7];
    const result = bootstrapCI(
      line,
      line.map((v) => 2 * v - 1),
      'spearman',
      { iterations: 200, seed: 4 },
    );
    expect(result.low).toBeCloseTo(1, 12);
    expect(result.high).toBeCloseTo(1, 12);
  });

  it('rejects bad options with their values', () => {
    expect(() => bootstrapCI(x, y, 'pearsn' as never, { seed: 1 })).toThrow(
      `method must be one of 'pearson', 'spearman', 'kendall', got "pearsn"`,
    );
    expect(() => bootstrapCI(x, y, 'pearson', { seed: 1, level: 1.5 })).toThrow('level must be in (0, 1), got 1.5');
    expect(() => bootstrapCI(x, y, 'pearson', { seed: 1, iterations: 0 })).toThrow(
      'iterations must be a positive integer, got 0',
    );
    expect(() => bootstrapCI(x, y, 'pearson', {} as never)).toThrow('options.seed must be a number');
  });
});
