import { describe, expect, it } from 'vitest';
import { minimizeLbfgs, type ObjectiveFn } from './lbfgs';

// Rosenbrock in n dimensions: a curved valley, the classic stress test for line searches.
const rosenbrock: ObjectiveFn = (x) => {
  const g = new Float64Array(x.length);
  let f = 0;
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    f += 100 * a * a + b * b;
    g[i] += -400 * x[i] * a - 2 * b;
    g[i + 1] += 200 * a;
  }
  return { f, g };
};

describe('minimizeLbfgs', () => {
  it('finds the minimum of the 10-D Rosenbrock function', () => {
    const x0 = new Float64Array(10).fill(-1.2);
    const r = minimizeLbfgs(rosenbrock, x0, { gtol: 1e-10 });
    expect(r.converged).toBe(true);
    for (const v of r.x) expect(v).toBeCloseTo(1, 6);
    expect(r.f).toBeLessThan(1e-12);
  });

  it('solves an ill-conditioned quadratic to the gradient tolerance', () => {
    const scales = Float64Array.from({ length: 50 }, (_, i) => 10 ** (i / 10)); // condition number 1e5
    const quad: ObjectiveFn = (x) => {
      let f = 0;
      const g = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) {
        f += 0.5 * scales[i] * (x[i] - i) ** 2;
        g[i] = scales[i] * (x[i] - i);
      }
      return { f, g };
    };
    const r = minimizeLbfgs(quad, new Float64Array(50), { gtol: 1e-9, ftol: 0, maxIter: 5000 });
    expect(r.reason).toBe('gtol');
    r.x.forEach((v, i) => expect(Math.abs(v - i)).toBeLessThan((1e-9 / scales[i]) * 10 + 1e-12));
  });

  it('reports maxIter without throwing when the budget is too small', () => {
    const r = minimizeLbfgs(rosenbrock, new Float64Array(4).fill(-1.2), { maxIter: 3 });
    expect(r).toMatchObject({ iterations: 3, converged: false, reason: 'maxIter' });
  });

  it('stops at once at a stationary point', () => {
    const r = minimizeLbfgs(rosenbrock, new Float64Array(3).fill(1));
    expect(r).toMatchObject({ iterations: 0, converged: true, reason: 'gtol', evaluations: 1 });
  });

  it('rejects bad options and non-finite objectives with a clear error', () => {
    expect(() => minimizeLbfgs(rosenbrock, new Float64Array(2), { maxIter: -1 })).toThrow(
      /maxIter must be an integer >= 0, got -1/,
    );
    expect(() => minimizeLbfgs(() => ({ f: NaN, g: new Float64Array(1) }), new Float64Array(1))).toThrow(
      /returned NaN/,
    );
  });

  it('with relativeNoise, stops at the noise level instead of burning evaluations on it', () => {
    // A quadratic whose values carry a deterministic relative error of 1e-7, like float32 logits.
    const noisy: ObjectiveFn = (x) => {
      let f = 10;
      const g = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) {
        f += 0.5 * (i + 1) * (x[i] - 1) ** 2;
        g[i] = (i + 1) * (x[i] - 1);
      }
      return { f: f * (1 + 1e-7 * Math.sin(1e7 * x[0])), g };
    };
    const x0 = new Float64Array(20);
    const plain = minimizeLbfgs(noisy, x0, { gtol: 1e-12, ftol: 0, maxIter: 200 });
    const tolerant = minimizeLbfgs(noisy, x0, { gtol: 1e-12, ftol: 0, maxIter: 200, relativeNoise: 1e-7 });
    expect(tolerant.reason).toBe('ftol');
    expect(tolerant.evaluations).toBeLessThan(plain.evaluations);
    expect(tolerant.f).toBeLessThan(10 * (1 + 3e-7));
  });
});
