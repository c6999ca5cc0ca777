import type { Sample } from './types';

/** First index in ascending `sorted` whose value is >= v (or > v when `strict`). */
function bound(sorted: Float64Array, v: number, strict: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v || (strict && sorted[mid] === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * 1-based ranks with ties given the average of the ranks they span
 * (SciPy's rankdata(method='average')), as Spearman's rho requires.
 * A value's tie group occupies positions [first, last) of the sorted copy,
 * i.e. ranks first+1..last, whose mean is (first + 1 + last) / 2. A typed
 * array's built-in numeric sort needs no comparator callback (about 2-3x
 * faster than one in Node 20), and the bootstrap ranks thousands of resamples.
 */
export function averageRanks(values: Sample): Float64Array {
  const sorted = Float64Array.from(values).sort();
  const ranks = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    ranks[i] = (bound(sorted, v, false) + 1 + bound(sorted, v, true)) / 2;
  }
  return ranks;
}
