import * as tf from '@tensorflow/tfjs-core';
import { centerColumns, crossMatrix, offDiagonalSumOfSquares } from './batch-statistics';
import { checkNumber } from '@selfsup/runtime';
import { assertPair } from './validate';

export interface BarlowTwinsOptions {
  /** Weight of the redundancy-reduction (off-diagonal) term; 5e-3 in the paper (the official code defaults to 0.0051). */
  lambda?: number;
  /** Epsilon of the affine-free BatchNorm that standardises each feature (PyTorch's `BatchNorm1d` default, 1e-5). */
  bnEps?: number;
}

export interface BarlowTwinsTerms {
  /** `onDiag + lambda * offDiag`. */
  loss: tf.Scalar;
  /** Invariance term `Σ_i (1 - c_ii)²`. */
  onDiag: tf.Scalar;
  /** Redundancy-reduction term `Σ_{i≠j} c_ij²`, not yet weighted by lambda. */
  offDiag: tf.Scalar;
}

const FN = 'barlowTwinsLoss';

/**
 * Barlow Twins (Zbontar et al. 2021) with its separate terms, for logging.
 * Each view is standardised per feature with biased batch variance (as the
 * official code's `BatchNorm1d(affine=False)` in training mode), then
 * `c = ẑ1ᵀ ẑ2 / N` is pushed towards the identity.
 */
export function barlowTwinsTerms(z1: tf.Tensor, z2: tf.Tensor, options: BarlowTwinsOptions = {}): BarlowTwinsTerms {
  const [a, b] = assertPair(FN, ['z1', z1], ['z2', z2], 2);
  const lambda = checkNumber(FN, 'options.lambda', options.lambda ?? 5e-3, { min: 0 });
  const bnEps = checkNumber(FN, 'options.bnEps', options.bnEps ?? 1e-5, { min: 0 });
  const n = a.shape[0];
  return tf.tidy(() => {
    const standardise = (z: tf.Tensor2D) => {
      const centred = centerColumns(z);
      const variance = tf.mean(tf.square(centred), 0, true);
      return tf.div(centred, tf.sqrt(tf.add(variance, bnEps))) as tf.Tensor2D;
    };
    const c = crossMatrix(standardise(a), standardise(b), n);
    // tf.diag builds a matrix from a vector; the diagonal is read by masking instead.
    const diagonal = tf.sum(tf.mul(c, tf.eye(c.shape[0])), 1);
    const onDiag = tf.sum(tf.square(tf.sub(1, diagonal))) as tf.Scalar;
    const offDiag = offDiagonalSumOfSquares(c);
    return { loss: tf.add(onDiag, tf.mul(lambda, offDiag)) as tf.Scalar, onDiag, offDiag };
  });
}

/** The Barlow Twins loss `Σ_i (1 - c_ii)² + lambda Σ_{i≠j} c_ij²` (see {@link barlowTwinsTerms}). */
export function barlowTwinsLoss(z1: tf.Tensor, z2: tf.Tensor, options: BarlowTwinsOptions = {}): tf.Scalar {
  const { loss, onDiag, offDiag } = barlowTwinsTerms(z1, z2, options);
  tf.dispose([onDiag, offDiag]);
  return loss;
}
