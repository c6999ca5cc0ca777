import { logBeta } from './log-gamma';

const EPSILON = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

/**
 * Continued fraction for I_x(a, b) (Abramowitz & Stegun 26.5.8) evaluated with
 * the modified Lentz method. It converges fast for x < (a + 1)/(a + b + 2);
 * the caller uses the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) otherwise.
 */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const sumAB = a + b;
  let c = 1;
  let d = 1 - (sumAB * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let f = d;
  const applyTerm = (coefficient: number): number => {
    d = 1 + coefficient * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + coefficient / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    return delta;
  };
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const twoM = 2 * m;
    applyTerm((m * (b - m) * x) / ((a + twoM - 1) * (a + twoM)));
    const delta = applyTerm((-(a + m) * (sumAB + m) * x) / ((a + twoM) * (a + twoM + 1)));
    if (Math.abs(delta - 1) < EPSILON) return f;
  }
  throw new Error(`regularizedIncompleteBeta: continued fraction did not converge for a = ${a}, b = ${b}, x = ${x}`);
}

/**
 * Regularised incomplete beta I_x(a, b) = B(x; a, b) / B(a, b): the CDF of
 * Beta(a, b) at x. It gives the exact Pearson null distribution and the
 * Student t tail, i.e. every p-value this package reports except Kendall's.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new Error(`regularizedIncompleteBeta: a and b must be finite and positive, got a = ${a}, b = ${b}`);
  }
  if (!(x >= 0 && x <= 1)) {
    throw new Error(`regularizedIncompleteBeta: x must be in [0, 1], got ${x}`);
  }
  if (x === 0 || x === 1) return x;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}
