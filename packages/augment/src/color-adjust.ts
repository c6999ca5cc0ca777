import * as tf from '@tensorflow/tfjs-core';
import { onBatch, perSampleTensor } from './batch';
import { luma } from './grayscale';
import type { Image, PerSample } from './types';

/** How much of each grayscale reference an image blends towards: a number or one weight per image `[N, 1]`. */
export interface BlendReference {
  /** The image's own grayscale pixel (saturation). */
  gray?: number | tf.Tensor2D;
  /** The mean of the image's grayscale, one scalar per image (contrast). */
  meanGray?: number | tf.Tensor2D;
}

/**
 * torchvision's `_blend(img, ref, f) = clamp(f * img + (1 - f) * ref, 0, 1)` for a batch,
 * with `factor` `[N, 1]` (or `[1, 1]`) and the reference a weighted sum of the image's
 * gray pixels and its mean gray (nothing = black: brightness). Works on `[N, H*W*C]`
 * rows so per-image factors broadcast along the fast axis on every backend.
 */
export function blendBatch(batch: tf.Tensor4D, factor: tf.Tensor2D, reference: BlendReference = {}): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = batch.shape;
    const rows = tf.reshape(batch, [n, h * w * c]);
    let mixed = tf.mul(rows, factor);
    if (reference.gray !== undefined || reference.meanGray !== undefined) {
      const gray = tf.reshape(luma(batch), [n, h * w]);
      let ref: tf.Tensor2D = tf.zeros([n, 1]);
      if (reference.gray !== undefined) ref = tf.add(ref, tf.mul(gray, reference.gray));
      if (reference.meanGray !== undefined) ref = tf.add(ref, tf.mul(tf.mean(gray, 1, true), reference.meanGray));
      // Copy the one-channel reference to every channel with a tiny matrix product.
      const perChannel = tf.reshape(tf.matMul(tf.reshape(tf.broadcastTo(ref, [n, h * w]), [-1, 1]), tf.ones([1, c])), [
        n,
        h * w * c,
      ]);
      mixed = tf.add(mixed, tf.mul(tf.sub(1, factor), perChannel));
    }
    return tf.reshape(tf.clipByValue(mixed, 0, 1), [n, h, w, c]) as tf.Tensor4D;
  });
}

function factorColumn(fn: string, factor: PerSample, n: number): tf.Tensor2D {
  if (typeof factor === 'number' && !(factor >= 0)) {
    throw new Error(`${fn}: factor must be a non-negative number, got ${factor}`);
  }
  return tf.reshape(perSampleTensor(fn, 'factor', factor, n), [-1, 1]);
}

/** `TF.adjust_brightness`: `clamp(f * img, 0, 1)`. `factor` is a number or one per image. */
export function adjustBrightness<T extends Image>(img: T, factor: PerSample): T {
  return onBatch('adjustBrightness', img, (batch) =>
    blendBatch(batch, factorColumn('adjustBrightness', factor, batch.shape[0])),
  );
}

/**
 * `TF.adjust_contrast`: blend each image with the mean of its own grayscale
 * (one scalar per image, over all pixels), then clamp to [0, 1].
 */
export function adjustContrast<T extends Image>(img: T, factor: PerSample): T {
  return onBatch(
    'adjustContrast',
    img,
    (batch) => blendBatch(batch, factorColumn('adjustContrast', factor, batch.shape[0]), { meanGray: 1 }),
    [1, 3],
  );
}

/** `TF.adjust_saturation`: blend each pixel with its grayscale value, then clamp to [0, 1] (gray images stay as they are). */
export function adjustSaturation<T extends Image>(img: T, factor: PerSample): T {
  return onBatch(
    'adjustSaturation',
    img,
    (batch) => blendBatch(batch, factorColumn('adjustSaturation', factor, batch.shape[0]), { gray: 1 }),
    [1, 3],
  );
}
