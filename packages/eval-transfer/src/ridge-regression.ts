import { checkNumber, describeValue } from '@selfsup/runtime';
import { type FeatureInput, toFeatureMatrix } from './feature-matrix';

/** Regression targets `[n, outputs]`: rows, or row-major values with their shape. */
export type TargetInput = number[][] | { data: ArrayLike<number>; n: number; dim: number };

export interface RidgeModel {
  /** `[outputs, dim]`, row-major (scikit-learn's `coef_`). */
  coef: Float64Array;
  intercept: Float64Array;
  dim: number;
  outputs: number;
  /** Predictions `[n, outputs]`, row-major. */
  predict(X: FeatureInput): Float64Array;
}

/** Targets as float64 rows, checked against the feature count. */
export function toTargets(Y: TargetInput, n: number, fn: string, name = 'Y'): { data: Float64Array; dim: number } {
  let data: Float64Array;
  let dim: number;
  if (Array.isArray(Y)) {
    dim = Y[0]?.length ?? 0;
    data = new Float64Array(Y.length * dim);
    Y.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== dim)
        throw new Error(`${fn}: ${name}[${i}] has ${row?.length} values, expected ${dim} (the length of ${name}[0])`);
      data.set(row, i * dim);
    });
  } else if (Y && typeof Y === 'object' && Y.data && typeof Y.data.length === 'number') {
    ({ dim } = Y);
    data = Float64Array.from(Y.data);
    if (Y.n * dim !== data.length)
      throw new Error(`${fn}: ${name} { n: ${Y.n}, dim: ${dim} } does not match data.length ${data.length}`);
  } else {
    throw new Error(`${fn}: ${name} must be number[][] or { data, n, dim }, got ${describeValue(Y)}`);
  }
  if (dim < 1 || data.length / dim !== n)
    throw new Error(
      `${fn}: ${name} has ${dim < 1 ? 0 : data.length / dim} rows of ${dim} targets; expected ${n} rows (one per feature row)`,
    );
  if (!data.every(Number.isFinite)) throw new Error(`${fn}: ${name} has a non-finite value`);
  return { data, dim };
}

/** Solve A·X = B in place for symmetric positive-definite A `[m, m]` and B `[m, k]` (Cholesky, float64). */
function choleskySolve(A: Float64Array, B: Float64Array, m: number, k: number): void {
  for (let j = 0; j < m; j++) {
    let d = A[j * m + j];
    for (let p = 0; p < j; p++) d -= A[j * m + p] ** 2;
    if (!(d > 0))
      throw new Error('ridgeRegression: the regularised Gram matrix is not positive definite; use alpha > 0');
    const l = Math.sqrt(d);
    A[j * m + j] = l;
    for (let i = j + 1; i < m; i++) {
      let s = A[i * m + j];
      for (let p = 0; p < j; p++) s -= A[i * m + p] * A[j * m + p];
      A[i * m + j] = s / l;
    }
  }
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < m; i++) {
      let s = B[i * k + c];
      for (let p = 0; p < i; p++) s -= A[i * m + p] * B[p * k + c];
      B[i * k + c] = s / A[i * m + i];
    }
    for (let i = m - 1; i >= 0; i--) {
      let s = B[i * k + c];
      for (let p = i + 1; p < m; p++) s -= A[p * m + i] * B[p * k + c];
      B[i * k + c] = s / A[i * m + i];
    }
  }
}

/**
 * Ridge regression with an unpenalised intercept, minimising ‖Y − X·Wᵀ − b‖² + alpha·‖W‖² as
 * scikit-learn's `Ridge(alpha)`: X and Y are centred, then the closed form is solved by Cholesky
 * in float64, in the primal (XᵀX + αI) when n ≥ dim and in the dual (XXᵀ + αI) otherwise.
 */
export function ridgeRegression(X: FeatureInput, Y: TargetInput, options: { alpha?: number } = {}): RidgeModel {
  const fn = 'ridgeRegression';
  const alpha = checkNumber(fn, 'options.alpha', options.alpha ?? 1, { min: 0, minExclusive: true });
  const { data: x32, n, dim } = toFeatureMatrix(X, `${fn}: X`);
  if (n < 2) throw new Error(`${fn}: X needs at least 2 rows, got ${n}`);
  const { data: y, dim: k } = toTargets(Y, n, fn);
  const xMean = new Float64Array(dim);
  const yMean = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) xMean[j] += x32[i * dim + j] / n;
    for (let c = 0; c < k; c++) yMean[c] += y[i * k + c] / n;
  }
  const x = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) x[i * dim + j] = x32[i * dim + j] - xMean[j];
  const yc = Float64Array.from(y, (v, idx) => v - yMean[idx % k]);
  const W = new Float64Array(dim * k); // [dim, k]
  if (n >= dim) {
    const G = new Float64Array(dim * dim);
    for (let i = 0; i < n; i++) {
      const row = i * dim;
      for (let a = 0; a < dim; a++) {
        const xa = x[row + a];
        if (xa === 0) continue;
        for (let b = 0; b <= a; b++) G[a * dim + b] += xa * x[row + b];
        for (let c = 0; c < k; c++) W[a * k + c] += xa * yc[i * k + c];
      }
    }
    for (let a = 0; a < dim; a++) {
      for (let b = 0; b < a; b++) G[b * dim + a] = G[a * dim + b];
      G[a * dim + a] += alpha;
    }
    choleskySolve(G, W, dim, k);
  } else {
    const K = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let a = 0; a < dim; a++) s += x[i * dim + a] * x[j * dim + a];
        K[i * n + j] = s;
        K[j * n + i] = s;
      }
      K[i * n + i] += alpha;
    }
    choleskySolve(K, yc, n, k);
    for (let i = 0; i < n; i++)
      for (let a = 0; a < dim; a++) for (let c = 0; c < k; c++) W[a * k + c] += x[i * dim + a] * yc[i * k + c];
  }
  const coef = new Float64Array(k * dim);
  const intercept = Float64Array.from(yMean);
  for (let a = 0; a < dim; a++) {
    for (let c = 0; c < k; c++) {
      coef[c * dim + a] = W[a * k + c];
      intercept[c] -= xMean[a] * W[a * k + c];
    }
  }
  const predict = (Xnew: FeatureInput): Float64Array => {
    const m = toFeatureMatrix(Xnew, `${fn}: predict X`);
    if (m.dim !== dim) throw new Error(`${fn}: predict X has dim ${m.dim}; the model was fitted on dim ${dim}`);
    const out = new Float64Array(m.n * k);
    for (let i = 0; i < m.n; i++) {
      for (let c = 0; c < k; c++) {
        let s = intercept[c];
        for (let a = 0; a < dim; a++) s += m.data[i * dim + a] * coef[c * dim + a];
        out[i * k + c] = s;
      }
    }
    return out;
  };
  return { coef, intercept, dim, outputs: k, predict };
}
