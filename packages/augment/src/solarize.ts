import * as tf from '@tensorflow/tfjs-core';
import { onBatch, perSampleTensor } from './batch';
import type { Image, PerSample } from './types';

/**
 * `TF.solarize` on float images: `x >= threshold ? 1 - x : x` (a pixel equal to
 * the threshold is inverted, as in torchvision). `threshold` is a number or one per image.
 */
export function solarize<T extends Image>(img: T, threshold: PerSample): T {
  if (typeof threshold === 'number' && !(threshold >= 0 && threshold <= 1)) {
    throw new Error(`solarize: threshold must be in [0, 1] for float images, got ${threshold}`);
  }
  return onBatch('solarize', img, (batch) => {
    const t = perSampleTensor('solarize', 'threshold', threshold, batch.shape[0]);
    return tf.where(tf.greaterEqual(batch, t), tf.sub(1, batch), batch) as tf.Tensor4D;
  });
}
