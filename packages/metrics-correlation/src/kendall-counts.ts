import type { Sample } from './types';

/** Tie-group sums of one sample (t = size of a group of equal values). */
export interface TieSums {
  /** sum t(t-1)/2: pairs tied in this sample. */
  pairs: number;
  /** sum t(t-1)(t-2). */
  cubic: number;
  /** sum t(t-1)(2t+5). */
  variance: number;
}

export interface KendallCounts {
  n: number;
  /** n(n-1)/2. */
  totalPairs: number;
  /** Pairs ordered oppositely by x and y (ties in either do not count). */
  discordant: number;
  /** Pairs tied in both x and y. */
  tiedBoth: number;
  xTies: TieSums;
  yTies: TieSums;
}

function tieSums(sorted: Float64Array): TieSums {
  const sums: TieSums = { pairs: 0, cubic: 0, variance: 0 };
  let start = 0;
  while (start < sorted.length) {
    let end = start + 1;
    while (end < sorted.length && sorted[end] === sorted[start]) end++;
    const t = end - start;
    sums.pairs += (t * (t - 1)) / 2;
    sums.cubic += t * (t - 1) * (t - 2);
    sums.variance += t * (t - 1) * (2 * t + 5);
    start = end;
  }
  return sums;
}

/**
 * Sorts `values` ascending in place (bottom-up merge sort) and returns the
 * number of strict inversions i < j with values[i] > values[j]. Equal values
 * are not inversions, so pairs tied in y are not counted as discordant.
 */
function sortCountingInversions(values: Float64Array): number {
  const n = values.length;
  let source: Float64Array = values;
  let target: Float64Array = new Float64Array(n);
  let inversions = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let left = 0; left < n; left += 2 * width) {
      const mid = Math.min(left + width, n);
      const right = Math.min(left + 2 * width, n);
      let i = left;
      let j = mid;
      let k = left;
      while (i < mid && j < right) {
        if (source[i] <= source[j]) {
          target[k++] = source[i++];
        } else {
          inversions += mid - i;
          target[k++] = source[j++];
        }
      }
      while (i < mid) target[k++] = source[i++];
      while (j < right) target[k++] = source[j++];
    }
    [source, target] = [target, source];
  }
  if (source !== values) values.set(source);
  return inversions;
}

/**
 * Pair counts behind Kendall's tau-b in O(n log n) (Knight's algorithm):
 * order the pairs by (x, y); then a discordant pair is exactly an inversion
 * of the y sequence, which a merge sort counts.
 */
export function kendallCounts(x: Sample, y: Sample): KendallCounts {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b] || y[a] - y[b]);
  const xSorted = new Float64Array(n);
  const ySequence = new Float64Array(n);
  let tiedBoth = 0;
  let run = 1;
  for (let k = 0; k < n; k++) {
    xSorted[k] = x[order[k]];
    ySequence[k] = y[order[k]];
    if (k > 0 && xSorted[k] === xSorted[k - 1] && ySequence[k] === ySequence[k - 1]) {
      run++;
    } else {
      tiedBoth += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  tiedBoth += (run * (run - 1)) / 2;
  const discordant = sortCountingInversions(ySequence);
  return {
    n,
    totalPairs: (n * (n - 1)) / 2,
    discordant,
    tiedBoth,
    xTies: tieSums(xSorted),
    yTies: tieSums(ySequence),
  };
}
