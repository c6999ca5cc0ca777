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
  saliencyConcentration,
  saliencyMaps,
} from '@selfsup/eval-transfer';
import { createRng, type Encoder } from '@selfsup/runtime';
import * as tf from '@tensorflow/tfjs-core';
import type { BenchConfig, ColourProtocol, InversionProtocol, SaliencyProtocol } from './config-schema';
import type { BenchDataset } from './load-datasets';
import type { ProtocolOutcome, SplitFeatures } from './protocols';

/** Features of a dataset's splits, as the image colours are (`'colour'`) or as luma only (`'gray'`). */
export type FeaturesOf = (kind: 'colour' | 'gray') => Promise<SplitFeatures>;

/** Images `[N, H, W, C]` (or maps `[N, H, W]`) in [0, 1] as base64 of their bytes (0-255), for the report's figures. */
function imageBytes(images: tf.Tensor): string {
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

/** `count` test images spread evenly over the split, as the encoders see them: the same for every encoder. */
function fixedTestImages(data: BenchDataset, count: number, config: BenchConfig) {
  const n = data.test.shape[0];
  const indices = Array.from({ length: Math.min(count, n) }, (_, i) => Math.floor((i * n) / Math.min(count, n)));
  const size = config.imageSize;
  const images = tf.tidy(() =>
    evalTransform({ resize: size, crop: size })(imagesToTensor(data.test, indices), createRng(0)),
  );
  return { indices, images };
}

/**
 * Gradient saliency of a few test images; the cell's value is how concentrated it is (the share of
 * saliency in the top pixels). The report compares the stored maps with the reference encoder's.
 */
function saliency(spec: SaliencyProtocol, encoder: Encoder, data: BenchDataset, config: BenchConfig) {
  const topFraction = spec.topFraction ?? 0.1;
  const { indices, images } = fixedTestImages(data, spec.images ?? 8, config);
  const maps = saliencyMaps(encoder, images);
  try {
    // Stored per image scaled to its maximum, 8-bit: enough to rank pixels for the overlap.
    const scaled = tf.tidy(() => tf.div(maps, tf.maximum(tf.max(maps, [1, 2], true), 1e-30)));
    const bytes = imageBytes(scaled);
    scaled.dispose();
    return {
      metric: 'saliencyConcentration',
      value: saliencyConcentration(maps, { topFraction }),
      ci95: null,
      details: {
        reference: spec.reference,
        topFraction,
        indices,
        shape: maps.shape,
        maps: bytes,
        originals: imageBytes(images),
      },
    };
  } finally {
    tf.dispose([maps, images]);
  }
}

/** Feature inversion of a few test images spread over the split (the same ones for every encoder). */
function inversion(spec: InversionProtocol, encoder: Encoder, data: BenchDataset, config: BenchConfig) {
  const { indices, images } = fixedTestImages(data, spec.images ?? 4, config);
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

/** Compute one cell of an analysis that needs more than one split's frozen features (colour, inversion, saliency). */
export async function computeAnalysisCell(
  encoder: Encoder | ExternalEncoder,
  spec: ColourProtocol | InversionProtocol | SaliencyProtocol,
  data: BenchDataset,
  config: BenchConfig,
  featuresOf: FeaturesOf,
): Promise<ProtocolOutcome> {
  if (spec.kind === 'colour') return colour(spec, data, featuresOf, config.seed);
  // validateConfig rejects this combination; a config built by hand gets the same answer.
  if (isExternalEncoder(encoder))
    throw new Error(`the ${spec.kind} analysis needs gradients through a tfjs encoder; an ONNX model is frozen`);
  return spec.kind === 'inversion' ? inversion(spec, encoder, data, config) : saliency(spec, encoder, data, config);
}
