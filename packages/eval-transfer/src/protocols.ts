import { concatRows, type FeatureMatrix, toFeatureMatrix } from './feature-matrix';
import { fewShot } from './few-shot';
import { knnClassify } from './knn';
import { type LabeledFeatures, type LinearProbeOptions, linearProbe, type ProbeMetric } from './linear-probe';
import { top1 } from './metrics';
import { PROTOCOL_DEFAULTS } from './protocol-defaults';

/** The one input of every frozen-feature protocol: labelled features per split. */
export interface ProtocolSplits {
  train: LabeledFeatures;
  /** Used to choose hyper-parameters (linear) or joins the neighbours (kNN). */
  val?: LabeledFeatures;
  test: LabeledFeatures;
}

/** What the feature analyses measure: calibration error, colour R², inversion colour error, saliency overlap. */
export type AnalysisMetric = 'ece' | 'r2' | 'colourError' | 'saliencyIoU';

/** The one output of every protocol: a named score on the test split, and what produced it. */
export interface ProtocolResult {
  metric: ProbeMetric | AnalysisMetric;
  value: number;
  details: Record<string, unknown>;
}

/** Many-shot linear probe (`linearProbe`): C chosen on val, refit on train + val, scored on test. */
export function linearProtocol(
  splits: ProtocolSplits,
  options: Omit<LinearProbeOptions, 'train' | 'val' | 'test'> = {},
): ProtocolResult {
  const metric = options.metric ?? PROTOCOL_DEFAULTS.linear.metric;
  const res = linearProbe({ ...options, ...splits, metric });
  const details: Record<string, unknown> = { C: res.C, valCurve: res.valCurve };
  // Guo et al.'s ECE of the chosen model on test (and its bins), as Ericsson et al. report for their probes.
  if (res.testCalibration) Object.assign(details, { ece: res.testCalibration.ece, bins: res.testCalibration.bins });
  return { metric, value: res.testScore, details };
}

/** A top-1 `linearProtocol` result seen as its calibration: the test ECE as the value, top-1 in the details. */
export function calibrationOfLinear(linear: ProtocolResult): ProtocolResult {
  const { ece, bins, C } = linear.details;
  if (linear.metric !== 'top1' || typeof ece !== 'number')
    throw new Error(
      `calibrationOfLinear: expected a single-label linearProtocol result with details.ece, got metric '${linear.metric}'`,
    );
  return { metric: 'ece', value: ece, details: { C, top1: linear.value, bins } };
}

/**
 * Calibration of the many-shot linear probe (Ericsson et al.'s calibration analysis): the same
 * fit as `linearProtocol`, scored by its test expected calibration error (`details.bins`: the
 * reliability diagram). Lower is better.
 */
export function calibrationProtocol(
  splits: ProtocolSplits,
  options: Omit<LinearProbeOptions, 'train' | 'val' | 'test' | 'metric'> = {},
): ProtocolResult {
  return calibrationOfLinear(linearProtocol(splits, { ...options, metric: 'top1' }));
}

const maxOf = (m: number, v: number) => Math.max(m, v);

function singleLabels(data: LabeledFeatures, name: string): Int32Array {
  const { labels } = data;
  if (labels.length > 0 && typeof labels[0] !== 'number')
    throw new Error(`knnProtocol: ${name}.labels must be single labels (one class per row)`);
  return Int32Array.from(labels as ArrayLike<number>);
}

/** Weighted cosine kNN (`knnClassify`), top-1 on test; kNN has nothing to tune, so val joins the neighbours. */
export function knnProtocol(
  splits: ProtocolSplits,
  options: { k?: number; temperature?: number; chunkSize?: number } = {},
): ProtocolResult {
  let bank: FeatureMatrix = toFeatureMatrix(splits.train.features, 'knnProtocol: train.features');
  let bankLabels = singleLabels(splits.train, 'train');
  if (splits.val) {
    bank = concatRows(bank, toFeatureMatrix(splits.val.features, 'knnProtocol: val.features'), 'knnProtocol');
    const valLabels = singleLabels(splits.val, 'val');
    const joined = new Int32Array(bankLabels.length + valLabels.length);
    joined.set(bankLabels);
    joined.set(valLabels, bankLabels.length);
    bankLabels = joined;
  }
  const testLabels = singleLabels(splits.test, 'test');
  const k = Math.min(options.k ?? PROTOCOL_DEFAULTS.knn.k, bank.n);
  const temperature = options.temperature ?? PROTOCOL_DEFAULTS.knn.temperature;
  const { predictions } = knnClassify({
    trainFeatures: bank,
    trainLabels: bankLabels,
    testFeatures: splits.test.features,
    k,
    temperature,
    // Classes seen only in test still get a vote column (reduce: a spread of 50k labels overflows the stack).
    numClasses: Math.max(bankLabels.reduce(maxOf, 0), testLabels.reduce(maxOf, 0)) + 1,
    chunkSize: options.chunkSize,
  });
  return { metric: 'top1', value: top1(predictions, testLabels), details: { k, temperature } };
}

/**
 * Prototypical N-way K-shot episodes (`fewShot`) drawn from the test split, whose
 * classes the encoder never saw labelled; `details.ci95` is the 95% interval's half-width.
 */
export function fewShotProtocol(
  splits: ProtocolSplits,
  options: { shots: number; ways?: number; queries?: number; episodes?: number; seed?: number },
): ProtocolResult {
  const { ways, queries, episodes } = { ...PROTOCOL_DEFAULTS.fewShot, ...options };
  const { shots, seed = 0 } = options;
  const res = fewShot({
    features: splits.test.features,
    labels: singleLabels(splits.test, 'test'),
    ways,
    shots,
    queries,
    episodes,
    seed,
  });
  return {
    metric: 'top1',
    value: res.accuracy,
    details: { ways, shots, queries, episodes, ci95: res.ci95, std: res.std },
  };
}
