import * as tf from '@tensorflow/tfjs-core';
import type { FeatureMatrix } from './feature-matrix';

/**
 * The multinomial logistic-regression objective in scikit-learn 1.2's internal
 * scaling, `sum_i CE_i + ||W||^2 / (2C)` (= primal / C, same minimiser; its
 * gradient is what sklearn's `tol` is measured on). Parameters are packed as
 * `x = [W (K x dim, row-major), b (K)]`; the intercept is not penalised.
 */
export interface SoftmaxProblem {
  readonly n: number;
  readonly dim: number;
  readonly numClasses: number;
  /** Where the arithmetic happens: float64 JS loops, or float32 matmuls on the tfjs backend. */
  readonly precision: Precision;
  evaluate(x: Float64Array, C: number): { f: number; g: Float64Array; crossEntropy: number };
  dispose(): void;
}

export type Precision = 'float64' | 'float32';

/**
 * Above this many multiply-adds per pass (n * dim * K) the objective runs on the
 * backend's matmul: float64 JS loops are exact but would take seconds per
 * evaluation at 50,000 x 2048.
 */
export const FLOAT64_MAX_WORK = 4e6;

export function choosePrecision(n: number, dim: number, numClasses: number): Precision {
  return n * dim * numClasses <= FLOAT64_MAX_WORK ? 'float64' : 'float32';
}

/**
 * Softmax cross-entropy of one row of logits (in place: `z` becomes p - onehot(y)).
 * Computed in float64 with the max subtracted, so it never overflows.
 */
function softmaxResidual(z: Float64Array, label: number): number {
  let max = -Infinity;
  for (let k = 0; k < z.length; k++) max = Math.max(max, z[k]);
  let sum = 0;
  for (let k = 0; k < z.length; k++) sum += Math.exp(z[k] - max);
  const logSumExp = max + Math.log(sum);
  const ce = logSumExp - z[label];
  for (let k = 0; k < z.length; k++) z[k] = Math.exp(z[k] - logSumExp);
  z[label] -= 1;
  return ce;
}

function addPenalty(x: Float64Array, g: Float64Array, weights: number, C: number, crossEntropy: number) {
  let sq = 0;
  for (let i = 0; i < weights; i++) {
    sq += x[i] * x[i];
    g[i] += x[i] / C;
  }
  return { f: crossEntropy + sq / (2 * C), g, crossEntropy };
}

/** Build the objective over features `X` and class indices `y` in [0, numClasses). */
export function createSoftmaxProblem(
  X: FeatureMatrix,
  y: Int32Array,
  numClasses: number,
  precision: Precision = choosePrecision(X.n, X.dim, numClasses),
): SoftmaxProblem {
  return precision === 'float64' ? float64Problem(X, y, numClasses) : float32Problem(X, y, numClasses);
}

function float64Problem({ data, n, dim }: FeatureMatrix, y: Int32Array, K: number): SoftmaxProblem {
  const z = new Float64Array(K);
  return {
    n, dim, numClasses: K, precision: 'float64',
    evaluate(x, C) {
      const g = new Float64Array(x.length);
      const bOffset = K * dim;
      let crossEntropy = 0;
      for (let i = 0; i < n; i++) {
        const row = i * dim;
        for (let k = 0; k < K; k++) {
          let s = x[bOffset + k];
          const w = k * dim;
          for (let j = 0; j < dim; j++) s += x[w + j] * data[row + j];
          z[k] = s;
        }
        crossEntropy += softmaxResidual(z, y[i]);
        for (let k = 0; k < K; k++) {
          const r = z[k];
          const w = k * dim;
          for (let j = 0; j < dim; j++) g[w + j] += r * data[row + j];
          g[bOffset + k] += r;
        }
      }
      return addPenalty(x, g, bOffset, C, crossEntropy);
    },
    dispose() {},
  };
}

/** W [K, dim] (the head of `x`) as a float32 [dim, K] kernel, so `X @ kernel` needs no transposed matmul. */
function transposeWeights(x: ArrayLike<number>, K: number, dim: number, out: Float32Array): Float32Array {
  for (let k = 0; k < K; k++) for (let j = 0; j < dim; j++) out[j * K + k] = x[k * dim + j];
  return out;
}

function float32Problem(X: FeatureMatrix, y: Int32Array, K: number): SoftmaxProblem {
  const { n, dim } = X;
  // Both matmuls are laid out as plain [a, b] x [b, c]: tfjs-wasm's transposed
  // matmul paths measured ~10x slower here.
  const features = tf.tensor2d(X.data, [n, dim]);
  const weightsT = new Float32Array(dim * K);
  const residualT = new Float32Array(K * n);
  const z = new Float64Array(K);
  return {
    n, dim, numClasses: K, precision: 'float32',
    evaluate(x, C) {
      const bOffset = K * dim;
      const logits = tf.tidy(() => tf.matMul(features, tf.tensor2d(transposeWeights(x, K, dim, weightsT), [dim, K])));
      const values = logits.dataSync();
      logits.dispose();
      const g = new Float64Array(x.length);
      let crossEntropy = 0;
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < K; k++) z[k] = values[i * K + k] + x[bOffset + k];
        crossEntropy += softmaxResidual(z, y[i]);
        for (let k = 0; k < K; k++) {
          residualT[k * n + i] = z[k];
          g[bOffset + k] += z[k];
        }
      }
      const gradW = tf.tidy(() => tf.matMul(tf.tensor2d(residualT, [K, n]), features));
      const gw = gradW.dataSync();
      gradW.dispose();
      for (let i = 0; i < bOffset; i++) g[i] = gw[i];
      return addPenalty(x, g, bOffset, C, crossEntropy);
    },
    dispose() {
      features.dispose();
    },
  };
}

/**
 * Class scores `X W^T + b` as a row-major Float64Array [n, K], in float64 for
 * small inputs and on the backend's matmul for large ones.
 */
export function linearScores(X: FeatureMatrix, coef: Float64Array, intercept: Float64Array): Float64Array {
  const K = intercept.length;
  const { data, n, dim } = X;
  const out = new Float64Array(n * K);
  if (choosePrecision(n, dim, K) === 'float64') {
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        let s = intercept[k];
        for (let j = 0; j < dim; j++) s += coef[k * dim + j] * data[i * dim + j];
        out[i * K + k] = s;
      }
    }
    return out;
  }
  const weightsT = transposeWeights(coef, K, dim, new Float32Array(dim * K));
  const scores = tf.tidy(() => tf.matMul(tf.tensor2d(data, [n, dim]), tf.tensor2d(weightsT, [dim, K])));
  const values = scores.dataSync();
  scores.dispose();
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) out[i * K + k] = values[i * K + k] + intercept[k];
  return out;
}
