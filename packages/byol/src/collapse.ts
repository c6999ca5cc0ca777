import * as tf from '@tensorflow/tfjs-core';

/**
 * Collapse monitor: the per-dimension standard deviation (over the batch) of the
 * L2-normalised projections, averaged over dimensions. Spread-out unit vectors in
 * d dimensions give about 1/√d; a collapsed network (every image mapped to the
 * same point) gives 0. Used by SimSiam (Chen & He 2021, Sec. 4.1) to detect collapse.
 */
export function projectionStd(z: tf.Tensor2D): tf.Scalar {
  if (z.rank !== 2 || z.shape[0] < 2) {
    throw new Error(`projectionStd: z must be [N >= 2, D], got shape [${z.shape}]`);
  }
  return tf.tidy(() => {
    const unit = tf.div(z, tf.maximum(tf.norm(z, 'euclidean', 1, true), 1e-12));
    return tf.mean(tf.sqrt(tf.moments(unit, 0).variance));
  });
}

/** Below this fraction of the healthy 1/√d value, the monitor warns that the representation is collapsing. */
export const COLLAPSE_WARNING_RATIO = 0.2;

/** `std · √d`: about 1 when healthy, falling towards 0 on collapse. */
export function collapseRatio(std: number, dim: number): number {
  return std * Math.sqrt(dim);
}
