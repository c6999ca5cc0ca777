import * as tf from '@tensorflow/tfjs-core';
import { centerColumns, crossMatrix, offDiagonalSumOfSquares } from './batch-statistics';
import { checkNumber } from '@selfsup/runtime';
import { assertPair } from './validate';

export interface VicregOptions {
  /** Weight of the invariance term (λ = 25 in Bardes et al. 2022). */
  sim?: number;
  /** Weight of the variance term (μ = 25). */
  var?: number;
  /** Weight of the covariance term (ν = 1). */
  cov?: number;
  /** Added to the variance before the square root, for stability near zero (1e-4 in the official code). */
  varEps?: number;
}

export interface VicregTerms {
  /** `sim * invariance + var * variance + cov * covariance`. */
  loss: tf.Scalar;
  /** Mean squared error between the views (`repr_loss` in the official code). */
  invariance: tf.Scalar;
  /** Hinge pushing every feature's std above 1, averaged over both views (`std_loss`). */
  variance: tf.Scalar;
  /** Squared off-diagonal covariances / D, summed over both views (`cov_loss`). */
  covariance: tf.Scalar;
}

const FN = 'vicregLoss';

/**
 * VICReg (Bardes, Ponce, LeCun 2022) with its three terms, for logging; follows
 * the official `VICReg.forward` on one process (unbiased variance, N - 1).
 */
export function vicregTerms(z1: tf.Tensor, z2: tf.Tensor, options: VicregOptions = {}): VicregTerms {
  const [x, y] = assertPair(FN, ['z1', z1], ['z2', z2], 2);
  const simWeight = checkNumber(FN, 'options.sim', options.sim ?? 25, { min: 0 });
  const varWeight = checkNumber(FN, 'options.var', options.var ?? 25, { min: 0 });
  const covWeight = checkNumber(FN, 'options.cov', options.cov ?? 1, { min: 0 });
  const varEps = checkNumber(FN, 'options.varEps', options.varEps ?? 1e-4, { min: 0 });
  const [n, d] = x.shape;
  return tf.tidy(() => {
    const invariance = tf.mean(tf.square(tf.sub(x, y))) as tf.Scalar;
    const xc = centerColumns(x);
    const yc = centerColumns(y);
    const stdHinge = (centred: tf.Tensor2D) => {
      const std = tf.sqrt(tf.add(tf.div(tf.sum(tf.square(centred), 0), n - 1), varEps));
      return tf.mean(tf.relu(tf.sub(1, std)));
    };
    const variance = tf.add(tf.div(stdHinge(xc), 2), tf.div(stdHinge(yc), 2)) as tf.Scalar;
    const covariance = tf.div(
      tf.add(offDiagonalSumOfSquares(crossMatrix(xc, xc, n - 1)), offDiagonalSumOfSquares(crossMatrix(yc, yc, n - 1))),
      d,
    ) as tf.Scalar;
    const loss = tf.addN([
      tf.mul(simWeight, invariance),
      tf.mul(varWeight, variance),
      tf.mul(covWeight, covariance),
    ]) as tf.Scalar;
    return { loss, invariance, variance, covariance };
  });
}

/** The VICReg loss (see {@link vicregTerms}). */
export function vicregLoss(z1: tf.Tensor, z2: tf.Tensor, options: VicregOptions = {}): tf.Scalar {
  const { loss, invariance, variance, covariance } = vicregTerms(z1, z2, options);
  tf.dispose([invariance, variance, covariance]);
  return loss;
}
