import * as tf from '@tensorflow/tfjs-core';
import { onBatch } from './batch';
import type { Image } from './types';

// ITU-R 601-2 luma weights, the ones torchvision uses (0.2989, not 0.299).
const LUMA = [0.2989, 0.587, 0.114];

/** Luma `[N, H, W, 1]` of an RGB batch (not clamped), torchvision's `_rgb_to_grayscale`. */
export function luma(batch: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.sum(tf.mul(batch, tf.tensor1d(LUMA)), -1, true) as tf.Tensor4D);
}

/**
 * `TF.rgb_to_grayscale`: `0.2989 R + 0.587 G + 0.114 B`, repeated to
 * `numOutputChannels` (1 or 3) channels.
 */
export function rgbToGrayscale<T extends Image>(img: T, numOutputChannels: 1 | 3 = 1): T {
  if (numOutputChannels !== 1 && numOutputChannels !== 3) {
    throw new Error(`rgbToGrayscale: numOutputChannels must be 1 or 3, got ${JSON.stringify(numOutputChannels)}`);
  }
  return onBatch(
    'rgbToGrayscale',
    img,
    (batch) => {
      const gray = luma(batch);
      return numOutputChannels === 1 ? gray : (tf.tile(gray, [1, 1, 1, 3]) as tf.Tensor4D);
    },
    [3],
  );
}
