import * as tf from '@tensorflow/tfjs-core';

/**
 * Rows divided by their L2 norm, `x / max(||x||, eps)`: the semantics of
 * PyTorch's `F.normalize(x, dim=-1, eps=1e-12)`, which BYOL and SimCLR use,
 * so an all-zero row stays zero instead of becoming NaN.
 */
export function l2NormalizeRows(x: tf.Tensor2D, eps = 1e-12): tf.Tensor2D {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.sum(tf.square(x), 1, true));
    return tf.div(x, tf.maximum(norm, eps));
  });
}
