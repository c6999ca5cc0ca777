import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeWithReference, loadReference, type RefTensor } from '@selfsup/testing';
import { logisticRegression } from './logistic-regression';
import { createSoftmaxProblem } from './softmax-problem';

interface RefFit {
  C: number;
  objective_primal: number;
  predict_test: number[];
  refined: { coef: RefTensor; intercept: RefTensor; predict_proba_test: RefTensor };
  convergence_check: { refined_objective_sklearn_internal: number };
}
interface LogregRef {
  X_train: RefTensor;
  y_train: number[];
  X_test: RefTensor;
  fits: RefFit[];
}

const toMatrix = (t: RefTensor) => ({ data: Float32Array.from(t.data), n: t.shape[0], dim: t.shape[1] });
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const centred = (v: ArrayLike<number>) => {
  const mean = Array.from(v).reduce((s, x) => s + x, 0) / v.length;
  return Array.from(v, (x) => x - mean);
};

beforeAll(async () => {
  await initBackend('wasm');
});

describeWithReference('logisticRegression vs scikit-learn (logreg.json)', () => {
  const ref = loadReference<LogregRef>('logreg.json');
  const Xtr = toMatrix(ref.X_train);
  const Xte = toMatrix(ref.X_test);

  for (const fit of ref.fits) {
    it(`reaches the refined optimum at C = ${fit.C}`, () => {
      const model = logisticRegression(Xtr, ref.y_train, { C: fit.C });
      expect(model.converged).toBe(true);
      expect(model.precision).toBe('float64');
      // Our optimum can only be lower than the objective at the (6-digit rounded) refined
      // solution; and it must be within 1e-6 of it.
      const refinedParams = Float64Array.from([...fit.refined.coef.data, ...fit.refined.intercept.data]);
      const problem = createSoftmaxProblem(Xtr, Int32Array.from(ref.y_train), 4, 'float64');
      const refinedObjective = fit.C * problem.evaluate(refinedParams, fit.C).f;
      expect(model.objective).toBeLessThanOrEqual(refinedObjective * (1 + 1e-12));
      expect(Math.abs(model.objective - refinedObjective) / refinedObjective).toBeLessThan(1e-6);
      // The stored value is rounded to 6 digits (<= 5e-6 relative).
      const stored = fit.convergence_check.refined_objective_sklearn_internal * fit.C;
      expect(Math.abs(model.objective - stored) / stored).toBeLessThan(5e-6);

      const scale = Math.max(1, ...fit.refined.coef.data.map(Math.abs));
      expect(maxAbsDiff(model.coef, fit.refined.coef.data)).toBeLessThan(5e-4 * scale);
      expect(maxAbsDiff(centred(model.intercept), centred(fit.refined.intercept.data))).toBeLessThan(5e-4 * scale);
      expect(maxAbsDiff(model.predictProba(Xte), fit.refined.predict_proba_test.data)).toBeLessThan(1e-4);
      expect(Array.from(model.predict(Xte))).toEqual(fit.predict_test);
    });
  }

  it('reaches the same optimum on the float32 matmul path (within float32 accuracy)', () => {
    for (const fit of ref.fits) {
      const exact = logisticRegression(Xtr, ref.y_train, { C: fit.C });
      const fast = logisticRegression(Xtr, ref.y_train, { C: fit.C, precision: 'float32' });
      expect(fast.precision).toBe('float32');
      expect(Math.abs(fast.objective - exact.objective) / exact.objective).toBeLessThan(1e-6);
      // It stops at float32 noise (relative 1e-7 of the objective): probabilities agree to
      // the README's tolerance for sklearn's own (loose) solution, 1e-3, not to the refined 1e-4.
      expect(maxAbsDiff(fast.predictProba(Xte), exact.predictProba(Xte))).toBeLessThan(1e-3);
    }
  });

  it('accepts number[][] and tf.Tensor2D inputs and warm starts to the same optimum', () => {
    const rows = Array.from({ length: Xtr.n }, (_, i) => Array.from(Xtr.data.subarray(i * 10, i * 10 + 10)));
    const fromRows = logisticRegression(rows, ref.y_train, { C: 1 });
    const tensor = tf.tensor2d(Xtr.data, [Xtr.n, Xtr.dim]);
    const fromTensor = logisticRegression(tensor, ref.y_train, { C: 1 });
    tensor.dispose();
    expect(maxAbsDiff(fromRows.coef, fromTensor.coef)).toBe(0);
    const cold = logisticRegression(Xtr, ref.y_train, { C: 0.5 });
    const warm = logisticRegression(Xtr, ref.y_train, { C: 0.5, warmStart: fromRows });
    expect(warm.iterations).toBeLessThan(cold.iterations);
    expect(Math.abs(warm.objective - cold.objective) / cold.objective).toBeLessThan(1e-9);
  });
});

describe('softmax objective gradient', () => {
  // Finite differences on random data, for both arithmetic paths.
  const n = 30,
    dim = 5,
    K = 3;
  const data = Float32Array.from({ length: n * dim }, (_, i) => Math.sin(i * 1.7) * 2);
  const y = Int32Array.from({ length: n }, (_, i) => (i * 7) % K);
  const x = Float64Array.from({ length: K * dim + K }, (_, i) => Math.cos(i * 0.9) * 0.5);
  for (const precision of ['float64', 'float32'] as const) {
    it(`matches central finite differences (${precision})`, () => {
      const problem = createSoftmaxProblem({ data, n, dim }, y, K, precision);
      const before = tf.memory().numTensors;
      const { g } = problem.evaluate(x, 0.7);
      const h = precision === 'float64' ? 1e-5 : 1e-3;
      for (let i = 0; i < x.length; i++) {
        const xp = Float64Array.from(x);
        xp[i] += h;
        const xm = Float64Array.from(x);
        xm[i] -= h;
        const fd = (problem.evaluate(xp, 0.7).f - problem.evaluate(xm, 0.7).f) / (2 * h);
        expect(Math.abs(fd - g[i])).toBeLessThan(precision === 'float64' ? 1e-6 : 1e-3);
      }
      expect(tf.memory().numTensors).toBe(before);
      problem.dispose();
    });
  }
});

describe('logisticRegression input checks', () => {
  const X = [
    [0, 1],
    [1, 0],
    [1, 1],
  ];
  it('names the bad argument and value', () => {
    expect(() => logisticRegression(X, [0, 1, 0], { C: 0 })).toThrow(/options.C must be a finite number > 0.*got 0/);
    expect(() => logisticRegression(X, [0, 1, 0], { C: -1 })).toThrow(/got -1/);
    expect(() => logisticRegression(X, [0, 1], { C: 1 })).toThrow(/y has 2 labels but the features have 3 rows/);
    expect(() =>
      logisticRegression(
        [
          [0, NaN],
          [1, 0],
        ],
        [0, 1],
        { C: 1 },
      ),
    ).toThrow(/non-finite value NaN at row 0, column 1/);
    expect(() => logisticRegression([[0, 1], [1]], [0, 1], { C: 1 })).toThrow(/X\[1\] has 1 values, expected 2/);
    expect(() => logisticRegression(X, [1, 1, 1], { C: 1 })).toThrow(/1 distinct class/);
    expect(() => logisticRegression(X, [0, 1.5, 0], { C: 1 })).toThrow(/y\[1\] is 1.5/);
  });

  it('keeps the original labels when classes are not 0..K-1 and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const m = logisticRegression([[0], [0.1], [5], [5.2]], [7, 7, 3, 3], { C: 10 });
    expect(Array.from(m.classes)).toEqual([3, 7]);
    expect(Array.from(m.predict([[0.05], [5.1]]))).toEqual([7, 3]);
    const big = logisticRegression([[0], [0.1], [5], [5.2]], [7, 7, 3, 3], { C: 10, precision: 'float32' });
    big.predictProba([[1]]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
