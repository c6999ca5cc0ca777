import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from './stop-gradient';
import { checkNumber } from '@selfsup/runtime';
import { assertPair } from './validate';

/**
 * SimSiam's `D(p, z) = -mean cos(p, z)` (Chen & He 2021) with `z` stop-gradient.
 * The cosine follows `nn.CosineSimilarity(dim=1, eps)`:
 * `<p, z> / sqrt(max(||p||² ||z||², eps²))`.
 */
export function negativeCosineSimilarity(p: tf.Tensor, z: tf.Tensor, eps = 1e-8): tf.Scalar {
  const [p2, z2] = assertPair('negativeCosineSimilarity', ['p', p], ['z', z]);
  checkNumber('negativeCosineSimilarity', 'eps', eps, { min: 0 });
  return tf.tidy(() => {
    const zc = stopGradient(z2);
    const dot = tf.sum(tf.mul(p2, zc), 1);
    const normsSquared = tf.mul(tf.sum(tf.square(p2), 1), tf.sum(tf.square(zc), 1));
    const cos = tf.div(dot, tf.sqrt(tf.maximum(normsSquared, eps * eps)));
    return tf.neg(tf.mean(cos)) as tf.Scalar;
  });
}

/** The official SimSiam objective `0.5 D(p1, z2) + 0.5 D(p2, z1)`. */
export function symmetricSimSiamLoss(
  p1: tf.Tensor,
  z2: tf.Tensor,
  p2: tf.Tensor,
  z1: tf.Tensor,
  eps = 1e-8,
): tf.Scalar {
  return tf.tidy(() =>
    tf.mul(0.5, tf.add(negativeCosineSimilarity(p1, z2, eps), negativeCosineSimilarity(p2, z1, eps))),
  );
}
