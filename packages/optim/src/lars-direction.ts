import * as tf from '@tensorflow/tfjs-core';

/**
 * How the layer-wise trust ratio is computed (both in `/shared/reference/README.md`):
 * - `byol`: BYOL's `byol/utils/optimizers.py` (also the official VICReg / Barlow
 *   Twins LARS): decay first, then `q = η‖p‖ / ‖g + wd·p‖`.
 * - `solo-learn`: solo-learn's `solo/utils/lars.py` (= Lightning-Bolts LARS):
 *   `q = η‖p‖ / (‖g‖ + wd‖p‖ + eps)`, applied to `g + wd·p`.
 */
export type TrustRatioVariant = 'byol' | 'solo-learn';

export interface LarsDirectionOptions {
  variant: TrustRatioVariant;
  weightDecay: number;
  eta: number;
  /** Only used by `solo-learn`. */
  eps: number;
}

export interface LarsDirection {
  /** The update direction `u = q·(g + wd·p)` that enters the momentum buffer. */
  direction: tf.Tensor;
  /** The trust ratio `q` (a scalar; 1 where the norms are zero). */
  trustRatio: tf.Scalar;
}

function frobenius(x: tf.Tensor): tf.Scalar {
  return tf.sqrt(tf.sum(tf.square(x))) as tf.Scalar;
}

/** `numerator / denominator` where `defined`, else 1 (the ratio is skipped for zero norms). */
function ratioWhere(defined: tf.Tensor, numerator: tf.Tensor, denominator: tf.Tensor): tf.Scalar {
  return tf.where(defined, tf.div(numerator, denominator), tf.onesLike(numerator)) as tf.Scalar;
}

/**
 * The LARS update direction for one adapted (not excluded) parameter. Everything
 * stays on the device (no `dataSync`), so a training step never waits on a read-back.
 */
export function larsDirection(param: tf.Tensor, grad: tf.Tensor, options: LarsDirectionOptions): LarsDirection {
  const { variant, weightDecay, eta, eps } = options;
  return tf.tidy(() => {
    const paramNorm = frobenius(param);
    if (variant === 'byol') {
      const decayed = tf.add(grad, tf.mul(weightDecay, param));
      const decayedNorm = frobenius(decayed);
      const defined = tf.logicalAnd(tf.greater(paramNorm, 0), tf.greater(decayedNorm, 0));
      const trustRatio = ratioWhere(defined, tf.mul(eta, paramNorm), decayedNorm);
      return { direction: tf.mul(trustRatio, decayed), trustRatio };
    }
    const gradNorm = frobenius(grad);
    const defined = tf.logicalAnd(tf.greater(paramNorm, 0), tf.greater(gradNorm, 0));
    const denominator = tf.add(tf.add(gradNorm, tf.mul(weightDecay, paramNorm)), eps);
    const trustRatio = ratioWhere(defined, tf.mul(eta, paramNorm), denominator);
    // Lightning-Bolts skips weight decay as well as scaling when a norm is zero.
    const decay = tf.mul(weightDecay, tf.cast(defined, 'float32'));
    return { direction: tf.mul(trustRatio, tf.add(grad, tf.mul(decay, param))), trustRatio };
  });
}
