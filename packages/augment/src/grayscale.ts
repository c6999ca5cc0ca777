import * as tf from '@tensorflow/tfjs-core';
import { onBatch } from './batch';
import type { Image } from './types';

// ITU-R 601-2 luma weights, the ones torchvision uses (0.2989, not 0.299).
const LUMA = [0.2989, 0.587, 0.114];

/**
 * Luma of an RGB batch repeated to `channels` channels (not clamped), torchvision's
 * `_rgb_to_grayscale`, as one `[P, 3] x [3, channels]` matrix product (fast on every
 * backend, unlike channel slicing). A one-channel batch is already gray (torchvision
 * returns it as is).
 */
export function luma(batch: tf.Tensor4D, channels = 1): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = batch.shape;
    if (c === 1) return tf.tile(batch, [1, 1, 1, channels]) as tf.Tensor4D;
    const weights = tf.tile(tf.tensor2d(LUMA, [3, 1]), [1, channels]);
    return tf.reshape(tf.matMul(tf.reshape(batch, [-1, 3]), weights), [n, h, w, channels]) as tf.Tensor4D;
  });
}

/**
 * `TF.rgb_to_grayscale`: `0.2989 R + 0.587 G + 0.114 B`, repeated to
 * `numOutputChannels` (1 or 3) channels. A one-channel image is returned as is (repeated).
 */
export function rgbToGrayscale<T extends Image>(img: T, numOutputChannels: 1 | 3 = 1): T {
  if (numOutputChannels !== 1 && numOutputChannels !== 3) {
    throw new Error(`rgbToGrayscale: numOutputChannels must be 1 or 3, got ${JSON.stringify(numOutputChannels)}`);
  }
  return onBatch('rgbToGrayscale', img, (batch) => luma(batch, numOutputChannels), [1, 3]);
}
