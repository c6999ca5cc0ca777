import { evalTransform } from '@selfsup/augment';
import { imagesToTensor } from '@selfsup/datasets';
import {
  colourError,
  colourProbe,
  type ExternalEncoder,
  invertFeatures,
  isExternalEncoder,
  linearProtocol,
  meanColour,
  perceptualDistance,
} from '@selfsup/eval-transfer';
import { createRng, type Encoder } from '@selfsup/runtime';
import * as tf from '@tensorflow/tfjs-core';
import type { BenchConfig, ColourProtocol, InversionProtocol } from './config-schema';
import type { BenchDataset } from './load-datasets';
import type { ProtocolOutcome, SplitFeatures } from './protocols';

/** Features of a dataset's splits, as the image colours are (`'colour'`) or as luma only (`'gray'`). */
export type FeaturesOf = (kind: 'colour' | 'gray') => Promise<SplitFeatures>;

/** Images `[N, H, W, C]` in [0, 1] as base64 of their bytes (0-255), for the report's figure. */
function imageBytes(images: tf.Tensor4D): string {
  const bytes = Uint8Array.from(images.dataSync(), (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
  return Buffer.from(bytes).toString('base64');
}

/**
 * Colour vs shape: ridge regression from the frozen features to each image's mean colour
 * (test R², the cell's value), and the same linear probe on colour and on grayscale images:
 * an encoder that keeps colour predicts it well and loses accuracy without it.
 */
async function colour(spec: ColourProtocol, data: BenchDataset, featuresOf: FeaturesOf, seed: number) {
  const [rgb, gray] = [await featuresOf('colour'), await featuresOf('gray')];
  const split = (f: SplitFeatures['train'] | undefined, ds: BenchDataset['train'] | undefined) =>
    f && ds ? { features: f.features, targets: meanColour(ds) } : undefined;
  const probe = colourProbe({
    train: split(rgb.train, data.train)!,
    val: split(rgb.val, data.val),
    test: split(rgb.test, data.test)!,
    seed,
  });
  const top1Colour = linearProtocol(rgb, { cGrid: spec.cGrid, seed }).value;
  const top1Gray = linearProtocol(gray, { cGrid: spec.cGrid, seed }).value;
  return {
    metric: 'r2',
    value: probe.r2,
    ci95: null,
    details: {
      perChannel: probe.perOutput,
      alpha: probe.alpha,
      top1Colour,
      top1Gray,
      colourGap: top1Colour - top1Gray,
    },
  };
}

/** Feature inversion of a few test images spread over the split (the same ones for every encoder). */
function inversion(spec: InversionProtocol, encoder: Encoder, data: BenchDataset, config: BenchConfig) {
  const n = data.test.shape[0];
  const count = Math.min(spec.images ?? 4, n);
  const indices = Array.from({ length: count }, (_, i) => Math.floor((i * n) / count));
  const size = config.imageSize;
  const images = tf.tidy(() =>
    evalTransform({ resize: size, crop: size })(imagesToTensor(data.test, indices), createRng(0)),
  );
  try {
    const res = invertFeatures(encoder, images, {
      steps: spec.steps,
      learningRate: spec.learningRate,
      tvWeight: spec.tvWeight,
      seed: config.seed,
    });
    try {
      return {
        metric: 'colourError',
        value: colourError(images, res.images),
        ci95: null,
        details: {
          perceptual: perceptualDistance(images, res.images).distance,
          featureLoss: res.featureLoss,
          indices,
          shape: images.shape,
          originals: imageBytes(images),
          inversions: imageBytes(res.images),
        },
      };
    } finally {
      res.images.dispose();
    }
  } finally {
    images.dispose();
  }
}

/** Compute one cell of an analysis that needs more than one split's frozen features (colour, inversion). */
export async function computeAnalysisCell(
  encoder: Encoder | ExternalEncoder,
  spec: ColourProtocol | InversionProtocol,
  data: BenchDataset,
  config: BenchConfig,
  featuresOf: FeaturesOf,
): Promise<ProtocolOutcome> {
  if (spec.kind === 'colour') return colour(spec, data, featuresOf, config.seed);
  // validateConfig rejects this combination; a config built by hand gets the same answer.
  if (isExternalEncoder(encoder))
    throw new Error('the inversion analysis needs gradients through a tfjs encoder; an ONNX model is frozen');
  return inversion(spec, encoder, data, config);
}
