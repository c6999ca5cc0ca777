import * as tf from '@tensorflow/tfjs-core';
import { onBatch } from './batch';
import type { Image } from './types';

/** `TF.hflip`: mirror left-right (reverse the width axis). */
export function hflip<T extends Image>(img: T): T {
  return onBatch('hflip', img, (batch) => tf.reverse(batch, 2) as tf.Tensor4D);
}
