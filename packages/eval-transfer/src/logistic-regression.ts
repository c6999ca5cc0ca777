import { checkNumber } from '@selfsup/runtime';
import { toFeatureMatrix, toLabels, type FeatureInput, type FeatureMatrix } from './feature-matrix';
import { argmaxRows } from './argmax-rows';
import { minimizeLbfgs, type LbfgsStopReason } from './lbfgs';
import { createSoftmaxProblem, linearScores, type Precision, type SoftmaxProblem } from './softmax-problem';

export interface LogisticRegressionOptions {
  /** Inverse regularisation strength (scikit-learn's C), > 0. */
  C: number;
  /** L-BFGS iterations. Default 1000. */
  maxIter?: number;
  /** Stop when max |gradient| of sklearn's internal objective (primal / C) is <= tol. Default 1e-8. */
  tol?: number;
  /** Start from a previous fit with the same classes and feature dimension (for C sweeps). */
  warmStart?: Pick<LogisticRegressionModel, 'coef' | 'intercept' | 'classes'>;
  /**
   * `float64`: exact JS loops; `float32`: the backend's matmul (fast for large n x d; the
   * objective is still accumulated in float64, but logits and gradients carry float32 rounding).
   * Default: float64 when n * dim * classes <= 1e6.
   */
  precision?: Precision;
}

export interface LogisticRegressionModel {
  /** Weights [K, dim], row-major (scikit-learn's `coef_` layout). */
  coef: Float64Array;
  /** Intercepts [K]; they sum to zero, like scikit-learn's (softmax is invariant to a common shift). */
  intercept: Float64Array;
  /** The label of each of the K rows, ascending (scikit-learn's `classes_`). */
  classes: Int32Array;
  dim: number;
  /** The primal objective `C * sum_i CE_i + 0.5 * ||coef||^2` at the solution. */
  objective: number;
  iterations: number;
  /** Objective + gradient evaluations (each costs two n x dim x K matmuls). */
  evaluations: number;
  converged: boolean;
  stopReason: LbfgsStopReason;
  precision: Precision;
  /** Class probabilities [n, K], row-major, columns in `classes` order. */
  predictProba(X: FeatureInput): Float64Array;
  /** Scores `X coef^T + intercept` [n, K], row-major. */
  decisionFunction(X: FeatureInput): Float64Array;
  /** The most probable label of each row. */
  predict(X: FeatureInput): Int32Array;
}

/** The sorted distinct labels and each label's index among them. */
export function encodeClasses(labels: Int32Array): { classes: Int32Array; indices: Int32Array } {
  const classes = Int32Array.from(new Set(labels)).sort();
  const position = new Map<number, number>();
  classes.forEach((c, i) => position.set(c, i));
  return { classes, indices: labels.map((l) => position.get(l)!) };
}

/**
 * Multinomial logistic regression with scikit-learn's objective
 * (`LogisticRegression(solver='lbfgs', multi_class='multinomial')`):
 * minimises `C * sum_i CE_i + 0.5 * ||coef||_F^2`, intercept unpenalised, by L-BFGS.
 */
export function logisticRegression(
  X: FeatureInput,
  y: ArrayLike<number>,
  options: LogisticRegressionOptions,
): LogisticRegressionModel {
  checkNumber('logisticRegression', 'options.C', options?.C, { min: 0, minExclusive: true });
  const features = toFeatureMatrix(X, 'logisticRegression: X');
  const labels = toLabels(y, features.n, 'logisticRegression: y');
  const { classes, indices } = encodeClasses(labels);
  if (classes.length < 2) {
    throw new Error(
      `logisticRegression: y has ${classes.length} distinct class(es) [${classes}]; at least 2 are needed`,
    );
  }
  const problem = createSoftmaxProblem(features, indices, classes.length, options.precision);
  try {
    return fitSoftmax(problem, classes, options);
  } finally {
    problem.dispose();
  }
}

/** Fit on a prepared problem (a C sweep builds the problem, and uploads the features, once). */
export function fitSoftmax(
  problem: SoftmaxProblem,
  classes: Int32Array,
  options: LogisticRegressionOptions,
): LogisticRegressionModel {
  const { C, maxIter = 1000, tol = 1e-8, warmStart } = options;
  checkNumber('logisticRegression', 'options.C', C, { min: 0, minExclusive: true });
  const { dim, numClasses: K } = problem;
  const x0 = new Float64Array(K * dim + K);
  if (warmStart) {
    if (warmStart.coef.length !== K * dim || warmStart.classes.join() !== classes.join()) {
      throw new Error(
        `logisticRegression: options.warmStart has classes [${warmStart.classes}] and ${warmStart.coef.length / warmStart.classes.length} ` +
          `features; expected classes [${classes}] and ${dim} features`,
      );
    }
    x0.set(warmStart.coef, 0);
    x0.set(warmStart.intercept, K * dim);
  }
  const result = minimizeLbfgs((x) => problem.evaluate(x, C), x0, {
    maxIter,
    gtol: tol,
    relativeNoise: problem.relativeNoise,
  });
  const coef = result.x.slice(0, K * dim);
  const intercept = result.x.slice(K * dim);
  const decisionFunction = (Xnew: FeatureInput): Float64Array =>
    linearScores(checkedFeatures(Xnew, dim, 'decisionFunction'), coef, intercept);
  const predictProba = (Xnew: FeatureInput): Float64Array => softmaxRows(decisionFunction(Xnew), K);
  return {
    coef,
    intercept,
    classes,
    dim,
    objective: C * result.f,
    iterations: result.iterations,
    evaluations: result.evaluations,
    converged: result.converged,
    stopReason: result.reason,
    precision: problem.precision,
    decisionFunction,
    predictProba,
    predict: (Xnew) => argmaxRows(decisionFunction(Xnew), K).map((k) => classes[k]),
  };
}

function checkedFeatures(X: FeatureInput, dim: number, method: string): FeatureMatrix {
  const m = toFeatureMatrix(X, `${method}: X`);
  if (m.n > 0 && m.dim !== dim) throw new Error(`${method}: X has ${m.dim} features, the model was fitted on ${dim}`);
  return m;
}

function softmaxRows(scores: Float64Array, K: number): Float64Array {
  const out = new Float64Array(scores.length);
  for (let r = 0; r < scores.length; r += K) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, scores[r + k]);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += out[r + k] = Math.exp(scores[r + k] - max);
    for (let k = 0; k < K; k++) out[r + k] /= sum;
  }
  return out;
}
