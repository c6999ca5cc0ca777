import {
  calibrationOfLinear,
  type FeatureMatrix,
  fewShotProtocol,
  knnProtocol,
  linearProtocol,
  PROTOCOL_DEFAULTS,
  type ProtocolResult,
} from '@selfsup/eval-transfer';
import type { CalibrationProtocol, FewShotProtocol, KnnProtocol, LinearProtocol, ProtocolSpec } from './config-schema';

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

/** Ericsson et al.'s few-shot settings, owned by eval-transfer. */
export const FEWSHOT_DEFAULTS = PROTOCOL_DEFAULTS.fewShot;

export function protocolVariants(spec: ProtocolSpec): ProtocolVariant[] {
  if (spec.kind !== 'fewshot') return [{ id: spec.kind, spec }];
  const ways = spec.ways ?? FEWSHOT_DEFAULTS.ways;
  return (spec.shots ?? FEWSHOT_DEFAULTS.shots).map((shots) => ({
    id: `fewshot-${ways}way-${shots}shot`,
    spec,
    shots,
  }));
}

function outcome({ metric, value, details }: ProtocolResult): ProtocolOutcome {
  const { ci95, ...rest } = details;
  return { metric, value, ci95: typeof ci95 === 'number' ? ci95 : null, details: rest };
}

// The linear and calibration cells of one encoder × dataset share one probe when their settings
// agree (the runner passes the same features object to both), so calibration costs no second sweep.
const probes = new WeakMap<SplitFeatures, Map<string, ProtocolResult>>();

function probe(
  data: SplitFeatures,
  cGrid: number[] | undefined,
  metric: LinearProtocol['metric'],
  seed: number,
  bins?: number,
) {
  const key = JSON.stringify({ cGrid, metric: metric ?? PROTOCOL_DEFAULTS.linear.metric, seed, bins: bins ?? 15 });
  const done = probes.get(data) ?? new Map<string, ProtocolResult>();
  probes.set(data, done);
  let res = done.get(key);
  if (!res) {
    res = linearProtocol(data, { cGrid, metric, seed, calibrationBins: bins });
    done.set(key, res);
  }
  return res;
}

function linear(spec: LinearProtocol, data: SplitFeatures, seed: number): ProtocolOutcome {
  return outcome(probe(data, spec.cGrid, spec.metric, seed));
}

function knn(spec: KnnProtocol, data: SplitFeatures): ProtocolOutcome {
  return outcome(knnProtocol(data, { k: spec.k, temperature: spec.temperature }));
}

function fewshot(spec: FewShotProtocol, shots: number, data: SplitFeatures, seed: number): ProtocolOutcome {
  const { ways, queries, episodes } = spec;
  return outcome(fewShotProtocol(data, { shots, ways, queries, episodes, seed }));
}

function calibration(spec: CalibrationProtocol, data: SplitFeatures, seed: number): ProtocolOutcome {
  return outcome(calibrationOfLinear(probe(data, spec.cGrid, 'top1', seed, spec.bins)));
}

/** Run a frozen-feature protocol (linear, kNN, few-shot, calibration) on one encoder × dataset. */
export function runFeatureProtocol(variant: ProtocolVariant, data: SplitFeatures, seed: number): ProtocolOutcome {
  const { spec } = variant;
  switch (spec.kind) {
    case 'linear':
      return linear(spec, data, seed);
    case 'knn':
      return knn(spec, data);
    case 'fewshot':
      return fewshot(spec, variant.shots!, data, seed);
    case 'calibration':
      return calibration(spec, data, seed);
    case 'finetune':
      throw new Error('runFeatureProtocol: fine-tuning trains the encoder; it does not run on frozen features');
    case 'colour':
    case 'inversion':
    case 'saliency':
      throw new Error(
        `runFeatureProtocol: the ${spec.kind} analysis needs the encoder and the images (computeAnalysisCell)`,
      );
  }
}
