import { checkPositiveInteger, describeValue } from '@selfsup/runtime';

/** One equal-width confidence bin (lo, hi] of a reliability diagram. */
export interface CalibrationBin {
  lo: number;
  hi: number;
  /** Predictions whose confidence falls in (lo, hi]. */
  count: number;
  /** Share of them that are correct; 0 for an empty bin. */
  accuracy: number;
  /** Their mean confidence; 0 for an empty bin. */
  confidence: number;
}

export interface CalibrationResult {
  /** Expected calibration error Σ_b |B_b|/N · |acc(B_b) − conf(B_b)|, in [0, 1]. */
  ece: number;
  bins: CalibrationBin[];
}

/** Class probabilities `[n, K]`: rows, or row-major values with their shape. */
export type ProbabilityInput = number[][] | { data: ArrayLike<number>; n: number; dim: number };

/**
 * Bin edges as numpy.linspace(0, 1, bins + 1) computes them (i · (1 / bins), the last exactly 1),
 * so a confidence on an edge falls in the same bin as in Guo et al.'s NumPy code.
 */
function binEdges(bins: number): Float64Array {
  const step = 1 / bins;
  const edges = Float64Array.from({ length: bins + 1 }, (_, i) => i * step);
  edges[bins] = 1;
  return edges;
}

/**
 * ECE over per-prediction confidences and correctness (the core of `expectedCalibrationError`,
 * shared with the linear probe, whose columns map to class labels through its model).
 */
export function calibrationFromConfidences(
  confidences: ArrayLike<number>,
  correct: ArrayLike<boolean | number>,
  bins: number,
  fn = 'calibrationFromConfidences',
): CalibrationResult {
  checkPositiveInteger(fn, 'options.bins', bins);
  const n = confidences.length;
  if (correct.length !== n)
    throw new Error(`${fn}: ${n} confidences but ${correct.length} correctness flags; they must match`);
  if (n === 0) throw new Error(`${fn}: no predictions to calibrate (n = 0)`);
  const edges = binEdges(bins);
  const count = new Float64Array(bins);
  const hits = new Float64Array(bins);
  const confSum = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const c = confidences[i];
    if (!(c >= 0 && c <= 1)) throw new Error(`${fn}: confidence ${i} is ${c}; it must be in [0, 1]`);
    // The bin b with edges[b] < c <= edges[b + 1]; a confidence of exactly 0 joins the first bin.
    let b = Math.min(bins - 1, Math.max(0, Math.ceil(c * bins) - 1));
    while (b > 0 && c <= edges[b]) b--;
    while (b < bins - 1 && c > edges[b + 1]) b++;
    count[b]++;
    confSum[b] += c;
    if (correct[i]) hits[b]++;
  }
  let ece = 0;
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const accuracy = count[b] ? hits[b] / count[b] : 0;
    const confidence = count[b] ? confSum[b] / count[b] : 0;
    ece += (count[b] / n) * Math.abs(accuracy - confidence);
    out.push({ lo: edges[b], hi: edges[b + 1], count: count[b], accuracy, confidence });
  }
  return { ece, bins: out };
}

function toRows(probs: ProbabilityInput, fn: string): { data: ArrayLike<number>; n: number; dim: number } {
  if (Array.isArray(probs)) {
    const dim = probs[0]?.length ?? 0;
    const data = new Float64Array(probs.length * dim);
    probs.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== dim)
        throw new Error(`${fn}: probs[${i}] has ${row?.length} values, expected ${dim} (the length of probs[0])`);
      data.set(row, i * dim);
    });
    return { data, n: probs.length, dim };
  }
  if (probs && typeof probs === 'object' && probs.data && typeof probs.data.length === 'number') {
    const { data, n, dim } = probs;
    if (!Number.isInteger(n) || !Number.isInteger(dim) || dim < 1 || data.length !== n * dim)
      throw new Error(`${fn}: probs { n: ${n}, dim: ${dim} } does not match data.length ${data.length}`);
    return probs;
  }
  throw new Error(`${fn}: probs must be number[][] or { data, n, dim }, got ${describeValue(probs)}`);
}

/**
 * Expected calibration error of Guo et al. (ICML 2017, "On Calibration of Modern Neural
 * Networks"): confidence = the largest class probability, prediction = its column (first on
 * ties), `bins` equal-width confidence bins (lo, hi], ECE = Σ_b |B_b|/N · |acc(B_b) − conf(B_b)|.
 * `labels[i]` is the column of the true class of row i.
 */
export function expectedCalibrationError(
  probs: ProbabilityInput,
  labels: ArrayLike<number>,
  options: { bins?: number } = {},
): CalibrationResult {
  const fn = 'expectedCalibrationError';
  const { bins = 15 } = options;
  const { data, n, dim } = toRows(probs, fn);
  if (!labels || labels.length !== n)
    throw new Error(`${fn}: labels has ${labels?.length} entries but probs has ${n} rows; they must match`);
  const confidences = new Float64Array(n);
  const correct = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= dim)
      throw new Error(`${fn}: labels[${i}] is ${y}; it must be a class column in [0, ${dim - 1}]`);
    let best = 0;
    for (let k = 0; k < dim; k++) {
      const p = data[i * dim + k];
      if (!(p >= 0 && p <= 1)) throw new Error(`${fn}: probs[${i}][${k}] is ${p}; probabilities must be in [0, 1]`);
      if (p > data[i * dim + best]) best = k;
    }
    confidences[i] = data[i * dim + best];
    correct[i] = best === y ? 1 : 0;
  }
  return calibrationFromConfidences(confidences, correct, bins, fn);
}
