// Shared by the tests only (not exported from the package).
import * as tf from '@tensorflow/tfjs-core';

/** How many different images a batch holds (exact comparison). */
export function countDistinctImages(batch: tf.Tensor4D): number {
  const [n] = batch.shape;
  const data = batch.dataSync();
  const size = data.length / n;
  return new Set(Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * size, (i + 1) * size)).join(',')))
    .size;
}

/** Image i of a batch as `[H, W, C]` (a new tensor). */
export function imageAt(batch: tf.Tensor4D, i: number): tf.Tensor3D {
  return tf.tidy(() => tf.squeeze(tf.slice(batch, [i], [1]), [0]) as tf.Tensor3D);
}

/** max |a - b| over all elements. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}
