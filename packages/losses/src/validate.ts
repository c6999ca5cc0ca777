import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@selfsup/runtime';

/**
 * Checks that `x` is a float `[N, D]` tensor; returns it typed as 2-D.
 * Every loss takes batches of embeddings, so this is the one shape check they share.
 */
export function assertEmbeddings(fn: string, arg: string, x: tf.Tensor, minBatch = 1): tf.Tensor2D {
  if (!(x instanceof tf.Tensor)) {
    throw new TypeError(`${fn}: ${arg} must be a tf.Tensor of shape [N, D], got ${describeValue(x)}`);
  }
  if (x.rank !== 2) {
    throw new Error(`${fn}: ${arg} must be 2-D [N, D], got shape [${x.shape.join(', ')}]`);
  }
  if (x.dtype !== 'float32') {
    throw new Error(`${fn}: ${arg} must be float32, got dtype ${x.dtype}`);
  }
  if (x.shape[0] < minBatch) {
    throw new Error(`${fn}: ${arg} needs a batch of at least ${minBatch} rows, got shape [${x.shape.join(', ')}]`);
  }
  return x as tf.Tensor2D;
}

/** Checks two embedding batches that are compared row by row (same `[N, D]`). */
export function assertPair(
  fn: string,
  [nameA, a]: [string, tf.Tensor],
  [nameB, b]: [string, tf.Tensor],
  minBatch = 1,
): [tf.Tensor2D, tf.Tensor2D] {
  const a2 = assertEmbeddings(fn, nameA, a, minBatch);
  const b2 = assertEmbeddings(fn, nameB, b, minBatch);
  if (a2.shape[0] !== b2.shape[0] || a2.shape[1] !== b2.shape[1]) {
    throw new Error(
      `${fn}: ${nameA} and ${nameB} must have the same shape, got [${a2.shape.join(', ')}] and [${b2.shape.join(', ')}]`,
    );
  }
  return [a2, b2];
}
