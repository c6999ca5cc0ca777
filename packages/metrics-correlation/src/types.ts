/** A correlation coefficient with its two-sided p-value (H0: no association). */
export interface CorrelationResult {
  coefficient: number;
  pValue: number;
  /** Number of (x, y) pairs. */
  n: number;
}

export type CorrelationMethod = 'pearson' | 'spearman' | 'kendall';

/** Numbers as a plain array or a typed array. */
export type Sample = ArrayLike<number>;
