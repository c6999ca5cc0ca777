/**
 * Exact two-sided p-value of Kendall's tau without ties (SciPy 1.10
 * kendalltau(method='exact')). Under H0 every ranking of y against x is
 * equally likely, so the number of discordant pairs D is the number of
 * inversions of a uniform random permutation of n items.
 *
 * Its distribution follows from inserting items one at a time: the j-th item
 * adds 0..j-1 inversions with equal probability, so
 *   P_j(k) = (1/j) * sum_{i=0}^{min(k, j-1)} P_{j-1}(k - i),
 * a running window sum. Working with probabilities (dividing by j each step)
 * instead of the integer counts keeps everything in [0, 1] for any n.
 *
 * The distribution is symmetric about n(n-1)/4, so the two-sided p-value is
 * 2 * P(D <= c) with c = min(D, n(n-1)/2 - D), capped at 1.
 */
export function kendallExactPValue(n: number, discordant: number): number {
  const totalPairs = (n * (n - 1)) / 2;
  if (!Number.isInteger(n) || n < 1) throw new Error(`kendallExactPValue: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(discordant) || discordant < 0 || discordant > totalPairs) {
    throw new Error(`kendallExactPValue: discordant must be an integer in [0, ${totalPairs}], got ${discordant}`);
  }
  const c = Math.min(discordant, totalPairs - discordant);
  // Only P(D = 0..c) is needed: the window sum never reaches beyond k.
  let probabilities = new Float64Array(c + 1);
  probabilities[0] = 1;
  let next = new Float64Array(c + 1);
  for (let j = 2; j <= n; j++) {
    let window = 0;
    for (let k = 0; k <= c; k++) {
      window += probabilities[k];
      if (k - j >= 0) window -= probabilities[k - j];
      next[k] = window / j;
    }
    [probabilities, next] = [next, probabilities];
  }
  let lowerTail = 0;
  for (let k = 0; k <= c; k++) lowerTail += probabilities[k];
  return Math.min(1, 2 * lowerTail);
}
