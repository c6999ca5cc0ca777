import type { BackboneArch } from '@selfsup/backbones';
import type { DatasetFormat } from '@selfsup/datasets/node';
import type { BackendPreference } from '@selfsup/runtime';

/** The benchmark configuration: what `ssl-bench run <config>` reads (JSON or YAML). */

export type Arch = BackboneArch;

export interface BackboneSpec {
  arch: Arch;
  /** ResNet stem; default 'cifar' for images up to 64 px. */
  stem?: 'cifar' | 'imagenet';
  /** Width multiplier; default 1. */
  width?: number;
}

export interface PretrainSpec {
  /** Name of a dataset in `datasets` whose train split is the pretraining data. */
  dataset: string;
  epochs: number;
  batchSize: number;
  /**
   * Peak learning rate, used as given. Default: the base rate × batchSize / 256 (BYOL: its recipe's
   * base with LARS, e.g. 2.0 for `small`; supervised: 0.1 with SGD).
   */
  lr?: number;
  /** Pretrain on a class-balanced subset of this many images. */
  limit?: number;
  /**
   * BYOL only: this encoder is a snapshot of a longer run. Its learning-rate and τ schedules are
   * planned over `scheduleEpochs` (>= `epochs`) and training stops after `epochs`. Encoders that
   * differ only in `epochs` are one run: each continues from the checkpoint of the longest shorter
   * one, so snapshots at 10, 30 and 100 epochs cost 100 epochs, not 140.
   */
  scheduleEpochs?: number;
}

export type EncoderSpec =
  | RandomEncoderSpec
  | { name: string; from: 'byol-run'; path: string; reference?: number }
  | { name: string; from: 'torchvision'; path: string; backbone: BackboneSpec; reference?: number }
  | OnnxEncoderSpec
  | { name: string; from: 'byol'; backbone: BackboneSpec; pretrain: PretrainSpec; reference?: number }
  | { name: string; from: 'supervised'; backbone: BackboneSpec; pretrain: PretrainSpec; reference?: number };

/**
 * A backbone at its seeded initialisation, no training: the baseline a pretrained encoder must beat.
 * Compare like with like: a BYOL encoder standardises its inputs with its pretraining images'
 * per-channel mean and std, so its own starting point is `normalize: <that dataset>`; without
 * `normalize` (or `mean`/`std`) the random encoder sees the [0, 1] pixels.
 */
export interface RandomEncoderSpec {
  name: string;
  from: 'random';
  backbone: BackboneSpec;
  /** Standardise inputs with this dataset's train images' per-channel mean and std. */
  normalize?: string;
  /** Explicit per-channel input standardisation (1 or 3 values each; both or neither; not with `normalize`). */
  mean?: number[];
  std?: number[];
  reference?: number;
}

/**
 * An ONNX model (`torch.onnx.export`, timm, optimum, `selfsup-byol export`) run by onnxruntime-node:
 * frozen-feature protocols only. It gets the same [0, 1] images as every encoder, then its own
 * `mean`/`std` normalisation, in its `layout` (default NCHW).
 */
export interface OnnxEncoderSpec {
  name: string;
  from: 'onnx';
  path: string;
  layout?: 'NCHW' | 'NHWC';
  mean?: number[];
  std?: number[];
  reference?: number;
}

export type SplitSource = string | { images: string; labels: string };

export interface DatasetSpec {
  name: string;
  format: DatasetFormat;
  /** Folder (imagefolder, cifar) or `{ images, labels }` IDX files; relative to the config file. */
  train: SplitSource;
  test: SplitSource;
  /** An official validation split; otherwise protocols hold out 20% of train. */
  val?: SplitSource;
  /** Images are resized (shorter side) and centre-cropped to this side on load; default the config's imageSize. */
  size?: number;
  /** Keep a seeded class-balanced subset with this many images per class. */
  perClass?: { train?: number; test?: number; val?: number };
}

export interface LinearProtocol {
  kind: 'linear';
  /** Inverse regularisation strengths to sweep; default logspace(-6, 5, 45) as Ericsson et al. */
  cGrid?: number[];
  metric?: 'top1' | 'meanPerClass';
}
export interface KnnProtocol {
  kind: 'knn';
  k?: number;
  temperature?: number;
}
export interface FewShotProtocol {
  kind: 'fewshot';
  ways?: number;
  /** One cell per entry; default [5, 20] as Ericsson et al. */
  shots?: number[];
  queries?: number;
  episodes?: number;
}
export interface FineTuneProtocol {
  kind: 'finetune';
  steps?: number;
  batchSize?: number;
  lrGrid?: number[];
  wdGrid?: number[];
}
/**
 * The analyses of what the features retain (Ericsson et al. §5): each is a column of the matrix
 * like a protocol; `datasets` keeps it to some datasets (default every one).
 */
export interface CalibrationProtocol {
  kind: 'calibration';
  /** The linear probe's C grid (as `linear`); its test ECE is the cell's value. */
  cGrid?: number[];
  /** Equal-width confidence bins; default 15 (Guo et al. 2017). */
  bins?: number;
  datasets?: string[];
}
export interface ColourProtocol {
  kind: 'colour';
  /** The linear probes' C grid, on colour and on grayscale images. */
  cGrid?: number[];
  datasets?: string[];
}
export interface InversionProtocol {
  kind: 'inversion';
  /** Test images inverted (spread evenly over the split); default 4. */
  images?: number;
  /** Optimisation steps; default 200. */
  steps?: number;
  learningRate?: number;
  tvWeight?: number;
  datasets?: string[];
}
export interface SaliencyProtocol {
  kind: 'saliency';
  /** The encoder whose saliency the others are compared with (the paper: human attention; here e.g. a supervised one). */
  reference: string;
  /** Test images (spread evenly over the split); default 8. */
  images?: number;
  /** Share of pixels that count as salient; default 0.1. */
  topFraction?: number;
  datasets?: string[];
}
export type AnalysisProtocolSpec = CalibrationProtocol | ColourProtocol | InversionProtocol | SaliencyProtocol;
export type ProtocolSpec = LinearProtocol | KnnProtocol | FewShotProtocol | FineTuneProtocol | AnalysisProtocolSpec;

export interface BenchConfig {
  /** Seed for every random choice (subsets, splits, episodes, init). */
  seed: number;
  /** Input side of every encoder (datasets are resized to it). */
  imageSize: number;
  backend: BackendPreference;
  encoders: EncoderSpec[];
  datasets: DatasetSpec[];
  protocols: ProtocolSpec[];
  /**
   * Where each encoder's reference metric comes from (the paper's "ImageNet accuracy"):
   * that encoder's result on this dataset and protocol, unless it gives `reference` itself.
   */
  reference: { dataset: string; protocol: 'linear' | 'knn' };
  /** Folder the config's relative paths are resolved against (set by the loader). */
  baseDir: string;
}
