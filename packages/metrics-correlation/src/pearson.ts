import { regularizedIncompleteBeta } from './incomplete-beta';
import { normalQuantile } from './normal';
import type { CorrelationResult, Sample } from './types';
import { checkPairedSamples } from './validate';

export interface PearsonResult extends CorrelationResult {
  /** Fisher-z confidence interval for rho (level 0.95 unless asked otherwise). */
  confidenceInterval: { low: number; high: number; level: number };
}

export interface PearsonOptions {
  /** Level of the Fisher-z confidence interval, in (0, 1). Default 0.95. */
  confidenceLevel?: number;
}

/**
 * Pearson's r without input checks; NaN when a sample has zero variance.
 * Centred and normalised before the dot product, as SciPy does, so |r| <= 1
 * holds up to rounding and is then clipped.
 */
export function pearsonCoefficient(x: Sample, y: Sample): number {
  const n = x.length;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i];
    meanY += y[i];
  }
  meanX /= n;
  meanY /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - meanX;
    const dy = y[i] - meanY;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  // sqrt(sxx * syy) is exactly sxx when x = y (sqrt(fl(s*s)) = s in IEEE
  // arithmetic), so identical rankings give rho = 1 and p = 0 as in SciPy;
  // the two-sqrt form is only a fallback against overflow or underflow.
  const product = sxx * syy;
  const scale = Number.isFinite(product) && product > 0 ? Math.sqrt(product) : Math.sqrt(sxx) * Math.sqrt(syy);
  const r = sxy / scale;
  return Math.max(-1, Math.min(1, r));
}

/**
 * Exact two-sided p-value of r under independent normal samples: r is
 * Beta(n/2 - 1, n/2 - 1) on [-1, 1] (SciPy 1.10 pearsonr), so
 * p = 2 * P(R >= |r|) = 2 * I_{(1 - |r|)/2}(n/2 - 1, n/2 - 1).
 */
export function pearsonPValue(r: number, n: number): number {
  const shape = n / 2 - 1;
  const p = 2 * regularizedIncompleteBeta((1 - Math.abs(r)) / 2, shape, shape);
  return Math.min(1, p);
}

function fisherInterval(r: number, n: number, level: number): PearsonResult['confidenceInterval'] {
  // With n = 3 the standard error 1/sqrt(n - 3) is infinite: rho can be anything.
  if (n <= 3) return { low: -1, high: 1, level };
  const z = Math.atanh(r);
  const halfWidth = normalQuantile((1 + level) / 2) / Math.sqrt(n - 3);
  return { low: Math.tanh(z - halfWidth), high: Math.tanh(z + halfWidth), level };
}

/** Pearson's linear correlation with SciPy's exact p-value and a Fisher-z confidence interval. */
export function pearson(x: Sample, y: Sample, options: PearsonOptions = {}): PearsonResult {
  checkPairedSamples('pearson', x, y);
  const { confidenceLevel = 0.95 } = options;
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
    throw new Error(`pearson: confidenceLevel must be in (0, 1), got ${confidenceLevel}`);
  }
  const n = x.length;
  const coefficient = pearsonCoefficient(x, y);
  return {
    coefficient,
    pValue: pearsonPValue(coefficient, n),
    n,
    confidenceInterval: fisherInterval(coefficient, n, confidenceLevel),
  };
}
