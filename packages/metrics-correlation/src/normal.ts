import { erfc } from './erfc';

const SQRT_TWO = Math.SQRT2;
const ONE_OVER_SQRT_TWO_PI = 0.3989422804014327;

/** Standard normal density. */
export function normalPdf(z: number): number {
  return ONE_OVER_SQRT_TWO_PI * Math.exp(-0.5 * z * z);
}

/** Standard normal CDF, relative-accurate in the lower tail. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT_TWO);
}

/** Standard normal survival function 1 - CDF, relative-accurate in the upper tail. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / SQRT_TWO);
}

/**
 * Standard normal quantile (inverse CDF) for p in (0, 1). Starts from the
 * Abramowitz & Stegun 26.2.23 rational approximation (|error| < 4.5e-4) and
 * polishes it with Newton steps on our own normalCdf, so its accuracy is that
 * of erfc rather than of a second set of magic coefficients.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    throw new Error(`normalQuantile: p must be in (0, 1), got ${p}`);
  }
  if (p > 0.5) return -normalQuantile(1 - p);
  const t = Math.sqrt(-2 * Math.log(p));
  let z = -(
    t -
    (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
  );
  for (let step = 0; step < 6; step++) {
    const correction = (normalCdf(z) - p) / normalPdf(z);
    z -= correction;
    if (Math.abs(correction) < 1e-15 * Math.max(1, Math.abs(z))) break;
  }
  return z;
}
