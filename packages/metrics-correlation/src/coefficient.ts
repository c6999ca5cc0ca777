import { kendallCoefficient } from './kendall';
import { pearsonCoefficient } from './pearson';
import { spearmanCoefficient } from './spearman';
import type { CorrelationMethod, Sample } from './types';

const COEFFICIENTS: Record<CorrelationMethod, (x: Sample, y: Sample) => number> = {
  pearson: pearsonCoefficient,
  spearman: spearmanCoefficient,
  kendall: kendallCoefficient,
};

export const CORRELATION_METHODS = Object.keys(COEFFICIENTS) as CorrelationMethod[];

/** The coefficient function of a method, with a clear error for an unknown name. */
export function coefficientFunction(fn: string, method: unknown): (x: Sample, y: Sample) => number {
  if (!CORRELATION_METHODS.includes(method as CorrelationMethod)) {
    throw new Error(
      `${fn}: method must be one of ${CORRELATION_METHODS.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(method)}`,
    );
  }
  return COEFFICIENTS[method as CorrelationMethod];
}
