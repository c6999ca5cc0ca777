import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@selfsup/runtime';

/**
 * A batched random augmentation: images `[N, H, W, C]` in [0, 1] in, augmented
 * images out, every random parameter drawn per sample from `rng`.
 * It does not dispose its input; the caller owns both tensors.
 */
export type Transform = (images: tf.Tensor4D, rng: Rng) => tf.Tensor4D;

/** Resampling filters, as torchvision's `InterpolationMode.BILINEAR` / `BICUBIC`. */
export type Interpolation = 'bilinear' | 'bicubic';

/** One image `[H, W, C]` or a batch `[N, H, W, C]`. */
export type Image = tf.Tensor3D | tf.Tensor4D;

/**
 * A parameter given once for the whole batch (a number) or once per sample
 * (an array or a `[N]` tensor), so random transforms can vary it per image.
 */
export type PerSample = number | ArrayLike<number> | tf.Tensor1D;
