/**
 * ln Gamma(x) for x > 0: the Stirling series, whose coefficients are the exact
 * rationals B_2k / (2k (2k - 1)) from the Bernoulli numbers, after shifting the
 * argument up to at least 15 with Gamma(x) = Gamma(x + N) / (x (x+1) ... (x+N-1)).
 * From 15 on, the first omitted term is below 1e-19, so the result is accurate
 * to rounding (absolute ~1e-14); the incomplete beta's prefactor needs ln B(a, b).
 */
const SHIFT_TO = 15;
const HALF_LOG_TWO_PI = 0.9189385332046728;
// B_2k / (2k(2k-1)) for k = 1..7: 1/12, -1/360, 1/1260, -1/1680, 1/1188, -691/360360, 1/156.
const STIRLING_COEFFICIENTS = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156];

export function logGamma(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) {
    throw new Error(`logGamma: x must be a finite positive number, got ${x}`);
  }
  let z = x;
  let shiftProduct = 1;
  while (z < SHIFT_TO) {
    shiftProduct *= z;
    z += 1;
  }
  const inverseSquare = 1 / (z * z);
  let correction = 0;
  for (let k = STIRLING_COEFFICIENTS.length - 1; k >= 0; k--) {
    correction = correction * inverseSquare + STIRLING_COEFFICIENTS[k];
  }
  correction /= z;
  return (z - 0.5) * Math.log(z) - z + HALF_LOG_TWO_PI + correction - Math.log(shiftProduct);
}

/** ln B(a, b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}
