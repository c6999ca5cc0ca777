import type { Sample } from './types';

/**
 * 1-based ranks with ties given the average of the ranks they span
 * (SciPy's rankdata(method='average')), as Spearman's rho requires.
 */
export function averageRanks(values: Sample): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    // Positions start..end-1 hold rank start+1..end; their mean is (start + 1 + end) / 2.
    const shared = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = shared;
    start = end;
  }
  return ranks;
}
