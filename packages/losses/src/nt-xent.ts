import * as tf from '@tensorflow/tfjs-core';
import { l2NormalizeRows } from './normalize';
import { checkNumber } from '@selfsup/runtime';
import { assertPair } from './validate';

// Added to the self-similarity logits so exp() makes them exactly 0 without the
// NaN gradients that -Infinity would bring.
const MASK = 1e9;

/**
 * NT-Xent (SimCLR, Chen et al. 2020): the 2N rows of `[z1; z2]` are
 * L2-normalised, each row's positive is the other view of the same image and
 * the other 2N - 2 rows are negatives; the loss is the mean cross-entropy over
 * all 2N rows of `softmax(sim / temperature)` excluding self-similarity.
 */
export function ntXentLoss(z1: tf.Tensor, z2: tf.Tensor, temperature = 0.5): tf.Scalar {
  const [a, b] = assertPair('ntXentLoss', ['z1', z1], ['z2', z2]);
  checkNumber('ntXentLoss', 'temperature', temperature, { min: 0, minExclusive: true });
  const n = a.shape[0];
  return tf.tidy(() => {
    const z = l2NormalizeRows(tf.concat([a, b], 0));
    const logits = tf.sub(tf.div(tf.matMul(z, z, false, true), temperature), tf.mul(tf.eye(2 * n), MASK));
    // The positive of row i is row (i + N) mod 2N: the same image seen in the other view.
    const [za, zb] = tf.split(z, 2, 0);
    const positive = tf.div(tf.sum(tf.mul(za, zb), 1), temperature);
    const positives = tf.concat([positive, positive], 0);
    return tf.mean(tf.sub(tf.logSumExp(logits, 1), positives));
  });
}
