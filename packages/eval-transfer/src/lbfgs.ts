/**
 * Limited-memory BFGS (Nocedal & Wright, "Numerical Optimization", 2nd ed.,
 * Alg. 7.4 two-loop recursion, Alg. 3.5/3.6 strong-Wolfe line search with cubic
 * interpolation). Generic over any smooth objective on a Float64Array.
 */
import { checkNumber } from '@selfsup/runtime';

/** The objective: value and gradient at `x` (the gradient array is owned by the caller of `minimizeLbfgs`). */
export type ObjectiveFn = (x: Float64Array) => { f: number; g: Float64Array };

export interface LbfgsOptions {
  /** Maximum number of iterations (line searches). Default 1000. */
  maxIter?: number;
  /** Stop when max |g_i| <= gtol (scipy's `pgtol`, sklearn's `tol`). Default 1e-8. */
  gtol?: number;
  /** Stop when the relative decrease (f_k - f_k+1) / max(|f_k|, |f_k+1|, 1) <= ftol. Default 64 * 2^-52 (sklearn 1.2). */
  ftol?: number;
  /** Number of correction pairs kept. Default 10 (scipy's default). */
  memory?: number;
  /** Objective evaluations allowed per line search. Default 50 (sklearn's `maxls`). */
  maxLineSearch?: number;
  /**
   * Relative noise of the objective values (0 for exact arithmetic). With noise eps_f =
   * relativeNoise * max(|f|, 1), the line search relaxes Armijo by 2 eps_f (Xie, Byrd & Nocedal
   * 2020, noise-tolerant L-BFGS) and the run stops once three iterations in a row gain less than eps_f,
   * instead of spending evaluations on differences that are below the noise.
   */
  relativeNoise?: number;
}

export type LbfgsStopReason = 'gtol' | 'ftol' | 'maxIter' | 'lineSearch';

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  g: Float64Array;
  iterations: number;
  evaluations: number;
  /** True when a gradient or relative-decrease test stopped it (scipy's `success`). */
  converged: boolean;
  reason: LbfgsStopReason;
}

interface Point {
  alpha: number;
  f: number;
  /** Directional derivative g(x + alpha p) . p */
  d: number;
  g: Float64Array;
}

const C1 = 1e-4; // sufficient decrease (Armijo)
const C2 = 0.9; // curvature; 0.9 is the usual choice for quasi-Newton methods
const NOISE_STALL_ITERATIONS = 3;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Minimiser of the cubic through (a, fa, da) and (b, fb, db); NaN when it has none. */
function cubicMinimizer(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

/**
 * Minimise `fn` from `x0` with L-BFGS. Never throws on slow progress: it reports
 * why it stopped (`reason`) and whether that counts as converged.
 */
export function minimizeLbfgs(fn: ObjectiveFn, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const {
    maxIter = 1000,
    gtol = 1e-8,
    ftol = 64 * 2 ** -52,
    memory = 10,
    maxLineSearch = 50,
    relativeNoise = 0,
  } = options;
  checkNumber('minimizeLbfgs', 'maxIter', maxIter, { min: 0, integer: true });
  if (!(gtol >= 0)) throw new Error(`minimizeLbfgs: gtol must be >= 0, got ${gtol}`);
  if (!(ftol >= 0)) throw new Error(`minimizeLbfgs: ftol must be >= 0, got ${ftol}`);
  checkNumber('minimizeLbfgs', 'memory', memory, { min: 1, integer: true });

  const n = x0.length;
  let x = Float64Array.from(x0);
  let evaluations = 0;
  const evaluate = (at: Float64Array): { f: number; g: Float64Array } => {
    evaluations++;
    const r = fn(at);
    if (!Number.isFinite(r.f)) throw new Error(`minimizeLbfgs: the objective returned ${r.f}`);
    return { f: r.f, g: Float64Array.from(r.g) };
  };
  let { f, g } = evaluate(x);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const p = new Float64Array(n);
  const trial = new Float64Array(n);

  const pointAt = (alpha: number): Point => {
    for (let i = 0; i < n; i++) trial[i] = x[i] + alpha * p[i];
    const r = evaluate(trial);
    return { alpha, f: r.f, d: dot(r.g, p), g: r.g };
  };

  const done = (iterations: number, reason: LbfgsStopReason): LbfgsResult => ({
    x,
    f,
    g,
    iterations,
    evaluations,
    converged: reason === 'gtol' || reason === 'ftol',
    reason,
  });

  if (maxAbs(g) <= gtol) return done(0, 'gtol');
  let stalled = 0;
  for (let iter = 0; iter < maxIter; iter++) {
    twoLoopDirection(g, S, Y, rho, p);
    let d0 = dot(g, p);
    if (!(d0 < 0)) {
      // Not a descent direction (bad curvature history): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) p[i] = -g[i];
      d0 = dot(g, p);
    }
    const firstStep = S.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(p, p))) : 1;
    const noise = relativeNoise * Math.max(Math.abs(f), 1);
    const accepted = strongWolfe(pointAt, f, d0, firstStep, maxLineSearch, noise);
    if (!accepted) {
      if (S.length === 0) return done(iter, 'lineSearch');
      S.length = Y.length = rho.length = 0; // retry once along steepest descent
      iter--;
      continue;
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    const xNew = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = accepted.alpha * p[i];
      xNew[i] = x[i] + s[i];
      y[i] = accepted.g[i] - g[i];
    }
    const sy = dot(s, y);
    // Keep the pair only with positive curvature, so the implicit Hessian stays positive definite.
    if (sy > 1e-10 * dot(y, y)) {
      if (S.length === memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const fOld = f;
    x = xNew;
    f = accepted.f;
    g = accepted.g;
    if (maxAbs(g) <= gtol) return done(iter + 1, 'gtol');
    if (fOld - f <= ftol * Math.max(Math.abs(fOld), Math.abs(f), 1)) return done(iter + 1, 'ftol');
    // Below the noise a single small gain proves little; three in a row mean no more real progress.
    stalled = fOld - f <= noise ? stalled + 1 : 0;
    if (stalled === NOISE_STALL_ITERATIONS) return done(iter + 1, 'ftol');
  }
  return done(maxIter, 'maxIter');
}

/** p = -H g with H the L-BFGS inverse-Hessian approximation, scaled by s'y / y'y. */
function twoLoopDirection(g: Float64Array, S: Float64Array[], Y: Float64Array[], rho: number[], p: Float64Array): void {
  const m = S.length;
  const alpha = new Float64Array(m);
  for (let i = 0; i < g.length; i++) p[i] = -g[i];
  for (let k = m - 1; k >= 0; k--) {
    alpha[k] = rho[k] * dot(S[k], p);
    const y = Y[k];
    for (let i = 0; i < p.length; i++) p[i] -= alpha[k] * y[i];
  }
  if (m > 0) {
    const gamma = 1 / (rho[m - 1] * dot(Y[m - 1], Y[m - 1]));
    for (let i = 0; i < p.length; i++) p[i] *= gamma;
  }
  for (let k = 0; k < m; k++) {
    const beta = rho[k] * dot(Y[k], p);
    const s = S[k];
    for (let i = 0; i < p.length; i++) p[i] += (alpha[k] - beta) * s[i];
  }
}

/**
 * Find a step satisfying the strong Wolfe conditions. If the budget runs out it
 * still returns the best point with sufficient decrease, if any (progress beats
 * giving up); `undefined` means no decrease was found at all.
 */
function strongWolfe(
  at: (alpha: number) => Point,
  f0: number,
  d0: number,
  firstStep: number,
  maxEvals: number,
  noise: number,
): Point | undefined {
  const sufficient = (pt: Point): boolean => pt.f <= f0 + C1 * pt.alpha * d0 + 2 * noise;
  const curvatureOk = (pt: Point): boolean => Math.abs(pt.d) <= -C2 * d0;
  let prev: Point = { alpha: 0, f: f0, d: d0, g: new Float64Array(0) };
  let alpha = firstStep;
  let evals = 0;
  let best: Point | undefined;

  const zoom = (lo: Point, hi: Point): Point | undefined => {
    while (evals < maxEvals) {
      const width = hi.alpha - lo.alpha;
      let a = cubicMinimizer(lo.alpha, lo.f, lo.d, hi.alpha, hi.f, hi.d);
      const left = Math.min(lo.alpha, hi.alpha);
      const right = Math.max(lo.alpha, hi.alpha);
      // Safeguard: stay 10% inside the bracket, else bisect.
      if (!(a > left + 0.1 * Math.abs(width) && a < right - 0.1 * Math.abs(width))) a = lo.alpha + 0.5 * width;
      // A bracket this narrow cannot improve much further (MINPACK's dcsrch, used by
      // L-BFGS-B, gives up at a relative width of 0.1); noisy float32 objectives would otherwise burn the budget here.
      if (Math.abs(width) <= 1e-3 * right) break;
      const pt = at(a);
      evals++;
      if (!sufficient(pt) || pt.f >= lo.f) {
        hi = pt;
      } else {
        if (curvatureOk(pt)) return pt;
        if (pt.d * (hi.alpha - lo.alpha) >= 0) hi = lo;
        lo = pt;
        best = pt;
      }
    }
    return lo.alpha > 0 ? lo : best;
  };

  while (evals < maxEvals) {
    const pt = at(alpha);
    evals++;
    if (!sufficient(pt) || (prev.alpha > 0 && pt.f >= prev.f)) return zoom(prev, pt);
    best = pt;
    if (curvatureOk(pt)) return pt;
    if (pt.d >= 0) return zoom(pt, prev);
    prev = pt;
    alpha *= 4; // still descending steeply: expand the step
  }
  return best;
}
