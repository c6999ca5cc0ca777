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

/** Throw unless `seed` is a finite number. */
export function checkSeed(fn: string, seed: unknown): void {
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new Error(`${fn}: options.seed must be a finite number, got ${String(seed)}`);
}

/** Throw unless `value` (the argument `what`) is a positive integer. */
export function checkPositiveInteger(fn: string, what: string, value: unknown): void {
  if (!Number.isInteger(value) || (value as number) < 1)
    throw new Error(`${fn}: ${what} must be a positive integer, got ${String(value)}`);
}
