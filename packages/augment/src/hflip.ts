import * as tf from '@tensorflow/tfjs-core';
import { onBatch } from './batch';
import type { Image } from './types';

/** `TF.hflip`: mirror left-right (reverse the width axis). */
export function hflip<T extends Image>(img: T): T {
  // flipLeftRight has a dedicated kernel; tf.reverse is ~10x slower on wasm.
  return onBatch('hflip', img, (batch) => tf.image.flipLeftRight(tf.cast(batch, 'float32')) as tf.Tensor4D);
}
