import * as tf from '@tensorflow/tfjs-core';
import { l2NormalizeRows } from './normalize';
import { stopGradient } from './stop-gradient';
import { assertPair } from './validate';

/**
 * BYOL's regression loss (Grill et al. 2020, eq. 2): the batch mean of
 * `2 - 2 cos(p, z)`, which equals the squared distance of the L2-normalised
 * vectors. `z` (the target projection) gets no gradient.
 */
export function byolLoss(p: tf.Tensor, z: tf.Tensor): tf.Scalar {
  const [p2, z2] = assertPair('byolLoss', ['p', p], ['z', z]);
  return tf.tidy(() => {
    const cos = tf.sum(tf.mul(l2NormalizeRows(p2), l2NormalizeRows(stopGradient(z2))), 1);
    return tf.mean(tf.sub(2, tf.mul(2, cos)));
  });
}

/**
 * Both directions, as BYOL's reference code sums them: `byol(p1, z2) + byol(p2, z1)`,
 * where `p1` is the online prediction of view 1 and `z2` the target projection of view 2.
 */
export function symmetricByolLoss(p1: tf.Tensor, z2: tf.Tensor, p2: tf.Tensor, z1: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.add(byolLoss(p1, z2), byolLoss(p2, z1)));
}
