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
    // 1 - step(t - x) is 1 exactly where x >= t; arithmetic instead of tf.where, which is slow on wasm.
    const inverted = tf.sub(1, tf.step(tf.sub(t, batch)));
    return tf.add(batch, tf.mul(inverted, tf.sub(1, tf.mul(2, batch)))) as tf.Tensor4D;
  });
}
