import * as tf from '@tensorflow/tfjs-core';

/** `x - mean over the batch`, per feature (column). */
export function centerColumns(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.sub(x, tf.mean(x, 0, true)));
}

/** Gram matrix `aᵀb / divisor` of two `[N, D]` batches: a `[D, D]` cross-correlation or covariance. */
export function crossMatrix(a: tf.Tensor2D, b: tf.Tensor2D, divisor: number): tf.Tensor2D {
  return tf.tidy(() => tf.div(tf.matMul(a, b, true, false), divisor));
}

/**
 * `Σ_{i≠j} c_ij²` of a square matrix. Masking the diagonal (rather than
 * subtracting it from the full sum) keeps float32 precision when the diagonal dominates.
 */
export function offDiagonalSumOfSquares(c: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const offMask = tf.sub(1, tf.eye(c.shape[0]));
    return tf.sum(tf.square(tf.mul(c, offMask)));
  });
}
