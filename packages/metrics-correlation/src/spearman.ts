import { pearsonCoefficient } from './pearson';
import { averageRanks } from './ranks';
import { studentTTwoSidedP } from './student-t';
import type { CorrelationResult, Sample } from './types';
import { checkPairedSamples } from './validate';

/** Spearman's rho without input checks: Pearson's r of the average ranks. */
export function spearmanCoefficient(x: Sample, y: Sample): number {
  return pearsonCoefficient(averageRanks(x), averageRanks(y));
}

/**
 * Spearman's rank correlation; ties get average ranks. The two-sided p-value
 * is SciPy's: t = rho * sqrt((n - 2) / ((1 + rho)(1 - rho))) against Student's
 * t with n - 2 degrees of freedom (rho = +-1 gives p = 0).
 */
export function spearman(x: Sample, y: Sample): CorrelationResult {
  checkPairedSamples('spearman', x, y);
  const n = x.length;
  const coefficient = spearmanCoefficient(x, y);
  const t = coefficient * Math.sqrt((n - 2) / ((1 + coefficient) * (1 - coefficient)));
  return { coefficient, pValue: studentTTwoSidedP(t, n - 2), n };
}
