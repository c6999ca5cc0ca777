import * as tf from '@tensorflow/tfjs-core';
import { onBatch, perSampleTensor } from './batch';
import { luma } from './grayscale';
import type { Image, PerSample } from './types';

/** torchvision's `_blend`: `clamp(f * img + (1 - f) * other, 0, 1)` with `other` broadcast. */
function blend(img: tf.Tensor4D, other: tf.Tensor4D | null, factor: tf.Tensor4D): tf.Tensor4D {
  const scaled = tf.mul(img, factor);
  const mixed = other === null ? scaled : tf.add(scaled, tf.mul(tf.sub(1, factor), other));
  return tf.clipByValue(mixed, 0, 1) as tf.Tensor4D;
}

function checkFactor(fn: string, name: string, factor: PerSample): void {
  if (typeof factor === 'number' && !(factor >= 0)) {
    throw new Error(`${fn}: ${name} must be a non-negative number, got ${factor}`);
  }
}

/** `TF.adjust_brightness`: `clamp(f * img, 0, 1)`. `factor` is a number or one per image. */
export function adjustBrightness<T extends Image>(img: T, factor: PerSample): T {
  checkFactor('adjustBrightness', 'factor', factor);
  return onBatch('adjustBrightness', img, (batch) =>
    blend(batch, null, perSampleTensor('adjustBrightness', 'factor', factor, batch.shape[0])),
  );
}

/**
 * `TF.adjust_contrast`: blend each image with the mean of its own grayscale
 * (one scalar per image, over all pixels), then clamp to [0, 1].
 */
export function adjustContrast<T extends Image>(img: T, factor: PerSample): T {
  checkFactor('adjustContrast', 'factor', factor);
  return onBatch(
    'adjustContrast',
    img,
    (batch) => {
      const gray = batch.shape[3] === 1 ? batch : luma(batch);
      const mean = tf.mean(gray, [1, 2, 3], true) as tf.Tensor4D;
      return blend(batch, mean, perSampleTensor('adjustContrast', 'factor', factor, batch.shape[0]));
    },
    [1, 3],
  );
}

/** `TF.adjust_saturation`: blend each pixel with its grayscale value, then clamp to [0, 1]. */
export function adjustSaturation<T extends Image>(img: T, factor: PerSample): T {
  checkFactor('adjustSaturation', 'factor', factor);
  return onBatch(
    'adjustSaturation',
    img,
    (batch) => blend(batch, luma(batch), perSampleTensor('adjustSaturation', 'factor', factor, batch.shape[0])),
    [3],
  );
}
