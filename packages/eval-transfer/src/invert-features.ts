import { checkNumber, checkPositiveInteger, checkSeed, createRng, type Encoder } from '@selfsup/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { type ExternalEncoder, isExternalEncoder } from './external-encoder';

export interface InvertFeaturesOptions {
  /** Adam steps on the input. Default 200. */
  steps?: number;
  /** Adam learning rate on the pre-sigmoid input. Default 0.2. */
  learningRate?: number;
  /**
   * Weight of the total-variation prior (mean squared neighbour difference). Default 20: on the demo's
   * CIFAR-10 ConvNets weights of 0.5-5 left high-frequency noise and 50 blurred the feature match.
   */
  tvWeight?: number;
  /** Seed of the starting noise. Default 0. */
  seed?: number;
  /** Called every step with the loss terms (reading them syncs the backend). */
  onStep?: (step: { step: number; steps: number; featureLoss: number; tv: number }) => void;
}

export interface InvertFeaturesResult {
  /** The reconstructions `[N, H, W, C]` in [0, 1]; the caller disposes them. */
  images: tf.Tensor4D;
  /** Relative feature error ‖f(x) − f(x₀)‖² / ‖f(x₀)‖², averaged over images, at the end. */
  featureLoss: number;
  /** The total-variation term at the end. */
  tv: number;
}

let inversions = 0; // unique variable names (tfjs names are global)

/** Mean squared difference between vertical and horizontal neighbours (TV with β = 2). */
function totalVariation(x: tf.Tensor4D): tf.Scalar {
  const [, h, w] = x.shape;
  const dy = tf.sub(tf.slice(x, [0, 1, 0, 0], [-1, h - 1, -1, -1]), tf.slice(x, [0, 0, 0, 0], [-1, h - 1, -1, -1]));
  const dx = tf.sub(tf.slice(x, [0, 0, 1, 0], [-1, -1, w - 1, -1]), tf.slice(x, [0, 0, 0, 0], [-1, -1, w - 1, -1]));
  return tf.add(tf.mean(tf.square(dy)), tf.mean(tf.square(dx)));
}

/**
 * Feature inversion by regularised input optimisation (Mahendran & Vedaldi, CVPR 2015,
 * "Understanding Deep Image Representations by Inverting Them"): starting from seeded noise, find
 * images x = sigmoid(z) whose frozen features match those of `images`, minimising
 * ‖f(x) − f(x₀)‖² / ‖f(x₀)‖² + tvWeight · TV(x) with Adam for a fixed number of steps. What the
 * reconstruction keeps (shape, colour) shows what the features keep. The encoder runs in eval mode
 * and is not changed; every intermediate tensor is released.
 */
export function invertFeatures(
  encoder: Encoder | ExternalEncoder,
  images: tf.Tensor4D,
  options: InvertFeaturesOptions = {},
): InvertFeaturesResult {
  const fn = 'invertFeatures';
  if (isExternalEncoder(encoder))
    throw new Error(`${fn}: encoder is an external (ONNX) model; inversion needs gradients through a tfjs encoder`);
  if (!(images instanceof tf.Tensor) || images.rank !== 4)
    throw new Error(`${fn}: images must be a 4-D tensor [N, H, W, C] in [0, 1], got ${images}`);
  const steps = checkPositiveInteger(fn, 'options.steps', options.steps ?? 200);
  const learningRate = checkNumber(fn, 'options.learningRate', options.learningRate ?? 0.2, {
    min: 0,
    minExclusive: true,
  });
  const tvWeight = checkNumber(fn, 'options.tvWeight', options.tvWeight ?? 20, { min: 0 });
  const seed = checkSeed(fn, options.seed ?? 0);
  const target = tf.tidy(() => encoder.apply(images, { training: false }));
  const targetNorm = tf.tidy(() => tf.maximum(tf.sum(tf.square(target), 1), 1e-12));
  const noise = createRng(seed).fillNormal(new Float32Array(images.size), 0, 0.1);
  const start = tf.tensor4d(noise, images.shape);
  const z = tf.variable(start, true, `invertFeatures_${++inversions}`);
  start.dispose();
  const optimizer = tf.train.adam(learningRate);
  const terms = () => {
    const x = tf.sigmoid(z) as tf.Tensor4D;
    const diff = tf.sum(tf.square(tf.sub(encoder.apply(x, { training: false }), target)), 1);
    const featureLoss = tf.mean(tf.div(diff, targetNorm)) as tf.Scalar;
    return { featureLoss, tv: totalVariation(x) };
  };
  try {
    for (let step = 0; step < steps; step++) {
      optimizer.minimize(
        () => {
          const { featureLoss, tv } = terms();
          if (options.onStep) {
            const [f, t] = [featureLoss.dataSync()[0], tv.dataSync()[0]];
            options.onStep({ step, steps, featureLoss: f, tv: t });
          }
          return tf.add(featureLoss, tf.mul(tv, tvWeight)) as tf.Scalar;
        },
        false,
        [z],
      );
    }
    const final = tf.tidy(() => {
      const { featureLoss, tv } = terms();
      return tf.stack([featureLoss, tv]);
    });
    const [featureLoss, tv] = final.dataSync();
    final.dispose();
    return { images: tf.tidy(() => tf.sigmoid(z) as tf.Tensor4D), featureLoss, tv };
  } finally {
    optimizer.dispose();
    z.dispose();
    target.dispose();
    targetNorm.dispose();
  }
}
