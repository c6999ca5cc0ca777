import type * as tf from '@tensorflow/tfjs-core';

/** Throw a clear error unless `x` is a float32 `[N, dim]` feature batch. */
export function checkFeatures(fn: string, x: tf.Tensor, dim: number): void {
  if (x == null || typeof (x as tf.Tensor).rank !== 'number') {
    throw new Error(`${fn}: x must be a tf.Tensor2D [N, ${dim}], got ${String(x)}`);
  }
  if (x.rank !== 2 || x.shape[1] !== dim) throw new Error(`${fn}: x must have shape [N, ${dim}], got [${x.shape}]`);
  if (x.dtype !== 'float32') throw new Error(`${fn}: x must be float32, got ${x.dtype}`);
}
