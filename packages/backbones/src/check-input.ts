import type * as tf from '@tensorflow/tfjs-core';

/** Throw a clear error unless `x` is a float32 `[N, H, W, channels]` image batch. */
export function checkImages(fn: string, x: tf.Tensor, channels: number): void {
  if (x == null || typeof (x as tf.Tensor).rank !== 'number') {
    throw new Error(`${fn}: x must be a tf.Tensor4D [N, H, W, ${channels}], got ${String(x)}`);
  }
  if (x.rank !== 4 || x.shape[3] !== channels) {
    throw new Error(`${fn}: x must have shape [N, H, W, ${channels}], got [${x.shape}]`);
  }
  if (x.dtype !== 'float32') throw new Error(`${fn}: x must be float32, got ${x.dtype}`);
}

// The seed and count checks are shared by every package: they live in runtime.
export { checkPositiveInteger, checkSeed } from '@selfsup/runtime';
