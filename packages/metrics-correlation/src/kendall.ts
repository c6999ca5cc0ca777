import { erfc } from './erfc';
import { kendallCounts, type KendallCounts } from './kendall-counts';
import { kendallExactPValue } from './kendall-exact';
import type { CorrelationResult, Sample } from './types';
import { checkPairedSamples } from './validate';

export type KendallPMethod = 'exact' | 'asymptotic';

export interface KendallResult extends CorrelationResult {
  /** How the p-value was computed. */
  pMethod: KendallPMethod;
}

export interface KendallOptions {
  /**
   * 'auto' (default, as SciPy 1.10): exact when there are no ties and either
   * n <= 33 or the tau is within one discordant pair of +-1; else asymptotic.
   */
  method?: 'auto' | KendallPMethod;
}

/** Largest n for which SciPy's 'auto' picks the exact null distribution. */
const EXACT_MAX_N = 33;

function tauB(counts: KendallCounts): number {
  const { totalPairs, discordant, tiedBoth, xTies, yTies } = counts;
  const concordantMinusDiscordant = totalPairs - xTies.pairs - yTies.pairs + tiedBoth - 2 * discordant;
  // One sqrt of the product: without ties it is exactly totalPairs, so a
  // perfect ranking gives tau = +-1 exactly.
  const tau = concordantMinusDiscordant / Math.sqrt((totalPairs - xTies.pairs) * (totalPairs - yTies.pairs));
  return Math.max(-1, Math.min(1, tau));
}

/** Kendall's tau-b without input checks; NaN when a sample is constant. */
export function kendallCoefficient(x: Sample, y: Sample): number {
  return tauB(kendallCounts(x, y));
}

/**
 * Normal approximation of S = n_c - n_d with the tie-corrected variance
 * (Kendall 1970, as in SciPy): p = erfc(|z| / sqrt 2), z = S / sqrt(var).
 */
function asymptoticPValue(counts: KendallCounts): number {
  const { n, totalPairs, discordant, tiedBoth, xTies, yTies } = counts;
  const s = totalPairs - xTies.pairs - yTies.pairs + tiedBoth - 2 * discordant;
  const m = n * (n - 1);
  const variance =
    (m * (2 * n + 5) - xTies.variance - yTies.variance) / 18 +
    (2 * xTies.pairs * yTies.pairs) / m +
    (xTies.cubic * yTies.cubic) / (9 * m * (n - 2));
  return erfc(Math.abs(s) / Math.sqrt(variance) / Math.SQRT2);
}

function chooseMethod(counts: KendallCounts, requested: KendallOptions['method']): KendallPMethod {
  const hasTies = counts.xTies.pairs > 0 || counts.yTies.pairs > 0;
  if (requested === 'exact') {
    if (hasTies) throw new Error(`kendall: method 'exact' needs samples without ties; use 'auto' or 'asymptotic'`);
    return 'exact';
  }
  if (requested === 'asymptotic') return 'asymptotic';
  const nearExtreme = Math.min(counts.discordant, counts.totalPairs - counts.discordant) <= 1;
  return !hasTies && (counts.n <= EXACT_MAX_N || nearExtreme) ? 'exact' : 'asymptotic';
}

/** Kendall's tau-b with SciPy 1.10's two-sided p-value (exact or normal approximation). */
export function kendall(x: Sample, y: Sample, options: KendallOptions = {}): KendallResult {
  checkPairedSamples('kendall', x, y);
  const { method = 'auto' } = options;
  if (method !== 'auto' && method !== 'exact' && method !== 'asymptotic') {
    throw new Error(`kendall: method must be 'auto', 'exact' or 'asymptotic', got ${JSON.stringify(method)}`);
  }
  const counts = kendallCounts(x, y);
  const pMethod = chooseMethod(counts, method);
  const pValue = pMethod === 'exact' ? kendallExactPValue(counts.n, counts.discordant) : asymptoticPValue(counts);
  return { coefficient: tauB(counts), pValue, n: counts.n, pMethod };
}
