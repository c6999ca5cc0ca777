import { concatRows, fewShot, knnClassify, linearProbe, top1, type FeatureMatrix } from '@selfsup/eval-transfer';
import type { FewShotProtocol, KnnProtocol, LinearProtocol, ProtocolSpec } from './config-schema';

/** Features and labels of one split. */
export interface FeatureSplit {
  features: FeatureMatrix;
  labels: Int32Array;
}

export interface SplitFeatures {
  train: FeatureSplit;
  val?: FeatureSplit;
  test: FeatureSplit;
}

/** One column of the matrix: a protocol with its variant fixed (few-shot expands per shot count). */
export interface ProtocolVariant {
  id: string;
  spec: ProtocolSpec;
  /** For few-shot: the K of this variant. */
  shots?: number;
}

export interface ProtocolOutcome {
  metric: string;
  value: number;
  ci95: number | null;
  details: Record<string, unknown>;
}

/** Ericsson et al.'s few-shot settings: 5-way, 5- and 20-shot, 15 queries, 600 episodes. */
export const FEWSHOT_DEFAULTS = { ways: 5, shots: [5, 20], queries: 15, episodes: 600 };

export function protocolVariants(spec: ProtocolSpec): ProtocolVariant[] {
  if (spec.kind !== 'fewshot') return [{ id: spec.kind, spec }];
  const ways = spec.ways ?? FEWSHOT_DEFAULTS.ways;
  return (spec.shots ?? FEWSHOT_DEFAULTS.shots).map((shots) => ({
    id: `fewshot-${ways}way-${shots}shot`,
    spec,
    shots,
  }));
}

function linear(spec: LinearProtocol, data: SplitFeatures, seed: number): ProtocolOutcome {
  const metric = spec.metric ?? 'top1';
  const res = linearProbe({ train: data.train, val: data.val, test: data.test, cGrid: spec.cGrid, metric, seed });
  return { metric, value: res.testScore, ci95: null, details: { C: res.C, valCurve: res.valCurve } };
}

function knn(spec: KnnProtocol, data: SplitFeatures): ProtocolOutcome {
  // kNN has nothing to tune: the validation split joins the neighbours.
  const train = data.val
    ? {
        features: concatRows(data.train.features, data.val.features, 'knn'),
        labels: Int32Array.from([...data.train.labels, ...data.val.labels]),
      }
    : data.train;
  const k = Math.min(spec.k ?? 200, train.features.n);
  const { predictions } = knnClassify({
    trainFeatures: train.features,
    trainLabels: train.labels,
    testFeatures: data.test.features,
    k,
    temperature: spec.temperature ?? 0.1,
    numClasses: Math.max(...train.labels, ...data.test.labels) + 1,
  });
  return { metric: 'top1', value: top1(predictions, data.test.labels), ci95: null, details: { k } };
}

function fewshot(spec: FewShotProtocol, shots: number, data: SplitFeatures, seed: number): ProtocolOutcome {
  const ways = spec.ways ?? FEWSHOT_DEFAULTS.ways;
  const queries = spec.queries ?? FEWSHOT_DEFAULTS.queries;
  const episodes = spec.episodes ?? FEWSHOT_DEFAULTS.episodes;
  // Episodes are drawn from the test split, whose classes the encoder never saw labelled.
  const res = fewShot({ features: data.test.features, labels: data.test.labels, ways, shots, queries, episodes, seed });
  return {
    metric: 'top1',
    value: res.accuracy,
    ci95: res.ci95,
    details: { ways, shots, queries, episodes, std: res.std },
  };
}

/** Run a frozen-feature protocol (linear, kNN, few-shot) on one encoder × dataset. */
export function runFeatureProtocol(variant: ProtocolVariant, data: SplitFeatures, seed: number): ProtocolOutcome {
  const { spec } = variant;
  switch (spec.kind) {
    case 'linear':
      return linear(spec, data, seed);
    case 'knn':
      return knn(spec, data);
    case 'fewshot':
      return fewshot(spec, variant.shots!, data, seed);
    case 'finetune':
      throw new Error('runFeatureProtocol: fine-tuning trains the encoder; it does not run on frozen features');
  }
}
