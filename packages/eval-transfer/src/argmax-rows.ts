/** Index of the largest value in each row of a row-major [n, K] array (first on ties). */
export function argmaxRows(values: ArrayLike<number>, K: number): Int32Array {
  const n = values.length / K;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (values[i * K + k] > values[i * K + best]) best = k;
    out[i] = best;
  }
  return out;
}
