import { coefficientFunction } from './coefficient';
import { seededRandom } from './seeded-random';
import type { CorrelationMethod, Sample } from './types';
import { checkPairedSamples } from './validate';

export interface BootstrapOptions {
  /** Number of resamples. Default 10000. */
  iterations?: number;
  /** Confidence level in (0, 1). Default 0.95. */
  level?: number;
  /** Seed of the resampling stream; the same seed gives the same interval. */
  seed: number;
}

export interface BootstrapInterval {
  /** The coefficient on the original sample. */
  estimate: number;
  low: number;
  high: number;
  level: number;
  /** Resamples whose coefficient was defined and entered the percentiles. */
  iterations: number;
  /** Resamples skipped because x or y came out constant (coefficient undefined). */
  degenerate: number;
}

/** Linear-interpolated percentile of sorted values (NumPy's default 'linear' method). */
function percentile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

/**
 * Percentile bootstrap confidence interval of a correlation coefficient:
 * resample the (x, y) pairs with replacement, recompute the coefficient and
 * take the (1 - level)/2 and (1 + level)/2 percentiles. Useful where the
 * parametric p-values' assumptions are doubtful, e.g. 14 models of one paper.
 */
export function bootstrapCI(
  x: Sample,
  y: Sample,
  method: CorrelationMethod,
  options: BootstrapOptions,
): BootstrapInterval {
  checkPairedSamples('bootstrapCI', x, y);
  const coefficient = coefficientFunction('bootstrapCI', method);
  const { iterations = 10_000, level = 0.95, seed } = options ?? ({} as BootstrapOptions);
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new Error(`bootstrapCI: iterations must be a positive integer, got ${iterations}`);
  }
  if (!(level > 0 && level < 1)) throw new Error(`bootstrapCI: level must be in (0, 1), got ${level}`);
  if (typeof seed !== 'number')
    throw new Error(`bootstrapCI: options.seed must be a number (resampling is always seeded), got ${String(seed)}`);

  const random = seededRandom(seed);
  const n = x.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const estimates = new Float64Array(iterations);
  let kept = 0;
  for (let b = 0; b < iterations; b++) {
    for (let i = 0; i < n; i++) {
      // n is far below 2^32, so floor(u * n) is uniform up to a negligible n / 2^32 bias.
      const j = Math.floor(random() * n);
      xs[i] = x[j];
      ys[i] = y[j];
    }
    const value = coefficient(xs, ys);
    if (!Number.isNaN(value)) estimates[kept++] = value;
  }
  if (kept === 0)
    throw new Error(
      `bootstrapCI: every one of the ${iterations} resamples was constant; the sample is too small to bootstrap`,
    );
  const sorted = estimates.subarray(0, kept).sort();
  return {
    estimate: coefficient(x, y),
    low: percentile(sorted, (1 - level) / 2),
    high: percentile(sorted, (1 + level) / 2),
    level,
    iterations: kept,
    degenerate: iterations - kept,
  };
}
