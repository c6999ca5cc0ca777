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
  /** Relative error of the objective values (0 when exact; float32 logits carry ~1e-7). */
  readonly relativeNoise: number;
  evaluate(x: Float64Array, C: number): { f: number; g: Float64Array; crossEntropy: number };
  dispose(): void;
}

export type Precision = 'float64' | 'float32';

/**
 * Above this many multiply-adds per pass (n * dim * K) the objective runs on the
 * backend's matmul: float64 JS loops are exact but would take seconds per
 * evaluation at 50,000 x 2048.
 */
export const FLOAT64_MAX_WORK = 1e6;

/**
 * Objective noise assumed on the float32 path: float32 rounding (6e-8) of logits
 * summed over the feature dimension; measured float32-vs-float64 objective gaps at the
 * optimum were 1e-7 to 4e-7.
 */
export const FLOAT32_RELATIVE_NOISE = 1e-7;

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
    n,
    dim,
    numClasses: K,
    precision: 'float64',
    relativeNoise: 0,
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

function float32Problem(X: FeatureMatrix, y: Int32Array, K: number): SoftmaxProblem {
  const { n, dim } = X;
  // Features are kept transposed [dim, n] so both products are plain matmuls with the
  // long axis last (W [K, dim] x X^T, X^T x R [n, K]): on tfjs-wasm these layouts
  // measured 2-3x faster than X [n, dim] x W^T, and one copy serves both.
  const featuresT = tf.tidy(() => tf.transpose(tf.tensor2d(X.data, [n, dim])));
  const weights = new Float32Array(K * dim);
  const residual = new Float32Array(n * K);
  const z = new Float64Array(K);
  return {
    n,
    dim,
    numClasses: K,
    precision: 'float32',
    relativeNoise: FLOAT32_RELATIVE_NOISE,
    evaluate(x, C) {
      const bOffset = K * dim;
      for (let i = 0; i < bOffset; i++) weights[i] = x[i];
      const logitsT = tf.tidy(() => tf.matMul(tf.tensor2d(weights, [K, dim]), featuresT));
      const values = logitsT.dataSync();
      logitsT.dispose();
      const g = new Float64Array(x.length);
      let crossEntropy = 0;
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < K; k++) z[k] = values[k * n + i] + x[bOffset + k];
        crossEntropy += softmaxResidual(z, y[i]);
        for (let k = 0; k < K; k++) {
          residual[i * K + k] = z[k];
          g[bOffset + k] += z[k];
        }
      }
      const gradT = tf.tidy(() => tf.matMul(featuresT, tf.tensor2d(residual, [n, K])));
      const gw = gradT.dataSync();
      gradT.dispose();
      for (let k = 0; k < K; k++) for (let j = 0; j < dim; j++) g[k * dim + j] = gw[j * K + k];
      return addPenalty(x, g, bOffset, C, crossEntropy);
    },
    dispose() {
      featuresT.dispose();
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
  const scoresT = tf.tidy(() =>
    tf.matMul(tf.tensor2d(Float32Array.from(coef), [K, dim]), tf.transpose(tf.tensor2d(data, [n, dim]))),
  );
  const values = scoresT.dataSync();
  scoresT.dispose();
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) out[i * K + k] = values[k * n + i] + intercept[k];
  return out;
}
